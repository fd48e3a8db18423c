import request from 'supertest';
import { generateKey } from '../../src/keys/format.js';
import { issue, world, type World } from '../helpers/setup.js';

const unknownKey = () => generateKey('kw', 'production').key;
const from = (w: World, ip: string, key: string) =>
  request(w.app).get('/v1/echo').set('X-Forwarded-For', ip).set('x-api-key', key);

async function fail(w: World, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++)
    expect((await from(w, ip, unknownKey())).body.code).toBe('invalid_api_key');
}

describe('apiKeyAuth: brute-force protection', () => {
  it('9 failures do not block; the 10th does, even for a valid key, until the block ends', async () => {
    const w = await world();
    const { key } = await issue(w);
    await fail(w, '203.0.113.7', 9);
    expect((await from(w, '203.0.113.7', key)).status).toBe(200);
    await fail(w, '203.0.113.7', 1);
    const blocked = await from(w, '203.0.113.7', key);
    expect(blocked.status).toBe(401);
    expect(blocked.body).toMatchObject({
      code: 'ip_blocked',
      detail: 'Too many failed authentication attempts. Please try again later.',
    });
    expect(blocked.headers['retry-after']).toBe('900');
    expect(w.hits).toEqual(['/v1/echo']);
    // Other IPs are unaffected.
    expect((await from(w, '203.0.113.8', key)).status).toBe(200);
    w.clock.advance(15 * 60_000 - 1000);
    expect((await from(w, '203.0.113.7', key)).headers['retry-after']).toBe('1');
    w.clock.advance(1000);
    expect((await from(w, '203.0.113.7', key)).status).toBe(200);
    const blockedEvents = w.events.filter((e) => e.type === 'ip.blocked');
    expect(blockedEvents).toEqual([expect.objectContaining({ ip: '203.0.113.7', failures: 10 })]);
  });

  it('a successful request does not reset the count', async () => {
    const w = await world();
    const { key } = await issue(w);
    await fail(w, '198.51.100.1', 5);
    expect((await from(w, '198.51.100.1', key)).status).toBe(200);
    await fail(w, '198.51.100.1', 5);
    expect((await from(w, '198.51.100.1', key)).body.code).toBe('ip_blocked');
  });

  it('failures older than the window do not count (sliding window)', async () => {
    const w = await world();
    const { key } = await issue(w);
    await fail(w, '198.51.100.2', 5);
    w.clock.advance(10 * 60_000);
    await fail(w, '198.51.100.2', 4);
    w.clock.advance(5 * 60_000); // the first five are now 15 minutes old: out of the window
    await fail(w, '198.51.100.2', 5);
    expect((await from(w, '198.51.100.2', key)).status).toBe(200);
    await fail(w, '198.51.100.2', 1);
    expect((await from(w, '198.51.100.2', key)).body.code).toBe('ip_blocked');
  });

  it('missing_token does not count; environment_mismatch does', async () => {
    const w = await world({ environment: 'production' });
    const { key } = await issue(w);
    const staging = await issue(w, { environment: 'staging' });
    for (let i = 0; i < 20; i++)
      await request(w.app).get('/v1/echo').set('X-Forwarded-For', '192.0.2.1');
    expect((await from(w, '192.0.2.1', key)).status).toBe(200);
    for (let i = 0; i < 10; i++)
      expect((await from(w, '192.0.2.1', staging.key)).body.code).toBe('environment_mismatch');
    expect((await from(w, '192.0.2.1', key)).body.code).toBe('ip_blocked');
  });

  it('aggregates IPv6 addresses to their /64 and IPv4-mapped addresses to IPv4', async () => {
    const w = await world();
    const { key } = await issue(w);
    for (let i = 0; i < 10; i++)
      await from(w, `2001:db8:1:2::${(i + 1).toString(16)}`, unknownKey());
    expect((await from(w, '2001:db8:1:2:ffff:ffff:ffff:ffff', key)).body.code).toBe('ip_blocked');
    expect((await from(w, '2001:db8:1:3::1', key)).status).toBe(200);
    await fail(w, '::ffff:192.0.2.44', 10);
    expect((await from(w, '192.0.2.44', key)).body.code).toBe('ip_blocked');
  });

  it('honours a custom policy and can be disabled', async () => {
    const strict = await world({ bruteForce: { maxFailures: 2, blockMs: 1000 } });
    const { key } = await issue(strict);
    await fail(strict, '192.0.2.9', 2);
    expect((await from(strict, '192.0.2.9', key)).headers['retry-after']).toBe('1');
    const off = await world({ bruteForce: false });
    const offKey = await issue(off);
    await fail(off, '192.0.2.9', 30);
    expect((await from(off, '192.0.2.9', offKey.key)).status).toBe(200);
  });
});
