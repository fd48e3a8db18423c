import express from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import {
  apiKeyAuth,
  KeyManager,
  MemoryKeyStore,
  rateLimit,
  type KeywardEvent,
} from '../../src/index.js';
import { RedisCounterStore } from '../../src/redis/index.js';
import { RedisProcess } from './redis-process.js';
import { describeWithRedis } from './support.js';

/**
 * Kills a Redis of our own mid-load and starts it again on the same port: requests get the
 * configured policy, nothing crashes, no rejection goes unhandled, and service comes back
 * without a restart.
 */
describeWithRedis('RedisCounterStore when Redis dies and comes back', () => {
  let server: RedisProcess;
  let client: Redis;
  const unhandled: unknown[] = [];
  const spy = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', spy);
    server = await RedisProcess.start();
    client = new Redis({
      host: '127.0.0.1',
      port: server.port,
      commandTimeout: 300,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50, // reconnect quickly and forever
    });
    client.on('error', () => {});
  });
  afterAll(async () => {
    process.off('unhandledRejection', spy);
    client.disconnect();
    await server.kill();
  });

  async function world() {
    const keys = new MemoryKeyStore();
    await keys.saveTeam({ id: 't', features: [], subscription: { status: 'active' } });
    const { key } = await new KeyManager(keys).create({
      teamId: 't',
      name: 'k',
      environment: 'production',
    });
    const counters = new RedisCounterStore({ client, prefix: 'kwfault:' });
    await counters.init();
    const events: KeywardEvent[] = [];
    let ran = 0;
    const app = express();
    app.use(apiKeyAuth(keys, { counters, timeoutMs: 1000, onEvent: (e) => void events.push(e) }));
    app.get('/', (_req, res) => {
      ran++;
      res.json({ ok: true });
    });
    return { app, key, events, ran: () => ran };
  }

  it('auth fails closed with 503 store_unavailable while Redis is down, then recovers by itself', async () => {
    const w = await world();
    const hit = () => request(w.app).get('/').set('x-api-key', w.key);
    expect((await hit()).status).toBe(200);

    // Load in flight while the server dies.
    const statuses: number[] = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop) statuses.push((await hit()).status);
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    await new Promise((r) => setTimeout(r, 400));

    const down = await hit().set('x-request-id', 'req-down');
    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(down.headers['retry-after']).toBe('5');
    expect(down.body).toEqual({
      type: 'https://keyward.dev/errors/store_unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: expect.any(String),
      instance: '/',
      code: 'store_unavailable',
      requestId: 'req-down',
    });
    expect(JSON.stringify(down.body)).not.toMatch(
      /ECONNREFUSED|Redis|127\.0\.0\.1|timed out|Connection/i,
    );
    const ranWhileDown = w.ran();
    expect((await hit()).status).toBe(503);
    expect(w.ran()).toBe(ranWhileDown);

    await server.start();
    const started = Date.now();
    let recovered = false;
    while (!recovered && Date.now() - started < 10_000) {
      recovered = (await hit()).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 50));
    }
    stop = true;
    await load;
    expect(recovered).toBe(true);

    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    const types = w.events.map((e) => e.type);
    expect(types).toContain('store.error');
    expect(types.lastIndexOf('store.recovered')).toBeGreaterThan(types.indexOf('store.error'));
    const errors = w.events.filter((e) => e.type === 'store.error');
    expect(
      errors.every(
        (e) => e.type === 'store.error' && e.policy === 'fail-closed' && e.store === 'counters',
      ),
    ).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  });

  it('rateLimit fails open through its insurance limiter while Redis is down, then uses Redis again', async () => {
    const keys = new MemoryKeyStore();
    await keys.saveTeam({ id: 't', features: [], subscription: { status: 'active' } });
    const { key } = await new KeyManager(keys).create({
      teamId: 't',
      name: 'k',
      environment: 'production',
      limits: { perMinute: 3 },
    });
    const counters = new RedisCounterStore({ client, prefix: 'kwfault3:' });
    const events: KeywardEvent[] = [];
    const onEvent = (e: KeywardEvent) => void events.push(e);
    let ran = 0;
    const app = express();
    // Brute-force checks fail open too, so requests reach rateLimit while Redis is away.
    app.use(
      apiKeyAuth(keys, { counters, onStoreError: 'fail-open', timeoutMs: 1000, onEvent }),
      rateLimit(counters, { onEvent }),
    );
    app.get('/', (_req, res) => {
      ran++;
      res.json({ ok: true });
    });
    const hit = () => request(app).get('/').set('x-api-key', key);
    expect((await hit()).status).toBe(200);

    await server.kill();
    const down = [];
    for (let i = 0; i < 5; i++) down.push(await hit());
    // The insurance limiter applies the same limit per process: 3 admitted, then 429.
    expect(down.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(down[3]?.body).toMatchObject({ code: 'rate_limit_exceeded', limit: 'per_minute' });
    expect(ran).toBe(4);
    const failures = events.filter((e) => e.type === 'store.error');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e.type === 'store.error' && e.policy === 'fail-open')).toBe(true);

    await server.start();
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      // The restarted Redis is empty: its window admits again once reachable.
      const r = await hit();
      status = r.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    expect(events.some((e) => e.type === 'store.recovered')).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('the store rejects fast while Redis is down and works again on a fresh server (scripts reloaded)', async () => {
    const store = new RedisCounterStore({ client, prefix: 'kwfault2:' });
    const spec = [{ kind: 'fixed', key: 'x', limit: 5, resetAt: Date.now() + 60_000 }] as const;
    expect((await store.consume(spec, Date.now())).allowed).toBe(true);
    await server.kill();
    const started = Date.now();
    await expect(store.consume(spec, Date.now())).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
    await server.start();
    let ok = false;
    for (let i = 0; i < 200 && !ok; i++) {
      ok = await store.consume(spec, Date.now()).then(
        (r) => r.allowed,
        () => false,
      );
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ok).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
