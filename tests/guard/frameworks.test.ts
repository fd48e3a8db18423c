import connect from 'connect';
import express4 from 'express4';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { requestGuard } from '../../src/guard/request-guard.js';

describe('requestGuard under Express 4', () => {
  const app = express4();
  app.use(express4.json());
  app.use(requestGuard({ allow: [{ endpoint: 'POST /v1/pages', fields: ['body.html'] }] }));
  app.use((_req, res) => void res.json({ ok: true }));

  it('inspects qs-style nested query keys', async () => {
    const res = await request(app).get('/v1/x?filter[name][eq]=%3Cscript%3Ealert(1)%3C/script%3E');
    expect(res.body.violations).toEqual([{ category: 'xss', location: 'query.filter.name.eq' }]);
  });

  it('inspects bodies and honours exemptions', async () => {
    expect((await request(app).post('/v1/pages').send({ html: '<script>x</script>' })).status).toBe(
      200,
    );
    const res = await request(app).post('/v1/posts').send({ html: '<script>x</script>' });
    expect([res.status, res.body.violations]).toEqual([
      400,
      [{ category: 'xss', location: 'body.html' }],
    ]);
  });
});

describe('requestGuard under Connect', () => {
  const app = connect();
  app.use(requestGuard({ requireHttps: false }));
  app.use((_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"ok":true}');
  });

  it('parses the raw query itself when there is no req.query', async () => {
    const res = await request(app).get("/search?q=1'%20or%20'1'%3D'1");
    expect(res.status).toBe(400);
    expect(res.body.violations).toEqual([{ category: 'sql_injection', location: 'query.q' }]);
  });

  it('inspects the path and lets ordinary requests through', async () => {
    expect((await request(app).get('/files/..%2f..%2fetc%2fpasswd')).body.violations).toEqual([
      { category: 'path_traversal', location: 'path' },
    ]);
    expect((await request(app).get("/search?q=O'Brien+%3C3")).status).toBe(200);
  });

  it('requireHttps reads the socket when req.secure is absent', async () => {
    const strict = connect();
    strict.use(requestGuard({ requireHttps: true }));
    const res = await request(strict).get('/');
    expect([res.status, res.body.code]).toEqual([403, 'https_required']);
  });
});
