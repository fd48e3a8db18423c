import type { Server } from 'node:http';
import express from 'express';
import type pg from 'pg';
import request from 'supertest';
import {
  apiKeyAuth,
  ERROR_CATALOG,
  KeyManager,
  problemHandler,
  type KeywardEvent,
} from '../../src/index.js';
import { PostgresKeyStore } from '../../src/postgres/index.js';
import {
  connect,
  describeWithPostgres,
  dropSchema,
  PG_HOST,
  PG_PORT,
  realProcess,
  testSchema,
} from './support.js';
import { TcpProxy } from './proxy.js';

const LEAKS = /ECONN|127\.0\.0\.1|postgres|PostgresKeyStore|SELECT|kwtest_|terminated|timeout/i;

describeWithPostgres(
  'PostgresKeyStore behind a failing network: apiKeyAuth fails closed and recovers',
  () => {
    let proxy: TcpProxy;
    let pool: pg.Pool;
    let store: PostgresKeyStore;
    let schema: string;
    let server: Server;
    let key: string;
    let keyId: string;
    const events: KeywardEvent[] = [];
    const handled: number[] = [];
    const unhandled = jest.fn();

    beforeAll(async () => {
      realProcess().on('unhandledRejection', unhandled);
      proxy = new TcpProxy(PG_HOST, PG_PORT);
      schema = testSchema();
      pool = connect({ port: await proxy.start(), connectionTimeoutMillis: 1000, max: 4 });
      // Only the store's own listener may keep idle-client errors from crashing the process.
      pool.removeAllListeners('error');
      store = new PostgresKeyStore({ pool, schema, queryTimeoutMs: 1000 });
      await store.migrate();
      await store.saveTeam({
        id: 'team_a',
        features: ['pro'],
        subscription: { status: 'active', expiresAt: null },
      });
      const issued = await new KeyManager(store).create({
        teamId: 'team_a',
        name: 'Load',
        environment: 'production',
      });
      ({ key } = issued);
      keyId = issued.record.id;
      const app = express();
      app.use(
        '/v1',
        apiKeyAuth(store, { cache: false, timeoutMs: 1500, onEvent: (e) => void events.push(e) }),
      );
      app.get(
        '/v1/me',
        (req, res) => (handled.push(Date.now()), void res.json({ keyId: req.apiKey?.keyId })),
      );
      app.use(problemHandler());
      server = app.listen(0, '127.0.0.1');
    });

    afterAll(async () => {
      realProcess().off('unhandledRejection', unhandled);
      try {
        await new Promise((resolve) => server.close(resolve));
        await store.close().catch(() => undefined); // buffered touches may be lost when a test left the proxy cut
        await pool.end();
        await proxy.cut();
      } finally {
        await dropSchema(schema);
      }
    });

    const hit = () => request(server).get('/v1/me').set('x-api-key', key);

    async function expectUnavailable(): Promise<void> {
      const before = handled.length;
      const res = await hit();
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).toEqual({
        type: 'https://keyward.dev/errors/store_unavailable',
        title: ERROR_CATALOG.store_unavailable.title,
        status: 503,
        detail: ERROR_CATALOG.store_unavailable.detail,
        instance: '/v1/me',
        code: 'store_unavailable',
        requestId: res.headers['x-request-id'],
      });
      expect(res.text).not.toMatch(LEAKS);
      expect(handled.length).toBe(before);
    }

    async function recovers(): Promise<number> {
      let waited = 0;
      for (;;) {
        const res = await hit();
        if (res.status === 200) return waited;
        expect(res.status).toBe(503);
        if (waited > 10_000) throw new Error('did not recover within 10 s');
        await new Promise((r) => setTimeout(r, 100));
        waited += 100;
      }
    }

    it('server dies mid-load: every request gets 200 or 503 store_unavailable, then service resumes alone', async () => {
      const statuses: number[] = [];
      let cut = false;
      const worker = async () => {
        for (let i = 0; i < 25; i++) {
          const res = await hit();
          statuses.push(res.status);
          if (res.status !== 200) expect(res.text).not.toMatch(LEAKS);
          if (!cut && statuses.length >= 40) {
            cut = true;
            await proxy.cut();
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(new Set(statuses)).toEqual(new Set([200, 503]));
      expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
      await expectUnavailable();
      const errors = events.filter((e) => e.type === 'store.error');
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors)
        expect(e).toMatchObject({
          store: 'keys',
          policy: 'fail-closed',
          error: expect.stringMatching(
            /^PostgresKeyStoreError (ECONNREFUSED|ECONNRESET|connection_lost|timeout)$/,
          ),
        });

      await proxy.start();
      await recovers();
      await hit().expect(200, { keyId });
      // Requests in flight at the cut may flap error → recovered → error; the last word is recovery.
      const health = events.filter((e) => e.type === 'store.error' || e.type === 'store.recovered');
      expect(health.at(-1)?.type).toBe('store.recovered');

      // Idle pooled connections dropped while nobody queries: pg emits `error` on the pool.
      expect(pool.idleCount).toBeGreaterThan(0);
      await proxy.cut();
      for (let i = 0; i < 50 && pool.idleCount > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(pool.idleCount).toBe(0);
      await proxy.start();
      await hit().expect(200, { keyId });
      expect(unhandled).not.toHaveBeenCalled();
    });

    it('server hangs: requests answer 503 in bounded time instead of waiting, and service resumes', async () => {
      await hit().expect(200);
      proxy.hang();
      const results = await Promise.all(Array.from({ length: 6 }, () => hit()));
      expect(results.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
      await expectUnavailable();
      // Back to normal: hung connections are dropped by the query timeout, new ones work.
      await proxy.cut();
      await proxy.start();
      await recovers();
      expect(unhandled).not.toHaveBeenCalled();
    });
  },
);
