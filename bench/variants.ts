/**
 * The benchmark variants: each builds the middleware in front of the same JSON handler.
 * keyward comes from bench/keyward.ts (sources, or the bundle with `--dist`); a variant that
 * cannot run here (no Redis) is reported "unavailable" instead of stopping the whole run.
 */
import express, { type Express, type RequestHandler } from 'express';
import type { Strategy } from 'passport';
import type { CounterStore, KeyStore } from '../src/index.js';
import { loadKeyward, loadKeywardRedis } from './keyward.js';

/** Thrown when a variant cannot run here (module not written yet, no Redis): not a failure. */
export class Unavailable extends Error {}

/** What a variant reports between rounds: requests its handler answered, Redis commands sent. */
export interface VariantStats {
  handled: number;
  redisCommands: number;
  /** CPU time (user + system) the server process used so far, in µs. */
  cpuMicros: number;
}

export interface Variant {
  app: Express;
  stats(): VariantStats;
  close(): Promise<void>;
}

/** Variant name → what it measures, in the order the report lists them. */
export const VARIANTS: Record<string, string> = {
  bare: 'bare Express 5 (the baseline)',
  noop: 'one pass-through middleware, `(req, res, next) => next()` (the floor for any middleware)',
  passport: 'passport + passport-headerapikey (key compared in the verify callback)',
  'express-rate-limit': 'express-rate-limit 8 (memory store, per IP)',
  auth: 'keyward apiKeyAuth (memory stores)',
  'auth-ratelimit': 'keyward apiKeyAuth + rateLimit (memory)',
  full: 'keyward full stack: express.json + requestGuard + apiKeyAuth + publicOnly + requireFeature + rateLimit (memory)',
  'full-redis': 'keyward full stack with RedisCounterStore (127.0.0.1:6379)',
};

interface Redisish {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  quit(): Promise<unknown>;
  ping(): Promise<unknown>;
}

async function counterStore(
  redis: boolean,
  counted: { redisCommands: number },
): Promise<{ store: CounterStore; close(): Promise<void> }> {
  if (!redis) {
    const { MemoryCounterStore } = await loadKeyward();
    return { store: new MemoryCounterStore(), close: () => Promise.resolve() };
  }
  type Ctor = new (o: {
    client: unknown;
    prefix: string;
  }) => CounterStore & { init?(): Promise<void> };
  const RedisCounterStore = (await loadKeywardRedis()).RedisCounterStore as unknown as Ctor;
  const { Redis } = await import('ioredis');
  const client = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
  }) as unknown as Redisish & { connect(): Promise<void>; on(e: string, f: () => void): void };
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch {
    throw new Unavailable('no Redis at 127.0.0.1:6379');
  }
  const prefix = `kwbench:${process.pid}:`;
  // Counting `call` counts round trips: the store sends every command through it.
  const counting = {
    call: (command: string, ...args: (string | number)[]) => {
      counted.redisCommands++;
      return client.call(command, ...args);
    },
  };
  const store = new RedisCounterStore({ client: counting, prefix });
  await store.init?.();
  return {
    store,
    close: async () => {
      const keys = (await client.call('KEYS', `${prefix}*`)) as string[];
      if (keys.length) await client.call('DEL', ...keys);
      await client.quit();
    },
  };
}

/** Builds `name` over `keys` (already holding the benchmark key and its team). */
export async function buildVariant(name: string, keys: KeyStore, key: string): Promise<Variant> {
  if (!(name in VARIANTS))
    throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
  const { apiKeyAuth, publicOnly, requireFeature, rateLimit, requestGuard } = await loadKeyward();
  const counted = { handled: 0, redisCommands: 0 };
  let close = (): Promise<void> => Promise.resolve();
  const app = express();
  const chain: RequestHandler[] = [];
  switch (name) {
    case 'bare':
      break;
    case 'noop':
      chain.push(function passThrough(_req, _res, next) {
        next();
      });
      break;
    case 'passport': {
      const passport = (await import('passport')).default;
      const { HeaderAPIKeyStrategy } = (await import('passport-headerapikey')) as unknown as {
        HeaderAPIKeyStrategy: new (...a: unknown[]) => Strategy;
      };
      const verify = (apikey: string, done: (e: unknown, u?: unknown) => void) =>
        done(null, apikey === key ? { id: 1 } : false);
      passport.use(new HeaderAPIKeyStrategy({ header: 'x-api-key', prefix: '' }, false, verify));
      chain.push(
        passport.initialize() as RequestHandler,
        passport.authenticate('headerapikey', { session: false }) as RequestHandler,
      );
      break;
    }
    case 'express-rate-limit': {
      const { rateLimit: erl } = await import('express-rate-limit');
      chain.push(
        erl({
          windowMs: 60_000,
          limit: 1e9,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
        }),
      );
      break;
    }
    case 'auth':
      chain.push(apiKeyAuth(keys) as RequestHandler);
      break;
    case 'auth-ratelimit': {
      const c = await counterStore(false, counted);
      chain.push(apiKeyAuth(keys, { counters: c.store }) as RequestHandler, rateLimit(c.store));
      break;
    }
    case 'full':
    case 'full-redis': {
      const c = await counterStore(name === 'full-redis', counted);
      close = c.close;
      chain.push(
        express.json(),
        requestGuard(),
        apiKeyAuth(keys, { counters: c.store }) as RequestHandler,
        publicOnly(['GET /v1/items']) as RequestHandler,
        requireFeature('pro') as RequestHandler,
        rateLimit(c.store),
      );
      break;
    }
  }
  if (chain.length) app.use(...chain);
  app.get('/v1/items', (_req, res) => {
    counted.handled++;
    res.json({ ok: true, data: [1, 2, 3] });
  });
  return {
    app,
    stats: () => {
      const cpu = process.cpuUsage();
      return { ...counted, cpuMicros: cpu.user + cpu.system };
    },
    close,
  };
}
