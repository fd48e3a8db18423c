/**
 * The admin page over the production stores: keys in PostgreSQL, counters in Redis. Usage is
 * read from the same Redis key (and hash tag) `rateLimit` writes; tenancy filters never send
 * the database a value it cannot store.
 */
import express from 'express';
import request from 'supertest';
import { keyAdmin } from '../../src/admin/index.js';
import { apiKeyAuth, problemHandler, rateLimit, type KeywardEvent } from '../../src/index.js';
import { PostgresKeyStore } from '../../src/postgres/index.js';
import { RedisCounterStore } from '../../src/redis/index.js';
import {
  connect as connectPostgres,
  describeWithPostgres,
  dropSchema,
  testSchema,
} from '../postgres/support.js';
import {
  connect as connectRedis,
  deleteUnder,
  describeWithRedis,
  keysUnder,
  testPrefix,
} from '../redis/support.js';

const MOUNT = '/admin/api-keys';
const ACTIVE = { status: 'active' as const, expiresAt: null };

describeWithRedis('keyAdmin on Redis counters', () => {
  describeWithPostgres('and a PostgreSQL key store', () => {
    const schema = testSchema();
    const prefix = testPrefix();
    const pool = connectPostgres();
    const redis = connectRedis();
    const store = new PostgresKeyStore({ pool, schema });
    const counters = new RedisCounterStore({ client: redis, prefix });
    const events: KeywardEvent[] = [];

    beforeAll(async () => {
      await store.migrate();
      await counters.init();
      await store.saveTeam({ id: 'team_a', features: [], subscription: ACTIVE });
      await store.saveTeam({ id: 'team_b', features: [], subscription: ACTIVE });
    });
    afterAll(async () => {
      await store.close();
      await pool.end();
      await dropSchema(schema);
      await deleteUnder(redis, prefix);
      await redis.quit();
    });

    function app(authorize: () => boolean | { teamId: string }) {
      const a = express();
      a.use(MOUNT, keyAdmin({ store, counters, authorize, onEvent: (e) => void events.push(e) }));
      a.use('/v1', apiKeyAuth(store, { counters }), rateLimit(counters));
      a.get('/v1/ping', (_req, res) => void res.json({ ok: true }));
      a.use(problemHandler());
      return a;
    }

    it('creates and manages keys in PostgreSQL and reads usage from the Redis counter rateLimit writes', async () => {
      const admin = app(() => true);
      const created = await request(admin)
        .post(`${MOUNT}/api/keys`)
        .set('content-type', 'application/json')
        .send(
          JSON.stringify({
            name: 'pg key',
            teamId: 'team_a',
            environment: 'production',
            limits: { monthly: 10 },
          }),
        );
      expect(created.status).toBe(201);
      for (let i = 0; i < 3; i++)
        expect(
          (await request(admin).get('/v1/ping').set('x-api-key', created.body.key)).status,
        ).toBe(200);
      const id = created.body.record.id as string;
      const view = await request(admin).get(`${MOUNT}/api/keys/${id}`);
      expect(view.body.usage).toMatchObject({ used: 3, limit: 10, available: true });
      // The counter lives under the team's hash tag: the admin's peek used the same scope.
      expect(
        (await keysUnder(redis, prefix)).some(
          (k) => k.startsWith(`${prefix}{team_a}:`) && k.includes(`rl:key:${id}:month:`),
        ),
      ).toBe(true);
      expect((await request(admin).get(`${MOUNT}/api/keys/${id}`)).body.usage.used).toBe(3);
      expect(
        (
          await request(admin)
            .post(`${MOUNT}/api/keys/${id}/revoke`)
            .set('content-type', 'application/json')
            .send('{}')
        ).status,
      ).toBe(200);
      expect((await request(admin).get('/v1/ping').set('x-api-key', created.body.key)).status).toBe(
        401,
      );
    });

    it('answers a confined administrator asking for another team with an empty page, not a store error', async () => {
      const { body } = await request(app(() => true))
        .post(`${MOUNT}/api/keys`)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'b key', teamId: 'team_b', environment: 'production' }));
      const confined = app(() => ({ teamId: 'team_a' }));
      events.length = 0;
      const other = await request(confined).get(`${MOUNT}/api/keys?team=team_b`);
      expect([other.status, other.body]).toEqual([200, { data: [], next: null }]);
      const cursor = await request(confined).get(
        `${MOUNT}/api/keys?before=${body.record.id as string}`,
      );
      expect([cursor.status, cursor.body]).toEqual([200, { data: [], next: null }]);
      expect((await request(confined).get(`${MOUNT}/?team=team_b`)).status).toBe(200);
      expect(events.filter((e) => e.type === 'store.error')).toEqual([]);
    });
  });
});
