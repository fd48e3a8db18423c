import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describeWithPostgres } from '../postgres/support.js';
import { describeWithRedis } from '../redis/support.js';

const ROOT = path.join(__dirname, '..', '..');
function run(example: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples', example)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('examples/custom-store.ts', () => {
  it('runs: the adapter serves the key, stores no secret, and a revoke takes effect at once', () => {
    const { status, out } = run('custom-store.ts');
    expect(status).toBe(0);
    expect(out).toMatch(/with the key: +200 \{"team":"team_acme","scopes":\["companies:read"\]\}/);
    expect(out).toMatch(/after revoke: +401 .*"code":"invalid_api_key"/);
    expect(out).not.toMatch(/"key_digest":"kw_/);
  });
});

describeWithRedis('examples/redis-postgres.ts', () => {
  describeWithPostgres('on the shared services', () => {
    it('runs: two instances share a rate limit, and a revoke on one is refused on the other', () => {
      const { status, out } = run('redis-postgres.ts');
      expect(status).toBe(0);
      expect(out).toContain('instance a: 200 a');
      expect(out).toContain('instance b: 200 b');
      expect(out).toContain(
        'instance b: 429 rate_limit_exceeded (perMinute 3 is shared by both instances)',
      );
      expect(out).toContain('instance b: 401 invalid_api_key');
    });
  });
});
