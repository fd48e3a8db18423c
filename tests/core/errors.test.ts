import express from 'express';
import request from 'supertest';
import {
  ERROR_CATALOG,
  KeywardError,
  problemHandler,
  requireScope,
  type ErrorCode,
} from '../../src/index.js';
import { issue, world } from '../helpers/setup.js';

function appThrowing(err: unknown, options: Parameters<typeof problemHandler>[0] = {}) {
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.all('/boom', () => {
    throw err;
  });
  app.post('/body', (req, res) => void res.json(req.body));
  app.use(problemHandler(options));
  return app;
}

describe('error model', () => {
  it.each(Object.keys(ERROR_CATALOG) as ErrorCode[])(
    'renders %s as an RFC 9457 problem',
    async (code) => {
      const res = await request(appThrowing(new KeywardError(code))).get('/boom?x=1');
      const entry = ERROR_CATALOG[code];
      expect(res.status).toBe(entry.status);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toEqual({
        type: `https://keyward.dev/errors/${code}`,
        title: entry.title,
        status: entry.status,
        detail: entry.detail,
        instance: '/boom',
        code,
        requestId: res.headers['x-request-id'],
      });
    },
  );

  it('host code raises the same errors with extension members and headers', async () => {
    const res = await request(
      appThrowing(
        new KeywardError('feature_required', {
          features: ['max'],
          detail: "Your subscription does not include the 'max' feature.",
          headers: { 'X-Why': 'plan' },
        }),
      ),
    ).get('/boom');
    expect(res.status).toBe(403);
    expect(res.headers['x-why']).toBe('plan');
    expect(res.body).toMatchObject({
      code: 'feature_required',
      title: 'Feature Not Available',
      features: ['max'],
      detail: "Your subscription does not include the 'max' feature.",
    });
  });

  it('any other error becomes a 500 internal_error that leaks nothing, reported to onInternalError', async () => {
    const seen: unknown[] = [];
    const res = await request(
      appThrowing(new Error('SELECT * FROM secrets WHERE password=hunter2'), {
        onInternalError: (e) => void seen.push(e),
      }),
    ).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      code: 'internal_error',
      detail: 'An unexpected error occurred.',
    });
    expect(res.text).not.toMatch(/hunter2|SELECT|stack/);
    expect(seen).toHaveLength(1);
    const weird = await request(appThrowing('a string')).get('/boom');
    expect(weird.body.code).toBe('internal_error');
  });

  it('body-parser failures become malformed_body and payload_too_large', async () => {
    const app = appThrowing(null);
    const bad = await request(app)
      .post('/body')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect([bad.status, bad.body.code, bad.body.title]).toEqual([
      400,
      'malformed_body',
      'Bad Request',
    ]);
    expect(bad.text).not.toContain('Unexpected');
    const big = await request(app)
      .post('/body')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(2000) }));
    expect([big.status, big.body.code]).toEqual([413, 'payload_too_large']);
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const app = appThrowing(new KeywardError('not_found'));
    const kept = await request(app).get('/boom').set('X-Request-Id', 'req_abc.123:x-y');
    expect(kept.headers['x-request-id']).toBe('req_abc.123:x-y');
    expect(kept.body.requestId).toBe('req_abc.123:x-y');
    for (const bad of ['has space', 'x'.repeat(129), '<script>', '']) {
      const res = await request(app).get('/boom').set('X-Request-Id', bad);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    }
  });

  it('successful responses carry X-Request-Id too', async () => {
    const w = await world();
    const { key } = await issue(w);
    const res = await request(w.app)
      .get('/v1/echo')
      .set('x-api-key', key)
      .set('X-Request-Id', 'abc-1');
    expect(res.headers['x-request-id']).toBe('abc-1');
  });

  it('envelope format, a custom formatter, and inheritance from the first keyward middleware', async () => {
    const w = await world({ errorFormat: 'envelope' });
    const { key } = await issue(w, { scopes: [] });
    w.app.get('/v1/scoped', requireScope('companies:write'), (_req, res) => void res.send('no'));
    const missing = await request(w.app).get('/v1/echo');
    expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(missing.body).toEqual({
      error: { code: 'missing_token', message: expect.any(String), status: 401 },
    });
    const scoped = await request(w.app).get('/v1/scoped').set('x-api-key', key);
    expect(scoped.body).toEqual({
      error: { code: 'insufficient_scope', message: expect.any(String), status: 403 },
    });

    const app = express();
    app.get('/x', () => {
      throw new KeywardError('forbidden');
    });
    app.use(
      problemHandler({
        errorFormat: ({ problem }, _req, res) => void res.end(`custom:${String(problem.code)}`),
      }),
    );
    const res = await request(app).get('/x');
    expect([res.status, res.text]).toEqual([403, 'custom:forbidden']);
  });

  it('a throwing custom formatter falls back to the problem document', async () => {
    const app = express();
    app.get('/x', () => {
      throw new KeywardError('not_found');
    });
    app.use(
      problemHandler({
        errorFormat: () => {
          throw new Error('formatter bug');
        },
      }),
    );
    const res = await request(app).get('/x');
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });

  it('KeywardError rejects unknown codes and is http-errors shaped', () => {
    expect(() => new KeywardError('nope' as ErrorCode)).toThrow(/unknown error code/);
    const e = new KeywardError('rate_limit_exceeded', { limit: 'per_minute', retryAfter: 3 });
    expect([e.status, e.statusCode, e.expose, e.code, e.message]).toEqual([
      429,
      429,
      true,
      'rate_limit_exceeded',
      'Rate limit exceeded. Please retry later.',
    ]);
    expect(e.extensions).toEqual({ limit: 'per_minute', retryAfter: 3 });
  });
});
