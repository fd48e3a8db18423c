import { KeyManager } from '../../src/index.js';
import { PostgresKeyStore } from '../../src/postgres/index.js';
import {
  connect as connectPostgres,
  describeWithPostgres,
  dropSchema,
  testSchema,
} from '../postgres/support.js';
import {
  connect,
  deleteUnder,
  describeWithRedis,
  REDIS_PORT,
  testPrefix,
} from '../redis/support.js';
import { startInstance, stopInstance, type Instance } from './instances.js';

describeWithRedis('two app instances on one Redis + one PostgreSQL', () => {
  describeWithPostgres('rate limits and key revocation', () => {
    const prefix = testPrefix();
    const schema = testSchema();
    const pool = connectPostgres();
    let a: Instance | undefined;
    let b: Instance | undefined;
    let key: string;
    let keyId: string;
    let limited: string;

    beforeAll(async () => {
      const store = new PostgresKeyStore({ pool, schema });
      await store.migrate();
      await store.saveTeam({ id: 'team_acme', features: [], subscription: { status: 'active' } });
      const manager = new KeyManager(store);
      ({ key: limited } = await manager.create({
        teamId: 'team_acme',
        name: 'limited',
        environment: 'production',
        limits: { perMinute: 50 },
      }));
      ({
        key,
        record: { id: keyId },
      } = await manager.create({ teamId: 'team_acme', name: 'k', environment: 'production' }));
      const env = { REDIS_PORT: String(REDIS_PORT), PREFIX: prefix, PG_SCHEMA: schema };
      [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    });
    afterAll(async () => {
      await Promise.all([stopInstance(a), stopInstance(b)]);
      await pool.end();
      await dropSchema(schema);
      const redis = connect();
      await deleteUnder(redis, prefix);
      await redis.quit();
    });

    it('200 concurrent requests split across both instances admit exactly perMinute (50)', async () => {
      const urls = [a?.url, b?.url] as [string, string];
      const get = (url: string) => fetch(`${url}/v1/ping`, { headers: { 'x-api-key': limited } });
      // One warm-up request per instance: both admit (so both count against the one limit),
      // and both lookup caches are warm, so neither instance lags behind on a cold lookup.
      const warm = await Promise.all(urls.map(get));
      expect(warm.map((r) => r.status)).toEqual([200, 200]);
      const responses = await Promise.all(
        Array.from({ length: 198 }, (_, i) => get(urls[i % 2] as string)),
      );
      const statuses = responses.map((r) => r.status);
      // Per-process limits would admit 50 on each instance (100 in all); one shared window
      // admits exactly 50 in all: the 2 warm-up requests plus 48 of the 198.
      expect(statuses.filter((s) => s === 200)).toHaveLength(48);
      expect(statuses.filter((s) => s === 429)).toHaveLength(150);
      const refused = responses.find((r) => r.status === 429);
      expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused?.json()).toMatchObject({
        code: 'rate_limit_exceeded',
        limit: 'per_minute',
      });
      for (const r of [...warm, ...responses]) if (!r.bodyUsed) await r.arrayBuffer();
    });

    it('a key revoked on one instance is refused on the other within 100 ms', async () => {
      const urls = [a?.url, b?.url] as [string, string];
      const ping = async (url: string) =>
        (await fetch(`${url}/v1/ping`, { headers: { 'x-api-key': key } })).status;
      // Both instances now hold the key in their lookup caches (30 s TTL).
      expect(await ping(urls[0])).toBe(200);
      expect(await ping(urls[1])).toBe(200);
      expect(await ping(urls[1])).toBe(200);

      const revoked = await fetch(`${urls[0]}/admin/keys/${keyId}/revoke`, { method: 'POST' });
      expect(revoked.status).toBe(204);
      const since = Date.now();
      let status = await ping(urls[1]);
      while (status === 200 && Date.now() - since < 1000) status = await ping(urls[1]);
      const elapsed = Date.now() - since;
      expect(status).toBe(401);
      expect(elapsed).toBeLessThan(100);
      expect(await ping(urls[0])).toBe(401);
    });
  });
});
