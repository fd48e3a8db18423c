import connect from 'connect';
import express4 from 'express4';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import {
  apiKeyAuth,
  KeyManager,
  MemoryCounterStore,
  MemoryKeyStore,
  problemHandler,
  publicOnly,
  requireScope,
  type KeyStore,
} from '../../src/index.js';
import { ACTIVE_TEAM } from '../helpers/setup.js';

async function seeded() {
  const store = new MemoryKeyStore();
  await store.saveTeam(ACTIVE_TEAM);
  const { key } = await new KeyManager(store).create({
    teamId: ACTIVE_TEAM.id,
    name: 'k',
    environment: 'production',
    scopes: ['a:read'],
  });
  return { store, key };
}

describe('Express 4', () => {
  it('runs the same middlewares and renders errors', async () => {
    const { store, key } = await seeded();
    const app = express4();
    app.use('/v1', apiKeyAuth(store), publicOnly(['GET /v1/things']));
    app.get(
      '/v1/things',
      requireScope('a:read'),
      (req, res) => void res.json({ team: req.apiKey?.teamId }),
    );
    app.get('/v1/hidden', (_req, res) => void res.send('no'));
    app.use(problemHandler());
    expect((await request(app).get('/v1/things').set('x-api-key', key)).body).toEqual({
      team: ACTIVE_TEAM.id,
    });
    expect((await request(app).get('/v1/hidden').set('x-api-key', key)).body.code).toBe(
      'endpoint_not_available',
    );
    expect((await request(app).get('/v1/things')).body.code).toBe('missing_token');
  });

  it('an unexpected async failure inside apiKeyAuth reaches next(err) instead of hanging', async () => {
    const evil = {
      findByHash: () => Promise.resolve({ nonsense: true }),
      findTeam: () => Promise.resolve(null),
    } as unknown as KeyStore;
    const { key } = await seeded();
    const app = express4();
    app.use(apiKeyAuth(evil, { counters: new MemoryCounterStore() }));
    app.get('/', (_req, res) => void res.send('no'));
    app.use(problemHandler());
    const res = await request(app).get('/').set('x-api-key', key).timeout(5000);
    expect([res.status, res.body.code]).toEqual([500, 'internal_error']);
  });
});

describe('Connect', () => {
  it('authenticates and answers problems without Express', async () => {
    const { store, key } = await seeded();
    const app = connect();
    app.use(apiKeyAuth(store));
    app.use((req: IncomingMessage & { apiKey?: { keyId: string } }, res: ServerResponse) => {
      res.end(`hello ${req.apiKey ? 'key' : 'anon'}`);
    });
    expect((await request(app).get('/').set('Authorization', `Bearer ${key}`)).text).toBe(
      'hello key',
    );
    const res = await request(app).get('/');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.text)).toMatchObject({ code: 'missing_token', instance: '/' });
  });
});

describe('construction-time configuration errors', () => {
  const store = new MemoryKeyStore();
  it.each([
    [() => apiKeyAuth(undefined as never), /first argument must be a KeyStore/],
    [
      () => apiKeyAuth(store, { enviroment: 'production' } as never),
      /unsupported property, `enviroment`. Did you mean to pass `environment`\?/,
    ],
    [
      () => apiKeyAuth(store, { environment: 'prod' as never }),
      /unsupported `environment`, "prod"/,
    ],
    [() => apiKeyAuth(store, { prefix: 'KW_' }), /unsupported `prefix`/],
    [() => apiKeyAuth(store, { sources: [] }), /non-empty array/],
    [() => apiKeyAuth(store, { sources: ['cookie' as never] }), /unsupported source, "cookie"/],
    [() => apiKeyAuth(store, { pepper: 'short' }), /at least 16/],
    [
      () => apiKeyAuth(store, { bruteForce: { maxFailure: 3 } as never }),
      /Did you mean to pass `maxFailures`/,
    ],
    [() => apiKeyAuth(store, { cache: { ttlMs: -1 } }), /cache.ttlMs/],
    [() => apiKeyAuth(store, { errorFormat: 'xml' as never }), /unsupported `errorFormat`, "xml"/],
    [() => apiKeyAuth(store, { onStoreError: 'ignore' as never }), /'fail-closed' or 'fail-open'/],
    [
      () => apiKeyAuth(store, apiKeyAuth as never),
      /app.use\(apiKeyAuth\) instead of app.use\(apiKeyAuth\(\)\)/,
    ],
    [() => new KeyManager({} as never), /KeyAdminStore/],
  ])('%#: throws a helpful TypeError', (make, message) => {
    expect(make).toThrow(message);
  });

  it('never mutates the options object', () => {
    const options = Object.freeze({
      environment: 'production' as const,
      bruteForce: Object.freeze({ maxFailures: 3 }),
      cache: Object.freeze({ ttlMs: 10 }),
    });
    expect(() => apiKeyAuth(store, options)).not.toThrow();
    expect(options).toEqual({
      environment: 'production',
      bruteForce: { maxFailures: 3 },
      cache: { ttlMs: 10 },
    });
  });
});
