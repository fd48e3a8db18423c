import express from 'express';
import request from 'supertest';
import { apiKeyAuth, publicOnly, requireFeature, requireScope } from '../../src/index.js';
import { scopeCovers } from '../../src/access/scopes.js';
import { ACTIVE_TEAM, issue, world } from '../helpers/setup.js';

describe('publicOnly', () => {
  async function setup() {
    const w = await world();
    const app = express();
    app.use((req, _res, next) => {
      if (req.headers.cookie === 'session=admin') (req as { user?: string }).user = 'admin';
      next();
    });
    const auth = apiKeyAuth(w.store, { clock: w.clock, bruteForce: false });
    app.use(
      '/v1',
      (req, res, next) => ((req as { user?: string }).user ? next() : auth(req, res, next)),
      publicOnly([
        'GET /v1/companies',
        'GET /v1/companies/:id',
        'POST /v1/verify',
        '* /v1/open/*',
        /^DELETE \/v1\/trash\/\d+$/,
      ]),
    );
    app.all('/v1/{*rest}', (req, res) => void res.json({ ok: req.method }));
    const { key } = await issue(w);
    return { app, key };
  }

  it.each([
    ['GET', '/v1/companies'],
    ['GET', '/v1/companies/'],
    ['HEAD', '/v1/companies'],
    ['GET', '/v1/companies/42'],
    ['POST', '/v1/verify'],
    ['PUT', '/v1/open/a/b'],
    ['DELETE', '/v1/trash/7'],
    ['GET', '/v1/companies?x=1'],
    // Express routes case-insensitively by default, and so does the matcher.
    ['GET', '/V1/Companies'],
  ])('lets an API key reach %s %s', async (method, path) => {
    const { app, key } = await setup();
    const res = await request(app)[method.toLowerCase() as 'get'](path).set('x-api-key', key);
    expect(res.status).toBe(200);
  });

  it.each([
    ['POST', '/v1/companies'],
    ['GET', '/v1/companies/42/secrets'],
    ['GET', '/v1/internal'],
    ['GET', '/v1/verify'],
    ['DELETE', '/v1/trash/x'],
    // Raw paths, as Express matches them: an encoded letter is not the public route.
    ['GET', '/v1/%63ompanies'],
    ['GET', '/v1//companies'],
  ])('refuses an API key on %s %s with 403 endpoint_not_available', async (method, path) => {
    const { app, key } = await setup();
    const res = await request(app)[method.toLowerCase() as 'get'](path).set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'endpoint_not_available',
      title: 'Endpoint Not Available',
      detail: 'This endpoint is not available for API key authentication.',
    });
  });

  it('lets other authentication (a web session) through untouched', async () => {
    const { app } = await setup();
    await request(app).get('/v1/internal').set('Cookie', 'session=admin').expect(200);
  });

  it('takes a predicate and rejects bad configuration at construction', () => {
    expect(() => publicOnly(['GET companies'])).toThrow(/unsupported endpoint, "GET companies"/);
    expect(() => publicOnly('GET /x' as never)).toThrow(/must be an array/);
    expect(() => publicOnly([], { errorFormt: 'envelope' } as never)).toThrow(
      /Did you mean to pass `errorFormat`/,
    );
    expect(typeof publicOnly((req) => req.method === 'GET')).toBe('function');
  });
});

describe('requireScope and requireFeature', () => {
  it.each([
    ['*', 'anything:at:all', true],
    ['a:*', 'a:read', true],
    ['a:*', 'a:b:c', true],
    ['a:*', 'ab:read', false],
    ['a:*', 'a', false],
    ['a:read', 'a:read', true],
    ['a:read', 'a:write', false],
  ])('scope %s covers %s: %s', (granted, required, expected) => {
    expect(scopeCovers(granted, required)).toBe(expected);
  });

  async function setup(scopes: string[], features = ACTIVE_TEAM.features) {
    const w = await world({}, { ...ACTIVE_TEAM, features });
    w.app.get(
      '/v1/companies',
      requireScope('companies:read', 'companies:list'),
      (_q, r) => void r.send('ok'),
    );
    w.app.get('/v1/reports', requireFeature('enterprise', 'max'), (_q, r) => void r.send('ok'));
    const { key } = await issue(w, { scopes });
    return { w, key };
  }

  it('requires every listed scope and reports the missing ones', async () => {
    const { w, key } = await setup(['companies:read']);
    const res = await request(w.app).get('/v1/companies').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'insufficient_scope',
      title: 'Insufficient Scope',
      scopes: ['companies:list'],
    });
    const wild = await setup(['companies:*']);
    await request(wild.w.app).get('/v1/companies').set('x-api-key', wild.key).expect(200);
  });

  it('requires every listed feature and names the missing ones', async () => {
    const { w, key } = await setup(['*'], ['max']);
    const res = await request(w.app).get('/v1/reports').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'feature_required',
      title: 'Feature Not Available',
      features: ['enterprise'],
      detail: "Your subscription does not include the 'enterprise' feature.",
    });
    const full = await setup(['*'], ['enterprise', 'max']);
    await request(full.w.app).get('/v1/reports').set('x-api-key', full.key).expect(200);
  });

  it('fail closed with 401 missing_token when no key authenticated the request', async () => {
    const app = express();
    let ran = false;
    app.get('/a', requireScope('x'), () => void (ran = true));
    app.get('/b', requireFeature('x'), () => void (ran = true));
    for (const path of ['/a', '/b']) {
      const res = await request(app).get(path);
      expect([res.status, res.body.code]).toEqual([401, 'missing_token']);
    }
    expect(ran).toBe(false);
  });

  it('reject bad configuration at construction', () => {
    expect(() => requireScope()).toThrow(/at least one/);
    expect(() => requireFeature(42 as never)).toThrow(/strings/);
  });
});
