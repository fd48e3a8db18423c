import { type Redis } from 'ioredis';
import { RedisCounterStore, type RedisClient } from '../../src/redis/index.js';
import { CONSUME_SCRIPT, FAILURE_SCRIPT } from '../../src/redis/scripts.js';
import { RedisScript } from '../../src/redis/script-runner.js';
import { connect, deleteUnder, describeWithRedis, keysUnder, testPrefix } from './support.js';

const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const POLICY = { maxFailures: 2, windowMs: 60_000, blockMs: 60_000 };

/** Wraps a client, recording every command the store sends (one entry per round trip). */
function counting(client: Redis): { client: RedisClient; commands: string[] } {
  const commands: string[] = [];
  const call = (command: string, ...args: (string | number | Buffer)[]) => {
    commands.push(command);
    return client.call(command, ...args);
  };
  return { client: { call } as RedisClient, commands };
}

describe('RedisCounterStore construction', () => {
  const client = { call: () => Promise.resolve(null) } as unknown as RedisClient;
  it('names the bad option, value and fix', () => {
    expect(() => new RedisCounterStore({} as never)).toThrow(
      'RedisCounterStore: `client` must be an ioredis client, e.g. new Redis(url), received undefined.',
    );
    expect(() => new RedisCounterStore({ client, prefix: 'a{b}:' })).toThrow(
      'RedisCounterStore: `prefix` must be a string without "{" or "}" (they are Redis Cluster hash tags), received "a{b}:".',
    );
    expect(() => new RedisCounterStore({ client, prefx: 'x' } as never)).toThrow(
      'RedisCounterStore: received an unsupported property, `prefx`. Did you mean to pass `prefix`?',
    );
  });
});

describeWithRedis('RedisCounterStore on a live Redis', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = connect();
    prefix = testPrefix();
  });
  afterEach(async () => {
    await deleteUnder(redis, prefix);
    await redis.quit();
  });

  it('uses one round trip per operation', async () => {
    const { client, commands } = counting(redis);
    const store = new RedisCounterStore({ client, prefix });
    await store.init();
    expect(commands).toEqual(['SCRIPT', 'SCRIPT']);
    commands.length = 0;
    const specs = [
      { kind: 'sliding', key: 'm', limit: 5, windowMs: 60_000 },
      { kind: 'fixed', key: 'mo', limit: 5, resetAt: T0 + 1e9 },
      { kind: 'distinct', key: 'ip', limit: 5, member: '1.1.1.1', resetAt: T0 + 1e9 },
    ] as const;
    await store.consume(specs, T0, { scope: 'team_1' });
    await store.peek(specs, T0, { scope: 'team_1' });
    await store.recordFailure('bf:1.1.1.1', POLICY, T0);
    await store.blockedUntil('bf:1.1.1.1', T0);
    await store.resetFailures('bf:1.1.1.1');
    expect(commands).toEqual(['EVALSHA', 'EVALSHA', 'EVALSHA', 'GET', 'DEL']);
  });

  it('loads its scripts on init', async () => {
    await new RedisCounterStore({ client: redis, prefix }).init();
    const shas = [CONSUME_SCRIPT, FAILURE_SCRIPT].map((s) => new RedisScript(redis, s).sha);
    expect(await redis.call('SCRIPT', 'EXISTS', ...shas)).toEqual([1, 1]);
  });

  it('falls back to EVAL when the server does not know the script', async () => {
    const { client, commands } = counting(redis);
    // A script no server has seen (the comment changes its SHA), as after a restart.
    const script = new RedisScript(client, `-- ${prefix}\nreturn redis.call('INCR', KEYS[1])`);
    expect(await script.run([`${prefix}n`], [])).toBe(1);
    expect(await script.run([`${prefix}n`], [])).toBe(2);
    expect(commands).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
    await redis.call('PEXPIRE', `${prefix}n`, 1000);
  });

  it('hash-tags every key of a call with its scope, and failure keys with their own key', async () => {
    const store = new RedisCounterStore({ client: redis, prefix });
    await store.consume(
      [
        { kind: 'sliding', key: 'rl:key:k1:minute', limit: 5, windowMs: 60_000 },
        { kind: 'fixed', key: 'rl:team:t:month', limit: 5, resetAt: T0 + 1e9 },
        { kind: 'distinct', key: 'rl:key:k1:ips', limit: 5, member: '1.1.1.1', resetAt: T0 + 1e9 },
      ],
      T0,
      { scope: 'team_1' },
    );
    await store.consume([{ kind: 'fixed', key: 'anon', limit: 5, resetAt: T0 + 1e9 }], T0);
    for (let i = 0; i < 2; i++) await store.recordFailure('bf:1.2.3.4', POLICY, T0);
    expect((await keysUnder(redis, prefix)).sort()).toEqual(
      [
        `${prefix}{_}:f:anon`,
        `${prefix}{bf:1.2.3.4}:bb`,
        `${prefix}{team_1}:d:rl:key:k1:ips`,
        `${prefix}{team_1}:f:rl:team:t:month`,
        `${prefix}{team_1}:s:rl:key:k1:minute`,
        `${prefix}{team_1}:sn:rl:key:k1:minute`,
      ].sort(),
    );
  });

  it('expires keys with the window (plus 1 s of slack)', async () => {
    const store = new RedisCounterStore({ client: redis, prefix });
    await store.consume([{ kind: 'sliding', key: 's', limit: 5, windowMs: 60_000 }], T0);
    await store.consume([{ kind: 'fixed', key: 'f', limit: 5, resetAt: T0 + 5_000 }], T0);
    const [s, f] = await Promise.all([
      redis.pttl(`${prefix}{_}:s:s`),
      redis.pttl(`${prefix}{_}:f:f`),
    ]);
    expect(s).toBeGreaterThan(59_000);
    expect(s).toBeLessThanOrEqual(61_000);
    expect(f).toBeGreaterThan(5_000);
    expect(f).toBeLessThanOrEqual(6_000);
  });

  it('rejects (never hangs) when Redis is unreachable', async () => {
    const dead = connect({
      port: 1,
      lazyConnect: true,
      retryStrategy: () => null,
      commandTimeout: 300,
    });
    const store = new RedisCounterStore({ client: dead, prefix });
    await expect(
      store.consume([{ kind: 'fixed', key: 'x', limit: 1, resetAt: T0 + 1 }], T0),
    ).rejects.toThrow();
    await expect(store.blockedUntil('bf:x', T0)).rejects.toThrow();
    dead.disconnect();
  });
});
