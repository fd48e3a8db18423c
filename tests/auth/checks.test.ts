import request from 'supertest';
import { generateKey } from '../../src/keys/format.js';
import { ACTIVE_TEAM, issue, world } from '../helpers/setup.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('apiKeyAuth: a valid key', () => {
  it('passes and exposes req.apiKey with everything handlers need (no secret)', async () => {
    const w = await world();
    const { key, record } = await issue(w, { customerId: 'cus_1', limits: { perMinute: 10 } });
    const res = await request(w.app).get('/v1/echo').set('X-API-Key', key);
    expect(res.status).toBe(200);
    expect(res.body.apiKey).toEqual({
      keyId: record.id,
      teamId: ACTIVE_TEAM.id,
      name: 'Production Server',
      environment: 'production',
      scopes: ['companies:read'],
      customerId: 'cus_1',
      features: ['pro'],
      plan: 'pro',
      limits: { perMinute: 10 },
      teamLimits: {},
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toContain(key);
    expect(w.hits).toEqual(['/v1/echo']);
  });

  it.each([
    ['x-api-key', (k: string) => ({ 'x-api-key': k })],
    ['X-API-KEY', (k: string) => ({ 'X-API-KEY': k })],
    ['Authorization: Bearer', (k: string) => ({ Authorization: `Bearer ${k}` })],
    ['Authorization: bearer (any case)', (k: string) => ({ Authorization: `bEaReR ${k}` })],
    [
      'both sources with the same key',
      (k: string) => ({ 'x-api-key': k, Authorization: `Bearer ${k}` }),
    ],
  ])('reads the key from %s', async (_name, headers) => {
    const w = await world();
    const { key } = await issue(w);
    const res = await request(w.app).get('/v1/echo').set(headers(key));
    expect(res.status).toBe(200);
  });

  it('reads a query parameter only when configured', async () => {
    const off = await world();
    const { key } = await issue(off);
    const res = await request(off.app).get(`/v1/echo?api_key=${key}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('missing_token');

    const on = await world({ sources: ['x-api-key', { query: 'api_key' }] });
    const issued = await issue(on);
    expect((await request(on.app).get(`/v1/echo?api_key=${issued.key}`)).status).toBe(200);
    const twice = await request(on.app).get(`/v1/echo?api_key=${issued.key}&api_key=${issued.key}`);
    expect(twice.body.code).toBe('invalid_api_key');
  });

  it('accepts the configured prefix only', async () => {
    const w = await world({ prefix: 'tic' });
    const foreign = await issue(w); // KeyManager in the world uses the default prefix "kw"
    const res = await request(w.app).get('/v1/echo').set('x-api-key', foreign.key);
    expect(res.body.code).toBe('invalid_api_key');
  });
});

describe('apiKeyAuth: the check table, in order', () => {
  it('row 3: no key anywhere → 401 missing_token with WWW-Authenticate; handler never runs', async () => {
    const w = await world();
    const res = await request(w.app).get('/v1/echo').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toEqual({
      type: 'https://keyward.dev/errors/missing_token',
      title: 'Unauthorized',
      status: 401,
      detail: 'An API key is required. Send it in the X-API-Key header or as a Bearer token.',
      instance: '/v1/echo',
      code: 'missing_token',
      requestId: res.headers['x-request-id'],
    });
    expect(w.hits).toEqual([]);
  });

  it.each([
    [
      'a mistyped key (checksum)',
      (k: string) => ({ 'x-api-key': k.slice(0, -1) + (k.endsWith('A') ? 'B' : 'A') }),
    ],
    ['an unknown well-formed key', () => ({ 'x-api-key': generateKey('kw', 'production').key })],
    ['extra tokens in Bearer', (k: string) => ({ Authorization: `Bearer ${k} ${k}` })],
    ['a comma-separated header value', (k: string) => ({ 'x-api-key': `${k},${k}` })],
    [
      'two sources with different keys',
      (k: string) => ({
        'x-api-key': k,
        Authorization: `Bearer ${generateKey('kw', 'production').key}`,
      }),
    ],
    ['garbage', () => ({ 'x-api-key': "' OR 1=1 --" })],
  ])('row 4: %s → 401 invalid_api_key', async (_name, headers) => {
    const w = await world();
    const { key } = await issue(w);
    const res = await request(w.app).get('/v1/echo').set(headers(key));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_api_key');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(JSON.stringify(res.body)).not.toContain(key);
    expect(w.hits).toEqual([]);
  });

  it('row 4: a repeated X-API-Key header is invalid, never its first part', async () => {
    const w = await world();
    const { key } = await issue(w);
    const net = await import('node:net');
    const server = w.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const head = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(
            `GET /v1/echo HTTP/1.1\r\nHost: x\r\nX-API-Key: ${key}\r\nx-api-key: ${key}\r\nConnection: close\r\n\r\n`,
          );
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
      expect(head).toContain('"code":"invalid_api_key"');
    } finally {
      server.close();
    }
  });

  it('row 4: revoke → 401; restore → 200 again', async () => {
    const w = await world();
    const { key, record } = await issue(w);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
    await w.manager.revoke(record.id);
    const revoked = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect([revoked.status, revoked.body.code]).toEqual([401, 'invalid_api_key']);
    await w.manager.restore(record.id);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
  });

  it('row 5: a staging key on a production API → 401 environment_mismatch naming the key env', async () => {
    const w = await world({ environment: 'production' });
    const { key } = await issue(w, { environment: 'staging' });
    const res = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'environment_mismatch', environment: 'staging' });
    const ok = await issue(w, { environment: 'production' });
    expect((await request(w.app).get('/v1/echo').set('x-api-key', ok.key)).status).toBe(200);
  });

  it('row 6: a block answers 403 api_key_blocked until it ends', async () => {
    const w = await world();
    const { key, record } = await issue(w);
    const until = new Date(w.clock.now() + 60_000);
    await w.manager.block(record.id, until);
    const res = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'api_key_blocked',
      title: 'API Key Blocked',
      blockedUntil: until.toISOString(),
    });
    w.clock.advance(60_000);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
    await w.manager.block(record.id, new Date(w.clock.now() + 1000));
    await w.manager.unblock(record.id);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
  });

  it('row 7: an expired key → 403 api_key_expired with expiredAt', async () => {
    const w = await world();
    const validUntil = new Date(w.clock.now() + 1000);
    const { key } = await issue(w, { validUntil });
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
    w.clock.advance(1000);
    const res = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'api_key_expired',
      title: 'API Key Expired',
      expiredAt: validUntil.toISOString(),
    });
  });

  it('row 6 before row 7: a blocked and expired key reports the block', async () => {
    const w = await world();
    const { key, record } = await issue(w, { validUntil: new Date(w.clock.now() - 1) });
    await w.manager.block(record.id, new Date(w.clock.now() + 5000));
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).body.code).toBe(
      'api_key_blocked',
    );
  });

  it.each([
    ['no team at all', null, 'subscription_required'],
    ['no subscription', { ...ACTIVE_TEAM, subscription: null }, 'subscription_required'],
    [
      'a canceled subscription',
      { ...ACTIVE_TEAM, subscription: { status: 'canceled' as const } },
      'subscription_required',
    ],
    [
      'an expired subscription',
      {
        ...ACTIVE_TEAM,
        subscription: {
          status: 'active' as const,
          expiresAt: new Date('2026-03-10T11:59:59.999Z'),
        },
      },
      'subscription_expired',
    ],
  ])('rows 8–9: %s → 403 %s', async (_name, team, code) => {
    const w = await world({}, team);
    const { key } = await issue(w);
    const res = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(code);
    if (code === 'subscription_expired') {
      expect(res.body.detail).toBe(
        "Your team's subscription has expired. Please renew to continue.",
      );
      expect(res.body.title).toBe('Subscription Expired');
    } else {
      expect(res.body.title).toBe('Subscription Required');
    }
    expect(w.hits).toEqual([]);
  });

  it('a subscription that is still running passes', async () => {
    const w = await world(
      {},
      {
        ...ACTIVE_TEAM,
        subscription: { status: 'active', expiresAt: new Date('2026-03-10T12:00:00.001Z') },
      },
    );
    const { key } = await issue(w);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
  });
});

describe('apiKeyAuth: secrets over a key lifetime', () => {
  it('regenerate: the old secret is dead at once, the new one works, same id/scopes', async () => {
    const w = await world();
    const { key, record } = await issue(w);
    await request(w.app).get('/v1/echo').set('x-api-key', key); // warm the cache
    const next = await w.manager.regenerate(record.id);
    expect(next.record).toMatchObject({ id: record.id, name: record.name, scopes: record.scopes });
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(401);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', next.key)).status).toBe(200);
  });

  it('rotate: both secrets work during the grace period, then only the new one', async () => {
    const w = await world();
    const { key, record } = await issue(w);
    const next = await w.manager.rotate(record.id, { graceMs: 60_000 });
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', next.key)).status).toBe(200);
    w.clock.advance(60_000);
    const old = await request(w.app).get('/v1/echo').set('x-api-key', key);
    expect([old.status, old.body.code]).toEqual([401, 'invalid_api_key']);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', next.key)).status).toBe(200);
  });

  it('rotate defaults to a 24 hour grace period; revoke kills both secrets', async () => {
    const w = await world();
    const { key, record } = await issue(w);
    const next = await w.manager.rotate(record.id);
    w.clock.advance(24 * 3600_000 - 1);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(200);
    await w.manager.revoke(record.id);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', key)).status).toBe(401);
    expect((await request(w.app).get('/v1/echo').set('x-api-key', next.key)).status).toBe(401);
  });
});
