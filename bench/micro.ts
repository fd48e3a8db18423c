/**
 * Microbenchmarks of the hot paths (`npx tsx bench/micro.ts [--write] [--time MS]`): the
 * middlewares called directly with minimal fake req/res (bench/fakes.ts), so each figure is
 * keyward's own cost per request without HTTP parsing or sockets.
 *
 * - apiKeyAuth on a lookup-cache hit, and with the cache off (every request a store lookup);
 *   both include the brute-force block check on the in-process counter store
 * - the key-verification core alone: parseKey + digestKey + checkKey
 * - requestGuard's `inspect` on a 1 KB JSON body, and the requestGuard middleware on it
 * - rateLimit (key per-minute + monthly) on MemoryCounterStore and, when Redis answers, on
 *   RedisCounterStore (one round trip on loopback dominates that figure)
 */
import { Bench } from 'tinybench';
import { parseArgs } from 'node:util';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  MemoryKeyStore,
  type CounterStore,
} from '../src/index.js';
import { checkKey } from '../src/auth/verify.js';
import { digestKey } from '../src/keys/digest.js';
import { DEFAULT_KEY_PREFIX, parseKey } from '../src/keys/format.js';
import { fakePair, jsonBody1k, runMiddleware } from './fakes.js';
import { machine, numberOption, writeResult } from './stats.js';
import { Unavailable } from './variants.js';

const { values } = parseArgs({
  options: { write: { type: 'boolean', default: false }, time: { type: 'string' } },
});
const time = numberOption(values, 'time', 1000);

const keys = new MemoryKeyStore();
await keys.saveTeam({
  id: 't',
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active' },
});
const { key, record } = await new KeyManager(keys).create({
  teamId: 't',
  name: 'bench',
  environment: 'production',
  limits: { perMinute: 1e12, monthly: 1e12 },
});
const counters = new MemoryCounterStore();
const cached = apiKeyAuth(keys, { counters });
const uncached = apiKeyAuth(keys, { counters, cache: false });
const skipped: Record<string, string> = {};
const bench = new Bench({ time, warmupTime: 200 });

bench
  .add('apiKeyAuth, cache hit', () => runMiddleware(cached, fakePair(key)))
  .add('apiKeyAuth, cache off (memory store lookup)', () => runMiddleware(uncached, fakePair(key)))
  .add('key verification core: parseKey + digestKey + checkKey', () => {
    const parsed = parseKey(key, DEFAULT_KEY_PREFIX);
    if (!parsed) throw new Error('bad key');
    const digest = digestKey(key);
    if (checkKey(record, digest, parsed.environment, undefined, 0) !== null)
      throw new Error('refused');
  })
  .add('baseline: fakePair() alone', () => void fakePair(key))
  // The harness itself (a promise per call, awaited): subtract it from the middleware rows.
  .add('baseline: a no-op middleware through the same harness', () =>
    runMiddleware((_req, _res, next) => next(), fakePair(key)),
  );

async function optional<T>(name: string, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    skipped[name] = err instanceof Error ? err.message : String(err);
    return undefined;
  }
}

const guard = await optional('requestGuard / inspect', () => import('../src/guard/index.js'));
if (guard) {
  const body = jsonBody1k();
  const size = JSON.stringify(body).length;
  const mw = guard.requestGuard();
  bench
    .add(`guard inspect(), ${size} B JSON body`, () => void guard.inspect(body))
    .add(`requestGuard middleware, GET + ${size} B JSON body`, () => {
      const pair = fakePair(key);
      (pair.req as unknown as { body: unknown }).body = body;
      return runMiddleware(mw, pair);
    });
}

async function limiterTask(label: string, store: CounterStore): Promise<void> {
  const { rateLimit } = await import('../src/index.js');
  const limiter = rateLimit(store);
  bench.add(`rateLimit after apiKeyAuth, ${label}`, async () => {
    const pair = fakePair(key);
    await runMiddleware(cached, pair);
    await runMiddleware(limiter, pair);
  });
}
await limiterTask('memory (both)', counters);
const redis = await optional('rateLimit on Redis', async () => {
  const { Redis } = await import('ioredis');
  const { RedisCounterStore } = await import('../src/redis/index.js');
  const client = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  client.on('error', () => undefined);
  await client.connect().catch(() => {
    throw new Unavailable('no Redis at 127.0.0.1:6379');
  });
  const store = new RedisCounterStore({ client, prefix: `kwmicro:${process.pid}:` });
  await store.init();
  await limiterTask('RedisCounterStore on loopback (apiKeyAuth on memory)', store);
  return client;
});

await bench.run();
const tasks = bench.tasks.map((task) => {
  const r = task.result as {
    latency?: { mean: number; p50: number; p99: number; rme: number; samplesCount: number };
  };
  const l = r.latency;
  return {
    name: task.name,
    meanUs: l ? l.mean * 1000 : NaN,
    medianUs: l ? l.p50 * 1000 : NaN,
    p99Us: l ? l.p99 * 1000 : NaN,
    rmePct: l?.rme ?? NaN,
    samples: l?.samplesCount ?? 0,
  };
});
console.log(
  `${'task'.padEnd(72)} ${'median µs'.padStart(10)} ${'mean µs'.padStart(10)} ${'p99 µs'.padStart(10)}  ±rme`,
);
for (const t of tasks) {
  console.log(
    `${t.name.padEnd(72)} ${t.medianUs.toFixed(2).padStart(10)} ${t.meanUs.toFixed(2).padStart(10)} ${t.p99Us.toFixed(2).padStart(10)}  ${t.rmePct.toFixed(1)}%`,
  );
}
for (const [name, reason] of Object.entries(skipped))
  console.log(`${name}: unavailable — ${reason}`);
if (redis) {
  const leftover = await redis.keys(`kwmicro:${process.pid}:*`);
  if (leftover.length) await redis.del(...leftover);
  await redis.quit();
}
if (values.write)
  console.log(
    `wrote ${writeResult('micro', { kind: 'micro', machine: machine(), time, tasks, skipped })}`,
  );
process.exit(0);
