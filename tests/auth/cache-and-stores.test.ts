import request from 'supertest';
import { generateKey } from '../../src/keys/format.js';
import {
  apiKeyAuth,
  MemoryCounterStore,
  type MemoryKeyStore,
  type CounterStore,
  type KeyStore,
} from '../../src/index.js';
import express from 'express';
import { ACTIVE_TEAM, issue, world } from '../helpers/setup.js';

function counting(store: MemoryKeyStore) {
  const calls = { findByHash: 0, findTeam: 0 };
  const wrapped: KeyStore = {
    findByHash: (h) => (calls.findByHash++, store.findByHash(h)),
    findTeam: (t) => (calls.findTeam++, store.findTeam(t)),
    touch: (id, at, ip) => store.touch(id, at, ip),
  };
  return { wrapped, calls };
}

describe('apiKeyAuth: lookup cache', () => {
  it('serves repeat lookups from cache, positive and negative, within the TTL', async () => {
    const w = await world();
    const { wrapped, calls } = counting(w.store);
    const app = express();
    app.use(
      apiKeyAuth(wrapped, {
        clock: w.clock,
        cache: { ttlMs: 1000, negativeTtlMs: 500 },
        bruteForce: false,
      }),
    );
    app.get('/', (_req, res) => void res.send('ok'));
    const { key } = await issue(w);
    const unknown = generateKey('kw', 'production').key;
    for (let i = 0; i < 3; i++) {
      await request(app).get('/').set('x-api-key', key).expect(200);
      await request(app).get('/').set('x-api-key', unknown).expect(401);
    }
    expect(calls).toEqual({ findByHash: 2, findTeam: 1 });
    // lru-cache keeps an entry while its age is <= ttl.
    w.clock.advance(501);
    await request(app).get('/').set('x-api-key', unknown).expect(401);
    expect(calls.findByHash).toBe(3);
    w.clock.advance(500);
    await request(app).get('/').set('x-api-key', key).expect(200);
    expect(calls).toEqual({ findByHash: 4, findTeam: 2 });
    // A malformed key never reaches the store.
    await request(app).get('/').set('x-api-key', 'kw_live_nope').expect(401);
    expect(calls.findByHash).toBe(4);
  });

  it('KeyManager changes and saveTeam take effect at once despite the cache', async () => {
    const w = await world({ cache: { ttlMs: 3_600_000 } });
    const { key, record } = await issue(w);
    await request(w.app).get('/v1/echo').set('x-api-key', key).expect(200);
    await w.manager.block(record.id, new Date(w.clock.now() + 60_000));
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).body.code).toBe(
      'api_key_blocked',
    );
    await w.manager.unblock(record.id);
    await request(w.app).get('/v1/echo').set('x-api-key', key).expect(200);
    await w.store.saveTeam({ ...ACTIVE_TEAM, subscription: null });
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).body.code).toBe(
      'subscription_required',
    );
  });
});

describe('apiKeyAuth: last-used tracking', () => {
  it('records lastUsedAt/lastUsedIp at most once per interval', async () => {
    const w = await world({ touchIntervalMs: 60_000 });
    const { key, record } = await issue(w);
    await request(w.app)
      .get('/v1/echo')
      .set('x-api-key', key)
      .set('X-Forwarded-For', '192.0.2.10')
      .expect(200);
    await new Promise((r) => setImmediate(r));
    expect(await w.store.getKey(record.id)).toMatchObject({
      lastUsedAt: new Date(w.clock.now()),
      lastUsedIp: '192.0.2.10',
    });
    w.clock.advance(30_000);
    await request(w.app)
      .get('/v1/echo')
      .set('x-api-key', key)
      .set('X-Forwarded-For', '192.0.2.11')
      .expect(200);
    await new Promise((r) => setImmediate(r));
    expect((await w.store.getKey(record.id))?.lastUsedIp).toBe('192.0.2.10');
    w.clock.advance(30_000);
    await request(w.app)
      .get('/v1/echo')
      .set('x-api-key', key)
      .set('X-Forwarded-For', '192.0.2.12')
      .expect(200);
    await new Promise((r) => setImmediate(r));
    expect((await w.store.getKey(record.id))?.lastUsedIp).toBe('192.0.2.12');
  });

  it('never delays or fails the request when touch hangs or throws', async () => {
    const w = await world();
    const { key } = await issue(w);
    let touches = 0;
    const hanging: KeyStore = {
      findByHash: (h) => w.store.findByHash(h),
      findTeam: (t) => w.store.findTeam(t),
      touch: () => (touches++, new Promise<void>(() => undefined)),
    };
    const throwing: KeyStore = {
      ...hanging,
      touch: () => (touches++, Promise.reject(new Error('db down'))),
    };
    for (const store of [hanging, throwing]) {
      const app = express();
      app.use(apiKeyAuth(store, { clock: w.clock }));
      app.get('/', (_req, res) => void res.send('ok'));
      await request(app).get('/').set('x-api-key', key).expect(200);
    }
    await new Promise((r) => setImmediate(r));
    expect(touches).toBe(2);
  });
});

describe('apiKeyAuth: store failures', () => {
  const broken = (kind: 'throw' | 'hang'): KeyStore => ({
    findByHash: () =>
      kind === 'throw'
        ? Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'), {
              code: 'ECONNREFUSED',
            }),
          )
        : new Promise(() => undefined),
    findTeam: () => Promise.resolve(null),
  });

  it.each(['throw', 'hang'] as const)(
    'a key store that %ss answers 503 store_unavailable, leaks nothing, and emits an event',
    async (kind) => {
      const events: unknown[] = [];
      const app = express();
      app.use(apiKeyAuth(broken(kind), { timeoutMs: 50, onEvent: (e) => void events.push(e) }));
      app.get('/', (_req, res) => void res.send('ok'));
      const res = await request(app).get('/').set('x-api-key', generateKey('kw', 'production').key);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'store_unavailable', title: 'Service Unavailable' });
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.5/);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'store.error',
          store: 'keys',
          operation: 'findByHash',
          policy: 'fail-closed',
          error: kind === 'throw' ? 'Error ECONNREFUSED' : 'timeout',
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain('hunter2');
    },
  );

  it('a failing counter store: fail-closed answers 503, fail-open skips brute-force checks; recovery is reported', async () => {
    const w = await world();
    const { key } = await issue(w);
    let down = true;
    const memory = new MemoryCounterStore();
    const flaky: CounterStore = {
      consume: (s, n) => memory.consume(s, n),
      peek: (s, n) => memory.peek(s, n),
      recordFailure: (k, p, n) =>
        down ? Promise.reject(new Error('down')) : memory.recordFailure(k, p, n),
      blockedUntil: (k, n) =>
        down ? Promise.reject(new Error('down')) : memory.blockedUntil(k, n),
      resetFailures: (k) => memory.resetFailures(k),
    };
    const events: Array<{ type: string }> = [];
    const make = (policy: 'fail-closed' | 'fail-open') => {
      const app = express();
      app.use(
        apiKeyAuth(w.store, {
          counters: flaky,
          onStoreError: policy,
          onEvent: (e) => void events.push(e),
        }),
      );
      app.get('/', (_req, res) => void res.send('ok'));
      return app;
    };
    expect((await request(make('fail-closed')).get('/').set('x-api-key', key)).status).toBe(503);
    const open = make('fail-open');
    await request(open).get('/').set('x-api-key', key).expect(200);
    expect(
      (await request(open).get('/').set('x-api-key', generateKey('kw', 'production').key)).body
        .code,
    ).toBe('invalid_api_key');
    down = false;
    await request(open).get('/').set('x-api-key', key).expect(200);
    // fail-closed: blockedUntil; fail-open valid key: blockedUntil; invalid key: blockedUntil + recordFailure.
    expect(events.map((e) => e.type).filter((t) => t.startsWith('store.'))).toEqual([
      'store.error',
      'store.error',
      'store.error',
      'store.error',
      'store.recovered',
    ]);
  });

  it('no secret appears in any event of a whole session', async () => {
    const w = await world({ environment: 'production' });
    const { key, record } = await issue(w);
    const staging = await issue(w, { environment: 'staging' });
    await request(w.app).get('/v1/echo').set('x-api-key', key);
    await request(w.app).get('/v1/echo').set('x-api-key', staging.key);
    await request(w.app)
      .get('/v1/echo')
      .set('x-api-key', key.slice(0, -1) + 'x');
    await w.manager.rotate(record.id);
    const text = JSON.stringify(w.events);
    expect(w.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['auth.succeeded', 'auth.failed', 'key.created', 'key.rotated']),
    );
    for (const secret of [key, staging.key, key.slice(12, 30)]) expect(text).not.toContain(secret);
  });
});
