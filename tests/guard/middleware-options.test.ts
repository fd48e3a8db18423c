import type { KeywardEvent } from '../../src/events.js';
import request from 'supertest';
import { guardedApp } from './helpers.js';

describe('requestGuard: options', () => {
  it('checks: only the listed categories are detected', async () => {
    const { app } = guardedApp({ checks: ['xss'] });
    expect((await request(app).get("/?q=1' or '1'='1")).status).toBe(200);
    expect((await request(app).get('/?q=%3Cscript%3E')).status).toBe(400);
  });

  describe('allow', () => {
    const { app, seen } = guardedApp({
      allow: [
        { endpoint: 'POST /v1/pages', fields: ['body.html'] },
        { endpoint: ['PUT /v1/pages/:id'], fields: ['body.blocks.*.html'], checks: ['xss'] },
        { endpoint: '* /internal/*' },
        { fields: ['query.redirect'], checks: ['path_traversal'] },
      ],
    });
    const html = '<p onclick="track()">Hi</p><script>analytics()</script>';

    it('exempts a field on an endpoint, and only that field', async () => {
      expect((await request(app).post('/v1/pages').send({ html })).status).toBe(200);
      expect(
        (
          await request(app)
            .post('/v1/pages')
            .send({ html: { nested: html } })
        ).status,
      ).toBe(200);
      const other = await request(app).post('/v1/pages').send({ html, title: html });
      expect(other.body.violations).toEqual([{ category: 'xss', location: 'body.title' }]);
      const elsewhere = await request(app).post('/v1/posts').send({ html });
      expect(elsewhere.body.violations).toEqual([{ category: 'xss', location: 'body.html' }]);
      expect(seen).toEqual(['POST /v1/pages', 'POST /v1/pages']);
    });

    it('supports * segments and per-category exemptions', async () => {
      const ok = await request(app)
        .put('/v1/pages/7')
        .send({ blocks: [{ html }, { html }] });
      expect(ok.status).toBe(200);
      const sql = await request(app)
        .put('/v1/pages/7')
        .send({ blocks: [{ html: "' or 1=1--" }] });
      expect(sql.body.violations).toEqual([
        { category: 'sql_injection', location: 'body.blocks.0.html' },
      ]);
    });

    it('exempts a whole endpoint, and a field on every endpoint', async () => {
      expect(
        (await request(app).post('/internal/debug?q=%3Cscript%3E').send({ html })).status,
      ).toBe(200);
      expect((await request(app).get('/any?redirect=../home')).status).toBe(200);
      expect((await request(app).get('/any?redirect=%3Cscript%3E')).status).toBe(400);
    });
  });

  describe('size and depth caps', () => {
    const big = { text: 'a'.repeat(5000) };

    it('maxBytes: a declared body over the cap is 413 payload_too_large', async () => {
      const res = await request(guardedApp({ maxBytes: 1000 }).app)
        .post('/')
        .send(big);
      expect([res.status, res.body.code]).toEqual([413, 'payload_too_large']);
      expect(res.body.detail).toBe(
        'The request body is larger than the 1000 bytes this API accepts.',
      );
    });

    it("overflow: 'pass' inspects the first maxBytes and lets the rest through", async () => {
      const { app } = guardedApp({ maxBytes: 1000, overflow: 'pass' });
      expect((await request(app).post('/').send(big)).status).toBe(200);
      const early = await request(app)
        .post('/')
        .send({ a: '<script>', ...big });
      expect(early.body.violations).toEqual([{ category: 'xss', location: 'body.a' }]);
    });

    it('a parsed body over the cap without a Content-Length is 413 too', async () => {
      const { app } = guardedApp({ maxBytes: 1000 }, (req, _res, next) => {
        req.body = big;
        next();
      });
      expect((await request(app).get('/')).status).toBe(413);
    });

    it('maxDepth: deeper input is 400 bad_request, not silently skipped', async () => {
      let deep: unknown = '<script>';
      for (let i = 0; i < 10; i++) deep = { d: deep };
      const res = await request(guardedApp({ maxDepth: 5 }).app)
        .post('/')
        .send(deep as object);
      expect([res.status, res.body.code, res.body.detail]).toEqual([
        400,
        'bad_request',
        'The request nests objects or arrays deeper than 5 levels.',
      ]);
    });
  });

  it('requireHttps: 403 https_required unless req.secure', async () => {
    const { app } = guardedApp({ requireHttps: true });
    const res = await request(app).get('/');
    expect([res.status, res.body.code]).toEqual([403, 'https_required']);
    expect((await request(app).get('/').set('X-Forwarded-Proto', 'https')).status).toBe(200);
  });

  it('requireJson: 415 when a body is sent without application/json', async () => {
    const { app } = guardedApp({ requireJson: true });
    const res = await request(app).post('/').type('text/plain').send('hello');
    expect([res.status, res.body.code]).toEqual([415, 'unsupported_media_type']);
    expect((await request(app).post('/').send({ a: 1 })).status).toBe(200);
    expect(
      (await request(app).post('/').type('application/merge-patch+json').send('{}')).status,
    ).toBe(200);
    expect((await request(app).get('/')).status).toBe(200);
  });

  it("errorFormat: 'envelope'", async () => {
    const res = await request(guardedApp({ errorFormat: 'envelope' }).app).get('/?q=%3Cscript%3E');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      error: {
        code: 'request_blocked',
        message: 'The request contains content that is not allowed.',
        status: 400,
      },
    });
  });

  it('onEvent: request.blocked with time, id, ip and violations, never the payload', async () => {
    const events: KeywardEvent[] = [];
    const { app } = guardedApp({
      onEvent: (e) => void events.push(e),
      clock: () => 1_700_000_000_000,
    });
    const res = await request(app)
      .get('/?q=%3Cscript%3Esecret%3C%2Fscript%3E')
      .set('X-Forwarded-For', '203.0.113.9');
    expect(events).toEqual([
      {
        type: 'request.blocked',
        at: new Date(1_700_000_000_000),
        requestId: res.headers['x-request-id'],
        ip: '203.0.113.9',
        violations: [{ category: 'xss', location: 'query.q' }],
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('a throwing onEvent never changes the answer', async () => {
    const { app } = guardedApp({
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    expect((await request(app).get('/?q=%3Cscript%3E')).status).toBe(400);
  });
});
