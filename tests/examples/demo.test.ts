import { spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { createDemo } from '../../examples/demo-app.js';

describe('the demo', () => {
  it('serves the seeded key and the documented errors', async () => {
    const { app, key } = await createDemo();
    expect((await request(app).get('/v1/companies').set('X-API-Key', key)).status).toBe(200);
    expect((await request(app).get('/v1/companies')).body.code).toBe('missing_token');
    expect((await request(app).get('/v1/reports').set('X-API-Key', key)).body.code).toBe(
      'feature_required',
    );
    const blocked = await request(app).get("/v1/companies?q=1' OR 1=1--").set('X-API-Key', key);
    expect(blocked.body).toMatchObject({
      code: 'request_blocked',
      violations: [{ category: 'sql_injection', location: 'query.q' }],
    });
    const limited = await request(app).get('/v1/companies').set('X-API-Key', key);
    expect(limited.headers['ratelimit-policy']).toContain('"per_minute";q=60;w=60');
  });

  it('`npm run demo` starts, prints a working key and curl commands', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0' },
    });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`demo did not start: ${text}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Ctrl+C')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.on('exit', (code) => reject(new Error(`demo exited with ${code}: ${text}`)));
      });
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const key = /^\s+(kw_live_[0-9A-Za-z]{28})$/m.exec(output)?.[1];
      expect(base).toBeDefined();
      expect(key).toBeDefined();
      const ok = await fetch(`${base}/v1/companies`, { headers: { 'X-API-Key': key as string } });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${base}/v1/companies`);
      expect(denied.status).toBe(401);
      // The admin page: the printed one-time link signs in once, then the page answers.
      const login = /^\s+(http:\/\/127\.0\.0\.1:\d+\/admin\/login\?token=[\w-]+)$/m.exec(
        output,
      )?.[1];
      expect(login).toBeDefined();
      expect((await fetch(`${base}/admin/api-keys/`)).status).toBe(403);
      const signIn = await fetch(login as string, { redirect: 'manual' });
      expect([signIn.status, signIn.headers.get('location')]).toEqual([303, '/admin/api-keys/']);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(cookie).toMatch(/^kw_admin=/);
      const page = await fetch(`${base}/admin/api-keys/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Demo key');
      expect((await fetch(login as string, { redirect: 'manual' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
