/**
 * One app instance for the multi-instance tests, run as its own process:
 * `node --import tsx tests/multi-instance/server.ts`. Configured by environment:
 * REDIS_PORT, PREFIX (Redis key prefix and pub/sub channel), and either PG_SCHEMA (keys in one
 * shared PostgreSQL schema, already migrated, changes travel by Redis pub/sub) or SEED (JSON:
 * teams and key records for an identically seeded memory key store). Prints `LISTENING <port>`
 * when ready.
 */
import express from 'express';
import { Redis } from 'ioredis';
import {
  apiKeyAuth,
  KeyManager,
  MemoryKeyStore,
  problemHandler,
  rateLimit,
  type ApiKeyRecord,
  type KeyAdminStore,
  type Team,
} from '../../src/index.js';
import { PostgresKeyStore } from '../../src/postgres/index.js';
import { RedisCounterStore, redisKeyInvalidation } from '../../src/redis/index.js';
import { connect as connectPostgres } from '../postgres/support.js';

interface Seed {
  teams: Team[];
  keys: ApiKeyRecord[];
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`server.ts: ${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const prefix = env('PREFIX');
  const redis = new Redis({
    host: '127.0.0.1',
    port: Number(env('REDIS_PORT')),
    commandTimeout: 1000,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => {});
  const counters = new RedisCounterStore({ client: redis, prefix });
  await counters.init();

  const keys = process.env.PG_SCHEMA
    ? await postgresKeys(process.env.PG_SCHEMA)
    : await seededKeys();
  if (keys instanceof PostgresKeyStore) {
    await redisKeyInvalidation({
      store: keys,
      publisher: redis,
      subscriber: redis.duplicate(),
      channel: `${prefix}changes`,
    });
  }
  const manager = new KeyManager(keys);

  const app = express();
  app.set('trust proxy', true);
  app.post('/admin/keys/:id/revoke', (req, res, next) => {
    manager.revoke(req.params.id).then(() => res.status(204).end(), next);
  });
  app.use(
    '/v1',
    apiKeyAuth(keys, { counters, bruteForce: { maxFailures: 10 } }),
    rateLimit(counters),
  );
  app.get('/v1/ping', (_req, res) => {
    res.json({ instance: process.pid });
  });
  app.use(problemHandler());
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`,
    );
  });
}

async function postgresKeys(schema: string): Promise<KeyAdminStore> {
  return new PostgresKeyStore({ pool: connectPostgres({ max: 8 }), schema });
}

async function seededKeys(): Promise<KeyAdminStore> {
  const keys = new MemoryKeyStore();
  const seed = JSON.parse(process.env.SEED ?? '{"teams":[],"keys":[]}', (k, v: unknown) =>
    typeof v === 'string' &&
    ['createdAt', 'validUntil', 'blockedUntil', 'lastUsedAt', 'expiresAt'].includes(k)
      ? new Date(v)
      : v,
  ) as Seed;
  for (const team of seed.teams) await keys.saveTeam(team);
  for (const record of seed.keys) await keys.insertKey(record);
  return keys;
}

main().catch((err: unknown) => {
  process.stderr.write(`server.ts failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
