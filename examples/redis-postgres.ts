/**
 * keyward on several instances: keys in PostgreSQL, counters in Redis, lookup caches kept in
 * step over Redis pub/sub. `npx tsx examples/redis-postgres.ts`
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; tables go to the schema
 * `keyward_example`) and REDIS_URL (default redis://127.0.0.1:6379). It starts two app
 * instances in this one process — as two servers would run — on the same stores, then shows
 * that a revoke on one reaches the other at once.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  apiKeyAuth,
  KeyManager,
  problemHandler,
  rateLimit,
  type KeywardEvent,
} from '../src/index.js';
import { PostgresKeyStore } from '../src/postgres/index.js';
import { RedisCounterStore, redisKeyInvalidation } from '../src/redis/index.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = Date.now().toString(36);
const log = (event: KeywardEvent) => {
  // Events never carry secrets, so they are safe to log as they are.
  if (event.type.startsWith('store.')) console.log('[event]', JSON.stringify(event));
};

/** One app instance: its own clients, caches and middlewares, the shared Redis and PostgreSQL. */
async function instance(name: string) {
  // Fail fast: a dead server costs a request a bounded wait (503), never a queue.
  const redis = new Redis(REDIS_URL, { commandTimeout: 500, maxRetriesPerRequest: 1 });
  redis.on('error', (err: Error) => console.warn(`[${name}] redis: ${err.message}`));
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    connectionTimeoutMillis: 2000,
    max: 5,
  });
  pool.on('error', (err) => console.warn(`[${name}] postgres: ${err.message}`));

  const keys = new PostgresKeyStore({ pool, schema: 'keyward_example' });
  // A prefix per run: this demo's failed attempts (the revoked key at the end) must not add up
  // to an IP block on the next run. Every key expires on its own.
  const counters = new RedisCounterStore({ client: redis, prefix: `keyward-example:${RUN}:` });
  await counters.init();
  const subscriber = redis.duplicate();
  const invalidation = await redisKeyInvalidation({
    store: keys,
    publisher: redis,
    subscriber,
    channel: 'keyward-example:changes',
  });

  const app = express();
  app.use(
    '/v1',
    apiKeyAuth(keys, { environment: 'production', counters, onEvent: log }),
    rateLimit(counters, { onEvent: log }),
  );
  app.get('/v1/me', (req, res) => {
    res.json({ servedBy: name, team: req.apiKey?.teamId });
  });
  app.use(problemHandler());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    keys,
    manager: new KeyManager(keys),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.close();
      await invalidation.close();
      await keys.close();
      await pool.end();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

const a = await instance('a');
const b = await instance('b');
try {
  await a.keys.migrate(); // idempotent; run it at deploy time
  await a.keys.saveTeam({
    id: 'team_acme',
    plan: 'pro',
    features: ['pro'],
    subscription: { status: 'active' },
  });
  const { key, record } = await a.manager.create({
    teamId: 'team_acme',
    name: 'Example',
    environment: 'production',
    limits: { perMinute: 3 },
  });
  console.log(`New key (shown once): ${key}\n`);

  const call = async (url: string) => {
    const res = await fetch(`${url}/v1/me`, { headers: { 'x-api-key': key } });
    const body = (await res.json()) as { servedBy?: string; code?: string };
    return `${res.status} ${body.servedBy ?? body.code}`;
  };
  console.log('instance a:', await call(a.url));
  console.log('instance b:', await call(b.url), '(now cached on b)');
  console.log('instance a:', await call(a.url));
  console.log('instance b:', await call(b.url), '(perMinute 3 is shared by both instances)');

  await a.manager.revoke(record.id);
  await new Promise((resolve) => setTimeout(resolve, 20));
  console.log('\nrevoked on a; 20 ms later:');
  console.log('instance a:', await call(a.url));
  console.log('instance b:', await call(b.url), '(its cache was invalidated over pub/sub)');
} finally {
  await a.close();
  await b.close();
}
