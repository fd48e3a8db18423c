import { randomInt } from 'node:crypto';
import {
  connect,
  deleteUnder,
  describeWithRedis,
  REDIS_PORT,
  testPrefix,
} from '../redis/support.js';
import { startInstance, stopInstance, type Instance } from './instances.js';

describeWithRedis('two app instances on one Redis: brute-force protection', () => {
  const prefix = testPrefix();
  let a: Instance | undefined;
  let b: Instance | undefined;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startInstance({ REDIS_PORT: String(REDIS_PORT), PREFIX: prefix }),
      startInstance({ REDIS_PORT: String(REDIS_PORT), PREFIX: prefix }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    const redis = connect();
    await deleteUnder(redis, prefix);
    await redis.quit();
  });

  it('5 failures on each instance block the IP on both', async () => {
    const ip = `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;
    const bad = (base: string) =>
      fetch(`${base}/v1/ping`, {
        headers: { 'x-api-key': 'kw_live_wrong', 'x-forwarded-for': ip },
      });
    const codes = async (r: Response) => ((await r.json()) as { code: string }).code;
    const urls = [a?.url, b?.url] as [string, string];
    for (let i = 0; i < 4; i++) {
      for (const url of urls) expect(await codes(await bad(url))).toBe('invalid_api_key');
    }
    expect(await codes(await bad(urls[0]))).toBe('invalid_api_key'); // 9th failure, not yet blocked
    expect(await codes(await bad(urls[1]))).toBe('invalid_api_key'); // 10th failure places the block
    for (const url of urls) {
      const r = await fetch(`${url}/v1/ping`, { headers: { 'x-forwarded-for': ip } });
      expect(r.status).toBe(401);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(await codes(r)).toBe('ip_blocked');
    }
    // Another IP is not affected.
    const other = await fetch(`${urls[0]}/v1/ping`, {
      headers: { 'x-forwarded-for': '192.0.2.77' },
    });
    expect(await codes(other)).toBe('missing_token');
  });
});
