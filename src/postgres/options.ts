import type { Pool } from 'pg';
import { checkOptions, positiveNumber } from '../util/options.js';

/**
 * What the store needs of a `pg.Pool`: `query` and `connect` (migrations run on one client),
 * and `on`/`off` when present, to keep idle-client errors from crashing the process.
 */
export type PostgresPool = Pick<Pool, 'query' | 'connect'> & Partial<Pick<Pool, 'on' | 'off'>>;

/**
 * Options of `PostgresKeyStore`.
 *
 * The pool is yours: configure its timeouts, the store never ends it. Recommended settings, so
 * a dead or hung database answers in bounded time and `apiKeyAuth` can reply 503
 * `store_unavailable` instead of waiting:
 *
 * - `connectionTimeoutMillis: 2000` — bounds both opening a connection and waiting for a free
 *   client (pg waits forever by default);
 * - `statement_timeout: 5000` — the server cancels runaway statements;
 * - `max` — what your database allows divided by the number of app instances.
 *
 * @example
 * ```ts
 * import { Pool } from 'pg';
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000, statement_timeout: 5000 });
 * const keys = new PostgresKeyStore({ pool, schema: 'auth' });
 * ```
 */
export interface PostgresKeyStoreOptions {
  /** A `pg.Pool` (or anything with its `query` and `connect`). Required. */
  pool: PostgresPool;
  /** Schema of the tables; created by `migrate()` when missing. @defaultValue `'public'` */
  schema?: string;
  /** Prefix of the table names (`<prefix>keys`, `<prefix>teams`, `<prefix>migrations`). @defaultValue `'keyward_'` */
  tablePrefix?: string;
  /**
   * How long `touch` buffers last-used updates before writing them in one statement. Buffered
   * updates are also written by `flush()` and `close()`.
   * @defaultValue 2000
   */
  touchFlushMs?: number;
  /**
   * Client-side deadline of every request-path query (`query_timeout` of pg): a query that does
   * not answer in time is failed and its connection discarded, so a hung server cannot pin the
   * pool. Migrations are not limited.
   * @defaultValue 5000
   */
  queryTimeoutMs?: number;
  /**
   * Receives errors nobody awaits: a failed background `touch` flush and idle pool clients losing
   * their connection. Never receives secrets.
   * @defaultValue ignore them
   */
  onError?: (error: Error) => void;
}

/** {@link PostgresKeyStoreOptions} resolved once at construction. */
export interface PostgresKeyStoreConfig {
  pool: PostgresPool;
  schema: string;
  tablePrefix: string;
  touchFlushMs: number;
  queryTimeoutMs: number;
  onError: (error: Error) => void;
}

const KNOWN: (keyof PostgresKeyStoreOptions)[] = [
  'pool',
  'schema',
  'tablePrefix',
  'touchFlushMs',
  'queryTimeoutMs',
  'onError',
];
const WHERE = 'PostgresKeyStore';
// Lowercase so the quoted name equals what an unquoted one folds to in psql.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;
const TABLE_PREFIX = /^[a-z_][a-z0-9_]{0,29}$|^$/;

/** Validates and resolves the options; throws a TypeError naming the option and a fix. */
export function parsePostgresOptions(options: unknown): PostgresKeyStoreConfig {
  if (options === undefined) {
    throw new TypeError(
      `${WHERE}: options are required, e.g. new PostgresKeyStore({ pool: new Pool() }).`,
    );
  }
  const o = checkOptions<PostgresKeyStoreOptions>(WHERE, options, KNOWN);
  const pool = o.pool as unknown;
  if (
    !pool ||
    typeof pool !== 'object' ||
    typeof (pool as PostgresPool).query !== 'function' ||
    typeof (pool as PostgresPool).connect !== 'function'
  ) {
    throw new TypeError(
      `${WHERE}: \`pool\` must be a pg.Pool, e.g. new PostgresKeyStore({ pool: new Pool() }).`,
    );
  }
  const schema = o.schema ?? 'public';
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new TypeError(
      `${WHERE}: received an unsupported \`schema\`, ${JSON.stringify(schema)}. Use 1 to 40 lowercase letters, digits or _, starting with a letter or _.`,
    );
  }
  const tablePrefix = o.tablePrefix ?? 'keyward_';
  if (typeof tablePrefix !== 'string' || !TABLE_PREFIX.test(tablePrefix)) {
    throw new TypeError(
      `${WHERE}: received an unsupported \`tablePrefix\`, ${JSON.stringify(tablePrefix)}. Use up to 30 lowercase letters, digits or _, e.g. 'keyward_'.`,
    );
  }
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw new TypeError(
      `${WHERE}: \`onError\` must be a function, e.g. (err) => logger.warn(err).`,
    );
  }
  return {
    pool: pool as PostgresPool,
    schema,
    tablePrefix,
    touchFlushMs: positiveNumber(WHERE, 'touchFlushMs', o.touchFlushMs ?? 2000),
    queryTimeoutMs: positiveNumber(WHERE, 'queryTimeoutMs', o.queryTimeoutMs ?? 5000),
    onError: o.onError ?? (() => undefined),
  };
}

/** Quoted, schema-qualified table names. Identifiers are validated above, so quoting is enough. */
export interface TableNames {
  /** The schema, quoted. */
  schema: string;
  /** The schema, unquoted (for catalog lookups). */
  schemaName: string;
  keys: string;
  teams: string;
  migrations: string;
  /** Unqualified prefix for index names. */
  prefix: string;
}

export function tableNames(
  config: Pick<PostgresKeyStoreConfig, 'schema' | 'tablePrefix'>,
): TableNames {
  const q = (name: string) => `"${config.schema}"."${config.tablePrefix}${name}"`;
  return {
    schema: `"${config.schema}"`,
    schemaName: config.schema,
    keys: q('keys'),
    teams: q('teams'),
    migrations: q('migrations'),
    prefix: config.tablePrefix,
  };
}
