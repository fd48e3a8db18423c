import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/** The shared Redis of the test machine (never stopped by tests). */
export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = Number(process.env.KEYWARD_TEST_REDIS_PORT ?? 6379);

/** Fail-fast client settings the docs recommend; tests use them too. */
export const FAST: RedisOptions = { commandTimeout: 500, maxRetriesPerRequest: 1 };

function probe(port: number): boolean {
  // Synchronous, so `describe` can be chosen at collection time.
  const script = `const s=require('net').connect(${port},'${REDIS_HOST}');s.setTimeout(500,()=>process.exit(1));s.on('error',()=>process.exit(1));s.write('PING\\r\\n');s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 3000 }).status === 0;
}

let available: boolean | undefined;

/**
 * `describe` when Redis answers; otherwise fails the suite under `CI=true` and skips it loudly
 * on a laptop.
 */
export function describeWithRedis(name: string, fn: () => void): void {
  available ??= probe(REDIS_PORT);
  if (available) return describe(name, fn);
  const message = `Redis is not reachable at ${REDIS_HOST}:${REDIS_PORT}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Redis', () => {
        throw new Error(`${message} (CI=true: a missing service fails the suite).`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${message}. Start redis-server to run it.\n`);
  describe.skip(name, fn);
}

/** A unique key prefix per test file, so parallel workers and engineers never collide. */
export function testPrefix(): string {
  return `kwtest:${randomBytes(6).toString('hex')}:`;
}

export function connect(options: RedisOptions = {}): Redis {
  const client = new Redis({ host: REDIS_HOST, port: REDIS_PORT, ...FAST, ...options });
  client.on('error', () => {
    // Connection errors surface as rejected commands, which the tests assert on.
  });
  return client;
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(
      cursor,
      'MATCH',
      `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

/** Keys under `prefix` without an expiry (PTTL −1). */
export async function keysWithoutTtl(client: Redis, prefix: string): Promise<string[]> {
  const keys = await keysUnder(client, prefix);
  const ttls = await Promise.all(keys.map((k) => client.pttl(k)));
  return keys.filter((_, i) => ttls[i] === -1);
}

export async function deleteUnder(client: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}
