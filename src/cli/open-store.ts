import type { Pool, PoolConfig } from 'pg';
import { isConnectionCode, type PostgresKeyStoreError } from '../postgres/errors.js';
import { PostgresKeyStore } from '../postgres/index.js';
import { CliError, type OpenStore } from './io.js';

/** Where a store URL points, without credentials: safe to print. */
export function describeTarget(url: URL): string {
  const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  return `${url.hostname || 'localhost'}:${url.port || '5432'}/${db}`;
}

/** Parses `--store` / `KEYWARD_STORE`; the value itself is never echoed (it may hold a password). */
export function parseStoreUrl(value: string | undefined): URL {
  if (value === undefined || value.trim() === '') {
    throw new CliError(
      'no store given: pass --store postgres://user@host:5432/db or set KEYWARD_STORE',
      true,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      'the store is not a valid URL: expected postgres://user@host:5432/database',
      true,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new CliError(
      `unsupported store "${url.protocol}//…": keyward's CLI manages PostgreSQL stores (postgres://…)`,
      true,
    );
  }
  return url;
}

async function loadPool(): Promise<new (config: PoolConfig) => Pool> {
  try {
    const mod = (await import('pg')) as unknown as {
      default?: { Pool?: new (c: PoolConfig) => Pool };
      Pool?: new (c: PoolConfig) => Pool;
    };
    const Pool = mod.Pool ?? mod.default?.Pool;
    if (!Pool) throw new Error('pg has no Pool');
    return Pool;
  } catch {
    throw new CliError(
      'the PostgreSQL driver is not installed: run `npm install pg` next to keyward',
    );
  }
}

/** Opens a {@link PostgresKeyStore} on a small pool with fail-fast timeouts. */
export async function openStore(
  url: URL,
  options: { schema?: string; tablePrefix?: string },
): Promise<OpenStore> {
  const Pool = await loadPool();
  const pool = new Pool({
    connectionString: url.href,
    max: 2,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 1000,
    allowExitOnIdle: true,
  });
  pool.on('error', () => {
    // An idle connection dropped; the next query reconnects or reports the failure.
  });
  let store: PostgresKeyStore;
  try {
    store = new PostgresKeyStore({
      pool,
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      ...(options.tablePrefix !== undefined ? { tablePrefix: options.tablePrefix } : {}),
    });
  } catch (err) {
    await pool.end();
    throw new CliError(
      err instanceof Error ? err.message.replace(/^PostgresKeyStore: /, '') : String(err),
      true,
    );
  }
  return {
    store,
    close: async () => {
      await store.close().catch(() => undefined); // the CLI never touches keys: nothing buffered
      await pool.end();
    },
  };
}

/** One line explaining a store failure, naming the target but never credentials. */
export function explainStoreError(
  err: PostgresKeyStoreError,
  target: string,
  schema: string,
): string {
  const { code } = err;
  if (isConnectionCode(code)) return `cannot reach PostgreSQL at ${target} (${code})`;
  if (code === '28P01' || code === '28000')
    return `PostgreSQL at ${target} refused the credentials (${code})`;
  if (code === '3D000') return `the database at ${target} does not exist (${code})`;
  if (code === '42P01' || code === '3F000') {
    return `keyward's tables are missing in schema "${schema}" at ${target}: run \`keyward migrate\` first (${code})`;
  }
  return `PostgreSQL error during ${err.operation} at ${target} (${code})`;
}
