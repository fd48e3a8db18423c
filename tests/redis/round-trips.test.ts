import express from 'express';
import { type Redis } from 'ioredis';
import request from 'supertest';
import { apiKeyAuth, KeyManager, MemoryKeyStore, rateLimit } from '../../src/index.js';
import { RedisCounterStore, type RedisClient } from '../../src/redis/index.js';
import { connect, deleteUnder, describeWithRedis, keysUnder, testPrefix } from './support.js';

/**
 * Redis round trips per request through a real app: the numbers the README and the benchmark
 * quote. Every command the store sends goes through `call`, so counting calls counts trips.
 */
describeWithRedis('Redis round trips per request', () => {
  let redis: Redis;
  const prefix = testPrefix();
  const commands: string[] = [];
  beforeAll(() => {
    redis = connect();
  });
  afterAll(async () => {
    await deleteUnder(redis, prefix);
    await redis.quit();
  });

  async function app(limit = false) {
    const client: RedisClient = {
      call: ((command: string, ...args: (string | number)[]) => {
        commands.push(command);
        return redis.call(command, ...args);
      }) as RedisClient['call'],
    };
    const counters = new RedisCounterStore({ client, prefix });
    await counters.init();
    const keys = new MemoryKeyStore();
    await keys.saveTeam({ id: 't', plan: 'pro', features: [], subscription: { status: 'active' } });
    const { key } = await new KeyManager(keys).create({
      teamId: 't',
      name: 'k',
      environment: 'production',
      limits: { perMinute: 1000, monthly: 100_000, ipsPerMonth: 10 },
    });
    const a = express();
    a.set('trust proxy', true);
    a.use(apiKeyAuth(keys, { counters }));
    if (limit) a.use(rateLimit(counters, { plans: { pro: { perMinute: 5000, monthly: 1e6 } } }));
    a.get('/', (_req, res) => {
      res.json({ ok: true });
    });
    commands.length = 0;
    return { app: a, key };
  }

  it('apiKeyAuth: one GET (the brute-force block check) per authenticated request', async () => {
    const { app: a, key } = await app();
    for (let i = 0; i < 10; i++)
      expect((await request(a).get('/').set('x-api-key', key)).status).toBe(200);
    expect(commands).toEqual(Array.from({ length: 10 }, () => 'GET'));
  });

  it('apiKeyAuth + rateLimit (key and team limits): two per authenticated request', async () => {
    const { app: a, key } = await app(true);
    for (let i = 0; i < 10; i++)
      expect((await request(a).get('/').set('x-api-key', key)).status).toBe(200);
    expect(commands).toEqual(Array.from({ length: 10 }, () => ['GET', 'EVALSHA']).flat());
    // That one script call holds every limit: key and team minutes, months and the IP set.
    const written = (await keysUnder(redis, prefix)).filter(
      (k) => k.startsWith(`${prefix}{t}:`) && !k.includes('n:'),
    );
    expect(
      written.map((k) => k.slice(`${prefix}{t}:`.length, `${prefix}{t}:`.length + 1)).sort(),
    ).toEqual(['d', 'f', 'f', 's', 's']);
  });

  it('apiKeyAuth: a failed attempt adds one script call (recordFailure)', async () => {
    const { app: a } = await app();
    const res = await request(a)
      .get('/')
      .set('x-api-key', 'kw_live_wrong')
      .set('x-forwarded-for', '198.51.100.7');
    expect(res.status).toBe(401);
    expect(commands).toEqual(['GET', 'EVALSHA']);
  });
});
