import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runInThisContext } from 'node:vm';
import pg from 'pg';

/** The shared PostgreSQL of the test machine (never stopped by tests; trust auth). */
export const PG_HOST = '127.0.0.1';
export const PG_PORT = Number(process.env.KEYWARD_TEST_PG_PORT ?? 5432);
export const PG_DATABASE = 'test';
export const PG_USER = process.env.KEYWARD_TEST_PG_USER ?? 'postgres';

/** Fail-fast pool settings, as the store's TSDoc recommends. */
export const FAST: pg.PoolConfig = {
  connectionTimeoutMillis: 2000,
  idleTimeoutMillis: 1000,
  max: 4,
};

function probe(): boolean {
  // Synchronous, so `describe` can be chosen at collection time: a real query, not just a port.
  const script = `const {Client}=require('pg');const c=new Client({host:'${PG_HOST}',port:${PG_PORT},database:'${PG_DATABASE}',user:'${PG_USER}',connectionTimeoutMillis:2000});c.connect().then(()=>c.query('select 1')).then(()=>process.exit(0),()=>process.exit(1));`;
  return (
    spawnSync(process.execPath, ['-e', script], { timeout: 5000, cwd: process.cwd() }).status === 0
  );
}

let available: boolean | undefined;

/**
 * `describe` when PostgreSQL answers; otherwise fails the suite under `CI=true` and skips it
 * loudly on a laptop.
 */
export function describeWithPostgres(name: string, fn: () => void): void {
  available ??= probe();
  if (available) return describe(name, fn);
  const message = `PostgreSQL is not reachable at ${PG_USER}@${PG_HOST}:${PG_PORT}/${PG_DATABASE}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(`${message} (CI=true: a missing service fails the suite).`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${message}. Start PostgreSQL to run it.\n`);
  describe.skip(name, fn);
}

/** A unique schema name per test, so parallel workers and engineers never collide. */
export function testSchema(): string {
  return `kwtest_${randomBytes(5).toString('hex')}`;
}

export function connect(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({
    host: PG_HOST,
    port: PG_PORT,
    database: PG_DATABASE,
    user: PG_USER,
    ...FAST,
    ...config,
  });
  pool.on('error', () => {
    // Idle-client errors surface as rejected queries, which the tests assert on.
  });
  return pool;
}

/** A connection URL for the CLI. */
export function storeUrl(): string {
  return `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${PG_DATABASE}`;
}

/** Drops a test schema (and everything in it) with a short-lived pool of its own. */
export async function dropSchema(schema: string): Promise<void> {
  const pool = connect({ max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pool.end();
  }
}

/**
 * The real `process`: Jest's sandbox has its own `process` object that never receives
 * `unhandledRejection`, so a spy must be attached to the real one to see anything.
 */
export function realProcess(): NodeJS.Process {
  return runInThisContext('process') as NodeJS.Process;
}
