import express from 'express';
import request from 'supertest';
import { parseList } from 'structured-headers';
import { MemoryCounterStore, rateLimit, type CounterStore } from '../../src/index.js';
import { fakeClock } from '../helpers/clock.js';
import { limited } from './setup.js';

const get = (app: express.Express, key: string, ip = '192.0.2.1') =>
  request(app).get('/').set('x-api-key', key).set('X-Forwarded-For', ip);

function items(header: string | undefined): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [value, params] of parseList(header ?? ''))
    out[String(value)] = Object.fromEntries(params);
  return out;
}

describe('rateLimit: per-minute (exact sliding window)', () => {
  it('admits N in any 60 s window, refuses the next with a full problem and headers', async () => {
    const t = await limited({ perMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const res = await get(t.app, t.key);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const res = await get(t.app, t.key);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body).toEqual({
      type: 'https://keyward.dev/errors/rate_limit_exceeded',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit exceeded (per_minute). Retry in 60 seconds.',
      instance: '/',
      code: 'rate_limit_exceeded',
      requestId: res.headers['x-request-id'],
      limit: 'per_minute',
      retryAfter: 60,
      'violated-policies': ['per_minute'],
    });
    expect(items(res.headers['ratelimit'])).toEqual({ per_minute: { r: 0, t: 60 } });
    expect(t.handled()).toBe(3);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'rate.limited',
        limit: 'per_minute',
        retryAfter: 60,
        keyId: t.record.id,
      }),
    ]);
  });

  it('the boundary burst: N at hh:00:50, one at hh:01:05 → 429; the window is half-open', async () => {
    const t = await limited({ perMinute: 5 });
    t.clock.set('2026-03-10T12:00:50.000Z');
    for (let i = 0; i < 5; i++) expect((await get(t.app, t.key)).status).toBe(200);
    t.clock.set('2026-03-10T12:01:05.000Z');
    const burst = await get(t.app, t.key);
    expect(burst.status).toBe(429);
    expect(burst.headers['retry-after']).toBe('45');
    t.clock.set('2026-03-10T12:01:49.999Z');
    expect((await get(t.app, t.key)).status).toBe(429);
    t.clock.set('2026-03-10T12:01:50.000Z'); // (t − 60 s, t] no longer holds 12:00:50
    expect((await get(t.app, t.key)).status).toBe(200);
  });

  it('refused requests do not count toward the window', async () => {
    const t = await limited({ perMinute: 2 });
    await get(t.app, t.key);
    t.clock.advance(30_000);
    await get(t.app, t.key);
    for (let i = 0; i < 10; i++) expect((await get(t.app, t.key)).status).toBe(429);
    t.clock.advance(30_000);
    expect((await get(t.app, t.key)).status).toBe(200);
  });

  it('500 parallel requests with perMinute 100 admit exactly 100', async () => {
    const t = await limited({ perMinute: 100 });
    const server = t.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const statuses = await Promise.all(
        Array.from({ length: 500 }, () =>
          fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-api-key': t.key } }).then(
            (r) => r.status,
          ),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(400);
      expect(t.handled()).toBe(100);
    } finally {
      server.close();
    }
  });
});

describe('rateLimit: monthly, distinct IPs, team and plan limits', () => {
  it('monthly limits follow UTC calendar months', async () => {
    const t = await limited({ monthly: 2 });
    t.clock.set('2026-03-31T23:59:58.000Z');
    await get(t.app, t.key).expect(200);
    const last = await get(t.app, t.key).expect(200);
    expect(items(last.headers['ratelimit-policy'])).toEqual({ monthly: { q: 2, w: 31 * 86400 } });
    t.clock.set('2026-03-31T23:59:59.000Z');
    const refused = await get(t.app, t.key);
    expect([refused.status, refused.body.limit, refused.headers['retry-after']]).toEqual([
      429,
      'monthly',
      '1',
    ]);
    t.clock.set('2026-04-01T00:00:01.000Z');
    const april = await get(t.app, t.key).expect(200);
    expect(items(april.headers['ratelimit-policy'])).toEqual({ monthly: { q: 2, w: 30 * 86400 } });
    expect(april.headers['x-ratelimit-reset']).toBe(
      String(Date.parse('2026-05-01T00:00:00Z') / 1000),
    );
  });

  it('distinct IPs: new IPs beyond N refused, known IPs keep working, IPv6 per /64, not in headers', async () => {
    const t = await limited({ ipsPerMonth: 2 });
    await get(t.app, t.key, '192.0.2.1').expect(200);
    const second = await get(t.app, t.key, '2001:db8:0:1::1').expect(200);
    expect(second.headers['ratelimit']).toBeUndefined();
    expect(second.headers['x-ratelimit-limit']).toBeUndefined();
    await get(t.app, t.key, '2001:db8:0:1::ffff').expect(200);
    const third = await get(t.app, t.key, '198.51.100.9');
    expect([third.status, third.body.limit]).toEqual([429, 'ips']);
    await get(t.app, t.key, '192.0.2.1').expect(200);
    expect((await get(t.app, t.key, '198.51.100.9')).status).toBe(429);
  });

  it('team limits are shared by all keys of the team', async () => {
    const t = await limited({}, {}, { limits: { perMinute: 3 } });
    const other = await t.manager.create({
      teamId: 'team_1',
      name: 'second',
      environment: 'production',
    });
    await get(t.app, t.key).expect(200);
    await get(t.app, other.key).expect(200);
    await get(t.app, t.key).expect(200);
    const res = await get(t.app, other.key);
    expect([res.status, res.body.limit]).toEqual([429, 'team_per_minute']);
  });

  it('plan limits fill in field by field where the team has none; Infinity means unlimited', async () => {
    const plans = { free: { perMinute: 2, monthly: 100 }, enterprise: { perMinute: Infinity } };
    const t = await limited({}, { plans }, { limits: { monthly: 1000 } });
    const first = await get(t.app, t.key).expect(200);
    expect(items(first.headers['ratelimit-policy'])).toEqual({
      team_per_minute: { q: 2, w: 60 },
      team_monthly: { q: 1000, w: 31 * 86400 },
    });
    await get(t.app, t.key).expect(200);
    expect((await get(t.app, t.key)).body.limit).toBe('team_per_minute');
    const ent = await limited({}, { plans }, { plan: 'enterprise' });
    for (let i = 0; i < 20; i++) await get(ent.app, ent.key).expect(200);
    expect((await get(ent.app, ent.key)).headers['ratelimit']).toBeUndefined();
  });

  it('a request refused by one limit consumes none of the others; several exhausted → all listed, longest wait', async () => {
    const t = await limited({ perMinute: 5, monthly: 2 }, {}, { limits: { perMinute: 10 } });
    await get(t.app, t.key).expect(200);
    await get(t.app, t.key).expect(200);
    for (let i = 0; i < 3; i++) expect((await get(t.app, t.key)).body.limit).toBe('monthly');
    const peek = await t.counters.peek(
      [
        { kind: 'sliding', key: `rl:key:${t.record.id}:minute`, limit: 5, windowMs: 60_000 },
        { kind: 'sliding', key: 'rl:team:team_1:minute', limit: 10, windowMs: 60_000 },
      ],
      t.clock.now(),
    );
    expect(peek.map((c) => c.used)).toEqual([2, 2]);

    const both = await limited({ perMinute: 1, monthly: 1 });
    await get(both.app, both.key).expect(200);
    const res = await get(both.app, both.key);
    expect(res.body).toMatchObject({
      limit: 'per_minute',
      'violated-policies': ['per_minute', 'monthly'],
    });
    const monthEnd = Math.ceil((Date.parse('2026-04-01T00:00:00Z') - both.clock.now()) / 1000);
    expect(res.body.retryAfter).toBe(monthEnd);
    expect(res.headers['retry-after']).toBe(String(monthEnd));
  });
});

describe('rateLimit: headers', () => {
  it('legacy headers describe the tightest limit; IETF fields list each limit', async () => {
    const t = await limited({ perMinute: 10, monthly: 5 });
    const res = await get(t.app, t.key).expect(200);
    expect(res.headers['x-ratelimit-limit']).toBe('5');
    expect(res.headers['x-ratelimit-remaining']).toBe('4');
    expect(items(res.headers['ratelimit-policy'])).toEqual({
      per_minute: { q: 10, w: 60 },
      monthly: { q: 5, w: 31 * 86400 },
    });
    expect(items(res.headers['ratelimit'])).toEqual({
      per_minute: { r: 9, t: 60 },
      monthly: { r: 4, t: (Date.parse('2026-04-01T00:00:00Z') - t.clock.now()) / 1000 },
    });
  });

  it.each([
    ['legacy', true, false],
    ['ietf', false, true],
    [false, false, false],
  ] as const)('headers: %s', async (mode, legacy, ietf) => {
    const t = await limited({ perMinute: 10 }, { headers: mode });
    const res = await get(t.app, t.key).expect(200);
    expect(res.headers['x-ratelimit-limit'] !== undefined).toBe(legacy);
    expect(res.headers['ratelimit'] !== undefined).toBe(ietf);
    expect(res.headers['ratelimit-policy'] !== undefined).toBe(ietf);
  });
});

describe('rateLimit: anonymous requests and store failures', () => {
  function anonymousApp(
    options: Parameters<typeof rateLimit>[1],
    counters: CounterStore = new MemoryCounterStore(),
  ) {
    const app = express();
    app.set('trust proxy', true);
    app.use(rateLimit(counters, { clock: fakeClock(), ...options }));
    app.get('/', (_req, res) => void res.send('ok'));
    return app;
  }

  it('limits anonymous requests per IP when configured, passes them through otherwise', async () => {
    const app = anonymousApp({ anonymous: { perMinute: 1 } });
    await request(app).get('/').set('X-Forwarded-For', '192.0.2.1').expect(200);
    const res = await request(app).get('/').set('X-Forwarded-For', '192.0.2.1');
    expect([res.status, res.body.limit]).toEqual([429, 'anonymous_per_minute']);
    await request(app).get('/').set('X-Forwarded-For', '192.0.2.2').expect(200);
    const open = anonymousApp({});
    for (let i = 0; i < 5; i++) {
      const r = await request(open).get('/').expect(200);
      expect(r.headers['ratelimit']).toBeUndefined();
    }
  });

  const broken: CounterStore = {
    consume: () => Promise.reject(new Error('ECONNREFUSED')),
    peek: () => Promise.reject(new Error('down')),
    recordFailure: () => Promise.reject(new Error('down')),
    blockedUntil: () => Promise.reject(new Error('down')),
    resetFailures: () => Promise.reject(new Error('down')),
  };

  it('fail-open (default) admits through the insurance limiter with the same limits', async () => {
    const t = await limited({ perMinute: 2 }, {}, {}, broken);
    await get(t.app, t.key).expect(200);
    await get(t.app, t.key).expect(200);
    expect((await get(t.app, t.key)).status).toBe(429);
    expect(t.events.filter((e) => e.type === 'store.error')).toHaveLength(3);
  });

  it('fail-closed answers 503 store_unavailable', async () => {
    const t = await limited({ perMinute: 2 }, { onStoreError: 'fail-closed' }, {}, broken);
    const res = await get(t.app, t.key);
    expect([res.status, res.body.code]).toEqual([503, 'store_unavailable']);
    expect(res.text).not.toContain('ECONNREFUSED');
    expect(t.handled()).toBe(0);
  });

  it('rejects bad configuration at construction', () => {
    const c = new MemoryCounterStore();
    expect(() => rateLimit(undefined as never)).toThrow(/CounterStore/);
    expect(() => rateLimit(c, { plan: {} } as never)).toThrow(/Did you mean to pass `plans`/);
    expect(() => rateLimit(c, { plans: { free: { perMinute: -1 } } })).toThrow(
      /plans.free.perMinute/,
    );
    expect(() => rateLimit(c, { headers: 'draft' as never })).toThrow(/headers/);
    expect(() => rateLimit(c, { anonymous: {} as never })).toThrow(/anonymous.perMinute/);
  });
});
