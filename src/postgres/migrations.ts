import type { PostgresPool, TableNames } from './options.js';

/** One versioned schema change. Versions only grow; a released step is never edited. */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order, in the step's transaction. */
  up(t: TableNames): string[];
}

/** What `migrate()` did. */
export interface MigrationResult {
  /** Versions applied by this call (empty when already up to date). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

const idx = (t: TableNames, name: string) => `"${t.prefix}${name}"`;

/** keyward's schema history. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create keys and teams',
    up: (t) => [
      // `seq` orders keys created in the same millisecond; revoked keys stay (never deleted).
      `CREATE TABLE ${t.keys} (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id text PRIMARY KEY,
        hash text NOT NULL,
        prefix text NOT NULL,
        name text NOT NULL,
        team_id text NOT NULL,
        environment text NOT NULL CHECK (environment IN ('production', 'staging', 'development')),
        scopes text[] NOT NULL DEFAULT '{}',
        customer_id text,
        status text NOT NULL CHECK (status IN ('active', 'revoked')),
        valid_until timestamptz,
        blocked_until timestamptz,
        limits jsonb,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz,
        last_used_ip text,
        previous_hash text,
        previous_expires_at timestamptz,
        metadata jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX ${idx(t, 'keys_hash')} ON ${t.keys} (hash)`,
      `CREATE UNIQUE INDEX ${idx(t, 'keys_previous_hash')} ON ${t.keys} (previous_hash) WHERE previous_hash IS NOT NULL`,
      `CREATE TABLE ${t.teams} (
        id text PRIMARY KEY,
        plan text,
        features text[] NOT NULL DEFAULT '{}',
        subscription_status text CHECK (subscription_status IN ('active', 'canceled')),
        subscription_expires_at timestamptz,
        limits jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    version: 2,
    name: 'index keys for newest-first listing',
    up: (t) => [
      `CREATE INDEX ${idx(t, 'keys_created')} ON ${t.keys} (created_at DESC, seq DESC)`,
      `CREATE INDEX ${idx(t, 'keys_team_created')} ON ${t.keys} (team_id, created_at DESC, seq DESC)`,
    ],
  },
];

/** Class id of keyward's advisory locks; the object id is a hash of the schema and prefix. */
const LOCK_CLASS = 0x6b77_6172; // "kwar"

/**
 * Applies the pending steps, each in its own transaction holding a transaction-level advisory
 * lock, so two instances migrating at once serialise and the second finds nothing to do.
 */
export async function runMigrations(
  pool: PostgresPool,
  t: TableNames,
  steps: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const client = await pool.connect();
  const applied: number[] = [];
  let version = 0;
  let failure: unknown;
  try {
    for (const step of steps) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          LOCK_CLASS,
          `keyward:${t.schemaName}.${t.prefix}`,
        ]);
        const schema = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
          t.schemaName,
        ]);
        // Only when missing: CREATE SCHEMA checks the CREATE privilege even with IF NOT EXISTS.
        if (schema.rowCount === 0) await client.query(`CREATE SCHEMA ${t.schema}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const done = await client.query('SELECT 1 FROM ' + t.migrations + ' WHERE version = $1', [
          step.version,
        ]);
        if (done.rowCount === 0) {
          for (const statement of step.up(t)) await client.query(statement);
          await client.query(`INSERT INTO ${t.migrations} (version, name) VALUES ($1, $2)`, [
            step.version,
            step.name,
          ]);
          applied.push(step.version);
        }
        const current = await client.query<{ version: number | null }>(
          `SELECT max(version) AS version FROM ${t.migrations}`,
        );
        version = current.rows[0]?.version ?? 0;
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    // A client that failed mid-transaction may be broken: discard it rather than pool it.
    client.release(failure instanceof Error ? failure : undefined);
  }
  return { applied, version };
}
