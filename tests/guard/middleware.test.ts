import request from 'supertest';
import { guardedApp } from './helpers.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('requestGuard: locations', () => {
  it('lets an ordinary request through untouched', async () => {
    const { app, seen } = guardedApp();
    const res = await request(app)
      .post("/v1/search?q=select+a+plan&name=O'Brien")
      .set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0')
      .send({ note: 'Drop me a line -- price < 100 <3', tags: ["L'Oréal", 'union station'] });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(seen).toHaveLength(1);
  });

  it('blocks a query value with the exact problem document and never echoes the payload', async () => {
    const { app, seen } = guardedApp();
    const res = await request(app)
      .get("/v1/search?q=1'%20or%20'1'%3D'1")
      .set('X-Request-Id', 'req-1');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.body).toEqual({
      type: 'https://keyward.dev/errors/request_blocked',
      title: 'Request Blocked',
      status: 400,
      detail: 'The request contains content that is not allowed.',
      instance: '/v1/search',
      code: 'request_blocked',
      requestId: 'req-1',
      violations: [{ category: 'sql_injection', location: 'query.q' }],
    });
    expect(res.text).not.toContain("'1'");
    expect(seen).toEqual([]);
  });

  it('reports a bad query key at `query`', async () => {
    const { app } = guardedApp();
    const res = await request(app).get('/v1/search?%3Cscript%3Ealert(1)%3C%2Fscript%3E=1');
    expect(res.body.violations).toEqual([{ category: 'xss', location: 'query' }]);
  });

  it.each([
    ['/v1/files/..%2f..%2fetc%2fpasswd', 'path_traversal'],
    ['/v1/files/%252e%252e%252fetc', 'path_traversal'],
    ["/v1/users/1'%20or%20'1'='1", 'sql_injection'],
    ['/v1/users/%3Csvg%20onload=alert(1)%3E', 'xss'],
  ])('inspects the decoded path %s', async (path, category) => {
    const res = await request(guardedApp().app).get(path);
    expect([res.status, res.body.violations]).toEqual([400, [{ category, location: 'path' }]]);
  });

  it('inspects nested JSON bodies, arrays by index, and keys at their holder', async () => {
    const res = await request(guardedApp().app)
      .post('/v1/orders')
      .send({
        user: { bio: '<img src=x onerror=alert(1)>' },
        items: [{ n: 'ok' }, { n: "' or 1=1--" }],
        meta: { '../../etc/passwd': true },
      });
    expect(res.body.violations).toEqual([
      { category: 'xss', location: 'body.user.bio' },
      { category: 'sql_injection', location: 'body.items.1.n' },
      { category: 'path_traversal', location: 'body.meta' },
    ]);
  });

  it('inspects urlencoded bodies', async () => {
    const res = await request(guardedApp().app)
      .post('/v1/form')
      .type('form')
      .send('comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E&name=Ann');
    expect(res.body.violations).toEqual([{ category: 'xss', location: 'body.comment' }]);
  });

  it('inspects user-agent and referer by default, other headers only when configured', async () => {
    const attack = "' or 1=1--";
    const res = await request(guardedApp().app)
      .get('/')
      .set('User-Agent', attack)
      .set('Referer', 'https://x.test/<script>alert(1)</script>');
    expect(res.body.violations).toEqual([
      { category: 'sql_injection', location: 'headers.user-agent' },
      { category: 'xss', location: 'headers.referer' },
    ]);
    expect((await request(guardedApp().app).get('/').set('X-Search', attack)).status).toBe(200);
    const custom = guardedApp({ headers: ['X-Search'] }).app;
    expect((await request(custom).get('/').set('X-Search', attack)).body.violations).toEqual([
      { category: 'sql_injection', location: 'headers.x-search' },
    ]);
    expect(
      (
        await request(guardedApp({ headers: false }).app)
          .get('/')
          .set('User-Agent', attack)
      ).status,
    ).toBe(200);
  });

  it('answers HEAD with the status and no body', async () => {
    const res = await request(guardedApp().app).head('/?q=%3Cscript%3E');
    expect([res.status, res.text]).toEqual([400, undefined]);
  });
});
