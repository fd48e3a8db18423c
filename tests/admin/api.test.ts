/**
 * The admin JSON API, its authorization, tenancy, CSRF defence, headers and failure modes,
 * through real Express 5 / Express 4 / Connect apps with supertest.
 */
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { keyAdmin, CONTENT_SECURITY_POLICY, type KeyAdminOptions } from '../../src/admin/index.js';
import {
  apiKeyAuth,
  MemoryCounterStore,
  MemoryKeyStore,
  problemHandler,
  rateLimit,
  type CounterStore,
  type KeywardEvent,
} from '../../src/index.js';
import { fakeClock } from '../helpers/clock.js';

const TEAM_A = {
  id: 'team_a',
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active' as const, expiresAt: null },
};
const TEAM_B = {
  id: 'team_b',
  plan: 'free',
  features: [],
  subscription: { status: 'canceled' as const, expiresAt: new Date('2026-10-01T00:00:00Z') },
  limits: { perMinute: 30 },
};
const MOUNT = '/admin/api-keys';
const JSON_TYPE = 'application/json';

async function setup(options: Partial<KeyAdminOptions> = {}) {
  const store = new MemoryKeyStore();
  const counters = new MemoryCounterStore();
  const clock = fakeClock('2026-11-30T23:00:00.000Z');
  const events: KeywardEvent[] = [];
  await store.saveTeam(TEAM_A);
  await store.saveTeam(TEAM_B);
  const app = express();
  app.set('trust proxy', true);
  app.use(
    MOUNT,
    keyAdmin({
      store,
      counters,
      clock,
      authorize: () => true,
      onEvent: (e) => void events.push(e),
      plans: { free: { perMinute: 100, monthly: 1000 } },
      ...options,
    }),
  );
  app.use('/v1', apiKeyAuth(store, { counters, clock }), rateLimit(counters, { clock }));
  app.get('/v1/ping', (_req, res) => void res.json({ ok: true }));
  app.use(problemHandler());
  const post = (path: string, body: unknown = {}) =>
    request(app)
      .post(MOUNT + path)
      .set('content-type', JSON_TYPE)
      .send(JSON.stringify(body));
  const create = async (body: Record<string, unknown> = {}) => {
    const res = await post('/api/keys', {
      name: 'Server',
      teamId: 'team_a',
      environment: 'production',
      scopes: 'companies:read',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { key: string; record: { id: string; [k: string]: unknown } };
  };
  const ping = async (key: string) =>
    (await request(app).get('/v1/ping').set('x-api-key', key)).status;
  return { app, store, counters, clock, events, post, create, ping };
}

describe('keyAdmin construction', () => {
  it('requires authorize, with a message that says why and how', () => {
    const store = new MemoryKeyStore();
    expect(() => keyAdmin({ store } as unknown as KeyAdminOptions)).toThrow(
      /`authorize\(req\)` is required.*req\.user\?\.isAdmin/,
    );
    expect(() => keyAdmin(undefined as unknown as KeyAdminOptions)).toThrow(/options are required/);
    expect(() => keyAdmin({ authorize: () => true } as unknown as KeyAdminOptions)).toThrow(
      /`store` must be a KeyAdminStore/,
    );
    expect(() =>
      keyAdmin({ store, authorize: () => true, autorize: 1 } as unknown as KeyAdminOptions),
    ).toThrow(/Did you mean to pass `authorize`/);
    expect(() => keyAdmin({ store, authorize: () => true, trustedOrigins: ['nope'] })).toThrow(
      /trustedOrigins/,
    );
  });
});

describe('authorization fails closed', () => {
  it.each([
    ['false', () => false, 403, 'forbidden'],
    ['null', () => null, 403, 'forbidden'],
    [
      'a rejected promise',
      () => Promise.reject(new Error('session store down: secret=xyz')),
      401,
      'unauthorized',
    ],
    [
      'a throw',
      () => {
        throw new Error('boom');
      },
      401,
      'unauthorized',
    ],
    ['a malformed team', () => ({ teamId: 42 }) as never, 403, 'forbidden'],
  ])(
    'authorize returning %s → %i problem+json, nothing listed',
    async (_label, authorize, status, code) => {
      const { app, create } = await setup();
      await create();
      const denied = express();
      denied.use(MOUNT, keyAdmin({ store: new MemoryKeyStore(), authorize: authorize }));
      for (const path of ['/', '/api/keys', '/api/keys/key_x', '/api/teams/team_a', '/nope']) {
        const res = await request(denied).get(MOUNT + path);
        expect([res.status, res.body.code]).toEqual([status, code]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
        expect(JSON.stringify(res.body)).not.toMatch(/secret=|boom|session store/);
      }
      const mutation = await request(denied)
        .post(MOUNT + '/api/keys')
        .set('content-type', JSON_TYPE)
        .send('{}');
      expect(mutation.status).toBe(status);
      expect((await request(app).get(MOUNT + '/api/keys')).body.data).toHaveLength(1);
    },
  );

  it('lets a KeywardError thrown by authorize through as it is', async () => {
    const { KeywardError } = await import('../../src/index.js');
    const app = express();
    app.use(
      MOUNT,
      keyAdmin({
        store: new MemoryKeyStore(),
        authorize: () => {
          throw new KeywardError('unauthorized', { detail: 'Sign in first.' });
        },
      }),
    );
    const res = await request(app).get(MOUNT + '/');
    expect([res.status, res.body.detail]).toEqual([401, 'Sign in first.']);
  });

  it('serves the static script and stylesheet without authorization, cacheable, and nothing else', async () => {
    const app = express();
    app.use(MOUNT, keyAdmin({ store: new MemoryKeyStore(), authorize: () => false }));
    const js = await request(app).get(MOUNT + '/assets/admin.js');
    expect([js.status, js.headers['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect(js.headers['cache-control']).toMatch(/immutable/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await request(app).get(MOUNT + '/assets/admin.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const name of ['secrets.json', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect([name, (await request(app).get(`${MOUNT}/assets/${name}`)).status]).toEqual([
        name,
        403,
      ]);
    }
    const open = express();
    const events: KeywardEvent[] = [];
    open.use(
      MOUNT,
      keyAdmin({
        store: new MemoryKeyStore(),
        authorize: () => true,
        onEvent: (e) => void events.push(e),
      }),
    );
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect([name, (await request(open).get(`${MOUNT}/assets/${name}`)).status]).toEqual([
        name,
        404,
      ]);
    }
    expect(events).toEqual([]);
  });
});

describe('the JSON API', () => {
  it('creates a key: the secret is in that answer only, never stored, and works on the API at once', async () => {
    const { app, store, create, ping, events } = await setup();
    const { key, record } = await create({
      limits: { perMinute: 60, monthly: 1000 },
      customerId: 'cus_1',
      validUntil: '2027-01-01T00:00:00Z',
    });
    expect(key).toMatch(/^kw_live_[0-9A-Za-z]{28}$/);
    expect(record).toMatchObject({
      name: 'Server',
      teamId: 'team_a',
      environment: 'production',
      scopes: ['companies:read'],
      limits: { perMinute: 60, monthly: 1000 },
      customerId: 'cus_1',
      status: 'Active',
      validUntil: '2027-01-01T00:00:00.000Z',
      display: `${key.slice(0, 12)}…`,
    });
    expect(record).not.toHaveProperty('hash');
    expect(await ping(key)).toBe(200);
    const stored = await store.getKey(record.id);
    expect(JSON.stringify(stored)).not.toContain(key);
    for (const path of ['/', '/api/keys', `/api/keys/${record.id}`, '/api/teams/team_a']) {
      const res = await request(app).get(MOUNT + path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(key);
      expect(res.text).not.toContain(stored?.hash);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(JSON.stringify(events)).not.toContain(key);
    expect(events.map((e) => e.type)).toContain('key.created');
  });

  it('puts X-Request-Id on every answer, successes and assets included', async () => {
    const { app, post } = await setup();
    const answers = [
      await request(app).get(MOUNT + '/'),
      await request(app).get(MOUNT + '/api/keys'),
      await request(app).get(MOUNT + '/assets/admin.js'),
      await post('/api/keys', { name: 'x', teamId: 'team_a', environment: 'production' }),
      await request(app).get(MOUNT + '/nope'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 201, 404]);
    for (const r of answers) expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (
        await request(app)
          .get(MOUNT + '/')
          .set('x-request-id', 'trace-1')
      ).headers['x-request-id'],
    ).toBe('trace-1');
  });

  it('refuses to issue a new secret for a revoked key (409) until it is restored', async () => {
    const { post, create, ping } = await setup();
    const { key, record } = await create();
    await post(`/api/keys/${record.id}/revoke`);
    for (const action of ['regenerate', 'rotate']) {
      const res = await post(`/api/keys/${record.id}/${action}`);
      expect([action, res.status, res.body.code, res.body.key]).toEqual([
        action,
        409,
        'conflict',
        undefined,
      ]);
    }
    expect(await ping(key)).toBe(401);
    await post(`/api/keys/${record.id}/restore`);
    expect(await ping(key)).toBe(200);
    expect((await post(`/api/keys/${record.id}/regenerate`)).status).toBe(200);
  });

  it('marks the answers that carry a secret no-store and never redirects with one', async () => {
    const { post, create } = await setup();
    const created = await post('/api/keys', {
      name: 'x',
      teamId: 'team_a',
      environment: 'staging',
    });
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.headers.location).toBeUndefined();
    const { record } = await create();
    for (const action of ['regenerate', 'rotate']) {
      const res = await post(`/api/keys/${record.id}/${action}`);
      expect([res.status, res.headers['cache-control'], typeof res.body.key]).toEqual([
        200,
        'no-store',
        'string',
      ]);
    }
    for (const action of ['unblock', 'revoke', 'restore']) {
      const res = await post(`/api/keys/${record.id}/${action}`);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('key');
    }
  });

  it('runs every lifecycle action with immediate effect on the API', async () => {
    const { post, create, ping, clock } = await setup();
    const { key, record } = await create();
    expect((await post(`/api/keys/${record.id}/revoke`)).body.record.status).toBe('Inactive');
    expect(await ping(key)).toBe(401);
    expect((await post(`/api/keys/${record.id}/restore`)).body.record.status).toBe('Active');
    expect(await ping(key)).toBe(200);

    const regenerated = await post(`/api/keys/${record.id}/regenerate`);
    expect(await ping(key)).toBe(401);
    expect(await ping(regenerated.body.key)).toBe(200);

    const rotated = await post(`/api/keys/${record.id}/rotate`, { graceMs: 60_000 });
    expect(rotated.body.record.previousExpiresAt).toBe(new Date(clock() + 60_000).toISOString());
    expect(await ping(regenerated.body.key)).toBe(200);
    expect(await ping(rotated.body.key)).toBe(200);
    clock.advance(60_001);
    expect(await ping(regenerated.body.key)).toBe(401);
    expect(await ping(rotated.body.key)).toBe(200);

    const until = new Date(clock() + 3_600_000).toISOString();
    const blocked = await post(`/api/keys/${record.id}/block`, { until });
    expect(blocked.body.record).toMatchObject({
      blocked: true,
      blockedUntil: until,
      status: 'Active',
    });
    expect(await ping(rotated.body.key)).toBe(403);
    expect((await post(`/api/keys/${record.id}/unblock`)).body.record.blocked).toBe(false);
    expect(await ping(rotated.body.key)).toBe(200);
  });

  it('edits name, scopes, limits, expiry and customer in place (PATCH), with effect at once', async () => {
    const { app, create, ping, clock } = await setup();
    const { key, record } = await create({ limits: { monthly: 100 }, customerId: 'cus_1' });
    const patch = (body: unknown) =>
      request(app)
        .patch(`${MOUNT}/api/keys/${record.id}`)
        .set('content-type', JSON_TYPE)
        .send(JSON.stringify(body));
    const until = new Date(clock() + 86_400_000).toISOString();
    const res = await patch({
      name: 'Renamed',
      scopes: 'a:read, b:*',
      limits: { perMinute: 1 },
      validUntil: until,
      customerId: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.record).toMatchObject({
      name: 'Renamed',
      scopes: ['a:read', 'b:*'],
      limits: { perMinute: 1 },
      validUntil: until,
      customerId: null,
    });
    expect(res.body).not.toHaveProperty('key');
    expect([await ping(key), await ping(key)]).toEqual([200, 429]);
    const cleared = await patch({ limits: {}, validUntil: null });
    expect(cleared.body.record).toMatchObject({ name: 'Renamed', limits: {}, validUntil: null });
    expect(await ping(key)).toBe(200);
    for (const [body, field] of [
      [{ environment: 'staging' }, 'environment'],
      [{ teamId: 'team_b' }, 'teamId'],
      [{ name: '' }, 'name'],
      [{ validUntil: '2001-01-01' }, 'validUntil'],
    ] as const) {
      const bad = await patch(body);
      expect([bad.status, bad.body.field]).toEqual([400, field]);
    }
    const cross = await request(app)
      .patch(`${MOUNT}/api/keys/${record.id}`)
      .set('content-type', JSON_TYPE)
      .set('origin', 'https://evil.example')
      .send('{"name":"pwned"}');
    expect(cross.status).toBe(403);
    expect((await request(app).get(`${MOUNT}/api/keys/${record.id}`)).body.name).toBe('Renamed');
    expect(
      (
        await request(app)
          .patch(`${MOUNT}/api/keys/key_nope`)
          .set('content-type', JSON_TYPE)
          .send('{}')
      ).status,
    ).toBe(404);
  });

  it('answers bad input with a clear problem and changes nothing', async () => {
    const { app, post, create, ping } = await setup();
    const { key, record } = await create();
    const cases: [string, unknown, number, string, string?][] = [
      [
        '/api/keys',
        { name: '', teamId: 'team_a', environment: 'production' },
        400,
        'bad_request',
        'name',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_a', environment: 'prod' },
        400,
        'bad_request',
        'environment',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_zzz', environment: 'production' },
        400,
        'bad_request',
        'teamId',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_a', environment: 'production', hash: 'abc' },
        400,
        'bad_request',
        'hash',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_a', environment: 'production', limits: { perMinute: -1 } },
        400,
        'bad_request',
        'limits.perMinute',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_a', environment: 'production', validUntil: '2020-01-01' },
        400,
        'bad_request',
        'validUntil',
      ],
      [
        '/api/keys',
        { name: 'x', teamId: 'team_a', environment: 'production', scopes: 'a b' },
        400,
        'bad_request',
        'scopes',
      ],
      [`/api/keys/${record.id}/block`, {}, 400, 'bad_request', 'until'],
      [
        `/api/keys/${record.id}/block`,
        { until: '2001-01-01T00:00:00Z' },
        400,
        'bad_request',
        'until',
      ],
      [`/api/keys/${record.id}/rotate`, { graceMs: -5 }, 400, 'bad_request', 'graceMs'],
      [`/api/keys/${record.id}/explode`, {}, 404, 'not_found'],
      ['/api/keys/key_unknown/revoke', {}, 404, 'not_found'],
    ];
    for (const [path, body, status, code, field] of cases) {
      const res = await post(path, body);
      expect([path, res.status, res.body.code]).toEqual([path, status, code]);
      if (field) expect(res.body.field).toBe(field);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const malformed = await request(app)
      .post(`${MOUNT}/api/keys`)
      .set('content-type', JSON_TYPE)
      .send('{"name":');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'malformed_body']);
    const array = await request(app)
      .post(`${MOUNT}/api/keys`)
      .set('content-type', JSON_TYPE)
      .send('[1]');
    expect([array.status, array.body.code]).toEqual([400, 'bad_request']);
    const huge = await request(app)
      .post(`${MOUNT}/api/keys`)
      .set('content-type', JSON_TYPE)
      .send(JSON.stringify({ name: 'x'.repeat(20_000) }));
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    for (const query of [
      '?environment=prod',
      '?status=weird',
      '?limit=0',
      '?limit=1000',
      '?before=%3Cx%3E',
    ]) {
      expect((await request(app).get(`${MOUNT}/api/keys${query}`)).status).toBe(400);
    }
    expect((await request(app).get(`${MOUNT}/api/keys/%E0%A4%A`)).status).toBe(404);
    expect((await request(app).delete(`${MOUNT}/api/keys/${record.id}`)).status).toBe(404);
    expect((await request(app).get(MOUNT + '/api/keys')).body.data).toHaveLength(1);
    expect(await ping(key)).toBe(200);
  });

  it('filters by environment, derived status and team, and pages newest first', async () => {
    const { app, create, post, clock } = await setup();
    const ids: Record<string, string> = {};
    for (const [name, env, team] of [
      ['a1', 'production', 'team_a'],
      ['a2', 'staging', 'team_a'],
      ['b1', 'production', 'team_b'],
      ['a3', 'development', 'team_a'],
      ['a4', 'production', 'team_a'],
    ] as const) {
      clock.advance(1000);
      ids[name] = (await create({ name, environment: env, teamId: team })).record.id;
    }
    await post(`/api/keys/${ids.a2}/revoke`);
    await post(`/api/keys/${ids.a3}/block`, { until: new Date(clock() + 60_000).toISOString() });
    clock.advance(1000);
    const expiring = (
      await create({ name: 'exp', validUntil: new Date(clock() + 5000).toISOString() })
    ).record.id;
    clock.advance(10_000);
    const names = async (query: string) =>
      ((await request(app).get(`${MOUNT}/api/keys${query}`)).body.data as { name: string }[]).map(
        (k) => k.name,
      );
    expect(await names('')).toEqual(['exp', 'a4', 'a3', 'b1', 'a2', 'a1']);
    expect(await names('?environment=production')).toEqual(['exp', 'a4', 'b1', 'a1']);
    expect(await names('?team=team_b')).toEqual(['b1']);
    expect(await names('?status=inactive')).toEqual(['a2']);
    expect(await names('?status=Blocked')).toEqual(['a3']);
    expect(await names('?status=Expired')).toEqual(['exp']);
    expect(await names('?status=Active')).toEqual(['a4', 'b1', 'a1']);
    expect(expiring).toBeDefined();
    const first = (await request(app).get(`${MOUNT}/api/keys?limit=2`)).body;
    expect([first.data.map((k: { name: string }) => k.name), first.next]).toEqual([
      ['exp', 'a4'],
      ids.a4,
    ]);
    const second = (await request(app).get(`${MOUNT}/api/keys?limit=2&before=${first.next}`)).body;
    expect(second.data.map((k: { name: string }) => k.name)).toEqual(['a3', 'b1']);
    const last = (await request(app).get(`${MOUNT}/api/keys?limit=2&before=${ids.b1}`)).body;
    expect([last.data.map((k: { name: string }) => k.name), last.next]).toEqual([
      ['a2', 'a1'],
      null,
    ]);
    const activePaged = (await request(app).get(`${MOUNT}/api/keys?status=active&limit=1`)).body;
    expect([activePaged.data.map((k: { name: string }) => k.name), activePaged.next]).toEqual([
      ['a4'],
      ids.a4,
    ]);
  });

  it('shows the team: plan, features, subscription and effective limits', async () => {
    const { app } = await setup();
    expect((await request(app).get(`${MOUNT}/api/teams/team_a`)).body).toEqual({
      id: 'team_a',
      plan: 'pro',
      features: ['pro'],
      subscription: { status: 'active', expiresAt: null },
      limits: {},
      effectiveLimits: { perMinute: null, monthly: null, source: 'none' },
    });
    expect((await request(app).get(`${MOUNT}/api/teams/team_b`)).body).toMatchObject({
      subscription: { status: 'canceled', expiresAt: '2026-10-01T00:00:00.000Z' },
      effectiveLimits: { perMinute: 30, monthly: 1000, source: 'team' },
    });
    expect((await request(app).get(`${MOUNT}/api/teams/team_zzz`)).status).toBe(404);
    const page = await request(app).get(`${MOUNT}/teams/team_b`);
    expect(page.text).toContain('Team team_b');
    expect(page.text).toContain('30 / min · 1,000 / month');
  });
});

describe('team editing', () => {
  it('changes plan, features, subscription and limits, with effect on the API at once', async () => {
    const { app, create, ping } = await setup();
    const { key } = await create();
    const patch = (body: unknown) =>
      request(app)
        .patch(`${MOUNT}/api/teams/team_a`)
        .set('content-type', JSON_TYPE)
        .send(JSON.stringify(body));
    expect(await ping(key)).toBe(200);
    const canceled = await patch({
      subscription: { status: 'canceled', expiresAt: '2026-11-01T00:00:00Z' },
    });
    expect([canceled.status, canceled.body.subscription]).toEqual([
      200,
      { status: 'canceled', expiresAt: '2026-11-01T00:00:00.000Z' },
    ]);
    expect(canceled.body.plan).toBe('pro');
    expect(await ping(key)).toBe(403);
    const renewed = await patch({
      plan: 'free',
      features: 'pro, max',
      subscription: { status: 'active', expiresAt: null },
      limits: { perMinute: 1 },
    });
    expect(renewed.body).toMatchObject({
      plan: 'free',
      features: ['pro', 'max'],
      limits: { perMinute: 1 },
      effectiveLimits: { perMinute: 1, monthly: 1000, source: 'team' },
    });
    expect([await ping(key), await ping(key)]).toEqual([200, 429]);
    const cleared = await patch({ plan: null, limits: null });
    expect(cleared.body).toMatchObject({
      plan: null,
      limits: {},
      effectiveLimits: { perMinute: null, monthly: null, source: 'none' },
    });
    for (const [body, field] of [
      [{ plan: 'a b' }, 'plan'],
      [{ features: [1] }, 'features'],
      [{ subscription: { status: 'paused' } }, 'subscription.status'],
      [{ limits: { perMinute: -1 } }, 'limits.perMinute'],
      [{ id: 'team_b' }, 'id'],
    ] as const) {
      const res = await patch(body);
      expect([res.status, res.body.field]).toEqual([400, field]);
    }
    expect(
      (
        await request(app)
          .patch(`${MOUNT}/api/teams/team_zzz`)
          .set('content-type', JSON_TYPE)
          .send('{}')
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .patch(`${MOUNT}/api/teams/team_a`)
          .set('content-type', JSON_TYPE)
          .set('origin', 'https://evil.example')
          .send('{"plan":"enterprise"}')
      ).status,
    ).toBe(403);
    expect((await request(app).get(`${MOUNT}/api/teams/team_a`)).body.plan).toBeNull();
  });

  it('is refused to a team-confined administrator, who could otherwise grant itself a plan', async () => {
    const { store } = await setup();
    const app = express();
    app.use(MOUNT, keyAdmin({ store, authorize: () => ({ teamId: 'team_a' }) }));
    const patch = (team: string) =>
      request(app)
        .patch(`${MOUNT}/api/teams/${team}`)
        .set('content-type', JSON_TYPE)
        .send('{"features":["enterprise"]}');
    expect([(await patch('team_a')).status, (await patch('team_b')).status]).toEqual([403, 404]);
    expect((await store.findTeam('team_a'))?.features).toEqual(['pro']);
    const page = await request(app).get(`${MOUNT}/teams/team_a`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="team-form"');
  });
});

describe('usage this month', () => {
  it('reads the rateLimit monthly counter without consuming it, per UTC month', async () => {
    const { app, create, ping, clock, counters } = await setup();
    const { key, record } = await create({ limits: { monthly: 5 } });
    const { record: unmetered } = await create({ name: 'free-running' });
    for (let i = 0; i < 3; i++) expect(await ping(key)).toBe(200);
    const read = async () => (await request(app).get(`${MOUNT}/api/keys/${record.id}`)).body.usage;
    expect(await read()).toEqual({ month: '2026-11', used: 3, limit: 5, available: true });
    expect(await read()).toEqual({ month: '2026-11', used: 3, limit: 5, available: true });
    // Reading consumed nothing: exactly 2 more requests are admitted this month.
    expect([await ping(key), await ping(key), await ping(key)]).toEqual([200, 200, 429]);
    expect((await read()).used).toBe(5);
    const list = (await request(app).get(`${MOUNT}/api/keys`)).body.data as {
      id: string;
      usage: unknown;
    }[];
    expect(list.find((k) => k.id === unmetered.id)?.usage).toEqual({
      month: '2026-11',
      used: null,
      limit: null,
      available: true,
    });
    expect((await request(app).get(MOUNT + '/')).text).toContain('5 / 5');
    clock.set('2026-12-01T00:00:01.000Z');
    expect(await read()).toEqual({ month: '2026-12', used: 0, limit: 5, available: true });
    expect(counters.constructor.name).toBe('MemoryCounterStore');
  });

  it('shows usage as unavailable when the counter store fails or hangs, and still serves the page', async () => {
    const broken = {
      peek: () => Promise.reject(new Error('ECONNREFUSED 10.0.0.1:6379 password=hunter2')),
    } as unknown as CounterStore;
    const hung = { peek: () => new Promise(() => undefined) } as unknown as CounterStore;
    for (const counters of [broken, hung]) {
      const { create, app } = await setup({ counters, timeoutMs: 50 });
      const { record } = await create({ limits: { monthly: 10 } });
      const res = await request(app).get(`${MOUNT}/api/keys/${record.id}`);
      expect([res.status, res.body.usage]).toEqual([
        200,
        { month: '2026-11', used: null, limit: 10, available: false },
      ]);
      const page = await request(app).get(MOUNT + '/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('unavailable');
      expect(page.text).not.toContain('hunter2');
    }
  });
});

describe('tenancy: authorize → { teamId }', () => {
  it('confines listing, reading, actions, creation and the team view to one team', async () => {
    const { store, app: admin, create, ping } = await setup();
    const a = await create({ name: 'mine' });
    const b = await create({ name: 'theirs', teamId: 'team_b' });
    const app = express();
    app.use(MOUNT, keyAdmin({ store, authorize: () => ({ teamId: 'team_a' }) }));
    const post = (path: string, body: unknown = {}) =>
      request(app)
        .post(MOUNT + path)
        .set('content-type', JSON_TYPE)
        .send(JSON.stringify(body));

    expect(
      (await request(app).get(`${MOUNT}/api/keys`)).body.data.map((k: { name: string }) => k.name),
    ).toEqual(['mine']);
    const listed: unknown[] = [];
    const listKeys = store.listKeys.bind(store);
    store.listKeys = (filter) => {
      listed.push(filter);
      return listKeys(filter);
    };
    expect((await request(app).get(`${MOUNT}/api/keys?team=team_b`)).body).toEqual({
      data: [],
      next: null,
    });
    expect(listed).toEqual([]);
    // A cursor naming another team's key reveals nothing: the same empty page as an unknown id.
    expect((await request(app).get(`${MOUNT}/api/keys?before=${b.record.id}`)).body).toEqual({
      data: [],
      next: null,
    });
    expect((await request(app).get(`${MOUNT}/api/keys?before=key_unknown`)).body).toEqual({
      data: [],
      next: null,
    });
    expect((await request(app).get(`${MOUNT}/api/keys/${b.record.id}`)).status).toBe(404);
    for (const action of ['revoke', 'regenerate', 'rotate', 'block', 'unblock', 'restore']) {
      const res = await post(
        `/api/keys/${b.record.id}/${action}`,
        action === 'block' ? { until: '2099-01-01T00:00:00Z' } : {},
      );
      expect([action, res.status, res.body.code]).toEqual([action, 404, 'not_found']);
    }
    // team_b's subscription is canceled, so its key answers 403 — and still exactly that.
    expect((await store.getKey(b.record.id))?.status).toBe('active');
    expect((await request(admin).get(`${MOUNT}/api/keys/${b.record.id}`)).body).toMatchObject({
      status: 'Active',
      blocked: false,
      previousExpiresAt: null,
    });
    const edit = await request(app)
      .patch(`${MOUNT}/api/keys/${b.record.id}`)
      .set('content-type', JSON_TYPE)
      .send('{"name":"mine now"}');
    expect([edit.status, edit.body.code]).toEqual([404, 'not_found']);
    expect((await store.getKey(b.record.id))?.name).toBe('theirs');
    expect(await ping(b.key)).toBe(403);
    expect((await request(app).get(`${MOUNT}/api/teams/team_b`)).status).toBe(404);
    expect((await request(app).get(`${MOUNT}/api/teams/team_a`)).status).toBe(200);
    expect(
      (await post('/api/keys', { name: 'sneaky', teamId: 'team_b', environment: 'production' }))
        .status,
    ).toBe(404);
    const own = await post('/api/keys', { name: 'new', environment: 'production' });
    expect([own.status, own.body.record.teamId]).toEqual([201, 'team_a']);
    const page = await request(app).get(MOUNT + '/');
    expect(page.text).toContain('mine');
    expect(page.text).not.toContain('theirs');
    expect(page.text).not.toContain('team_b');
    expect((await post(`/api/keys/${a.record.id}/revoke`)).status).toBe(200);
    expect(await ping(a.key)).toBe(401);
    expect((await request(admin).get(`${MOUNT}/api/keys`)).body.data).toHaveLength(3);
  });
});

describe('CSRF defence', () => {
  it('refuses cross-site mutations with 403 and changes nothing; same-origin and scripts pass', async () => {
    const { app, create, ping } = await setup();
    const { key, record } = await create();
    const attempt = (headers: Record<string, string>, type = JSON_TYPE) => {
      const req = request(app)
        .post(`${MOUNT}/api/keys/${record.id}/revoke`)
        .set('content-type', type);
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      return req.send('{}');
    };
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' },
      { 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1' },
      { origin: 'http://127.0.0.1.evil.example' },
    ];
    for (const headers of refused) {
      const res = await attempt(headers);
      expect([JSON.stringify(headers), res.status, res.body.code]).toEqual([
        JSON.stringify(headers),
        403,
        'forbidden',
      ]);
    }
    const form = await attempt({}, 'application/x-www-form-urlencoded');
    expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
    const plain = await attempt({}, 'text/plain');
    expect(plain.status).toBe(415);
    expect(await ping(key)).toBe(200);

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const sameOrigin = await fetch(
        `http://127.0.0.1:${port}${MOUNT}/api/keys/${record.id}/revoke`,
        {
          method: 'POST',
          headers: {
            'content-type': JSON_TYPE,
            origin: `http://127.0.0.1:${port}`,
            'sec-fetch-site': 'same-origin',
          },
          body: '{}',
        },
      );
      expect(sameOrigin.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await ping(key)).toBe(401);
    expect((await attempt({})).status).toBe(200);
  });

  it('compares whole origins: default ports normalised, no downgrade from an http page', async () => {
    const { app, create } = await setup();
    const { record } = await create();
    const send = (host: string, origin: string) =>
      request(app)
        .post(`${MOUNT}/api/keys/${record.id}/unblock`)
        .set('host', host)
        .set('origin', origin)
        .set('content-type', JSON_TYPE)
        .send('{}');
    expect((await send('admin.example.com:80', 'http://admin.example.com')).status).toBe(200);
    expect((await send('admin.example.com', 'http://admin.example.com:80')).status).toBe(200);
    // Behind a TLS-terminating proxy the page is https while the request arrives over http.
    expect((await send('admin.example.com', 'https://admin.example.com')).status).toBe(200);
    expect((await send('admin.example.com', 'http://admin.example.com:8080')).status).toBe(403);
    expect((await send('admin.example.com', 'ftp://admin.example.com')).status).toBe(403);
  });

  it('accepts a trusted origin behind a proxy that rewrites Host', async () => {
    const { store, create } = await setup();
    const { record } = await create();
    const app = express();
    app.use(
      MOUNT,
      keyAdmin({ store, authorize: () => true, trustedOrigins: ['https://admin.example.com'] }),
    );
    const send = (origin: string) =>
      request(app)
        .post(`${MOUNT}/api/keys/${record.id}/revoke`)
        .set('content-type', JSON_TYPE)
        .set('origin', origin)
        .set('sec-fetch-site', 'cross-site')
        .send('{}');
    expect((await send('https://admin.example.com')).status).toBe(200);
    expect((await send('https://evil.example.com')).status).toBe(403);
  });
});

describe('the page', () => {
  it('has a strict CSP with no inline script or style, and escapes everything', async () => {
    const { app, create } = await setup();
    await create({
      name: '<img src=x onerror=alert(1)>',
      customerId: '"><script>alert(2)</script>',
      scopes: 'a:read',
    });
    const res = await request(app).get(MOUNT + '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).not.toContain('<script>alert(2)');
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // Every <script> has a src; no inline event handler or style attribute anywhere.
    expect(res.text.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    const markup = res.text.replace(/"[^"]*"/g, '""'); // attribute values are escaped text
    expect(markup).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(markup).not.toMatch(/<[^>]*\sstyle=/i);
    expect(res.text).toContain(`src="${MOUNT}/assets/admin.js?v=`);
  });

  it('works mounted under Express 4, Connect and a bare path, with links under the mount', async () => {
    const store = new MemoryKeyStore();
    await store.saveTeam(TEAM_A);
    const options = { store, authorize: () => true };
    const e4 = express4();
    e4.use('/ops/keys', keyAdmin(options));
    const c = connect();
    c.use('/ops/keys', keyAdmin(options));
    for (const app of [e4, c]) {
      const page = await request(app).get('/ops/keys');
      expect(page.status).toBe(200);
      expect(page.text).toContain('href="/ops/keys/assets/admin.css?v=');
      expect(page.text).toContain('data-base="/ops/keys"');
      const created = await request(app)
        .post('/ops/keys/api/keys')
        .set('content-type', JSON_TYPE)
        .send(JSON.stringify({ name: 'x', teamId: 'team_a', environment: 'development' }));
      expect([created.status, created.body.key]).toEqual([201, expect.stringMatching(/^kw_dev_/)]);
      expect((await request(app).get('/ops/keys/assets/admin.js')).status).toBe(200);
    }
    const root = express();
    root.use(keyAdmin(options));
    expect((await request(root).get('/')).text).toContain('data-base=""');
  });

  it('uses the JSON body an upstream express.json() already parsed', async () => {
    const store = new MemoryKeyStore();
    await store.saveTeam(TEAM_A);
    const app = express();
    app.use(express.json());
    app.use(MOUNT, keyAdmin({ store, authorize: () => true }));
    const res = await request(app)
      .post(`${MOUNT}/api/keys`)
      .send({ name: 'parsed upstream', teamId: 'team_a', environment: 'production' });
    expect([res.status, res.body.record?.name]).toEqual([201, 'parsed upstream']);
  });
});

describe('a failing key store', () => {
  it('answers 503 store_unavailable without leaking the error, and emits a secret-free event', async () => {
    const store = new MemoryKeyStore();
    await store.saveTeam(TEAM_A);
    const events: KeywardEvent[] = [];
    store.listKeys = () => Promise.reject(new Error('connect ECONNREFUSED postgres://admin:pw@db'));
    store.getKey = () => Promise.reject(new Error('connect ECONNREFUSED postgres://admin:pw@db'));
    const app = express();
    app.use(MOUNT, keyAdmin({ store, authorize: () => true, onEvent: (e) => void events.push(e) }));
    for (const res of [
      await request(app).get(MOUNT + '/'),
      await request(app).get(`${MOUNT}/api/keys/key_1`),
      await request(app)
        .post(`${MOUNT}/api/keys/key_1/revoke`)
        .set('content-type', JSON_TYPE)
        .send('{}'),
    ]) {
      expect([res.status, res.body.code]).toEqual([503, 'store_unavailable']);
      expect(res.text).not.toMatch(/ECONNREFUSED|pw@db/);
    }
    expect(events.some((e) => e.type === 'store.error')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('pw@db');
  });

  it('answers a store that returns nonsense with a 500 that shows nothing, not a store outage', async () => {
    const store = new MemoryKeyStore();
    const events: KeywardEvent[] = [];
    store.listKeys = () => Promise.resolve(42 as never);
    const app = express();
    app.use(MOUNT, keyAdmin({ store, authorize: () => true, onEvent: (e) => void events.push(e) }));
    const res = await request(app).get(`${MOUNT}/api/keys`);
    expect([res.status, res.body.code, res.body.detail]).toEqual([
      500,
      'internal_error',
      'An unexpected error occurred.',
    ]);
    expect(events).toEqual([]);
  });
});
