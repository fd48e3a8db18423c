import type { QueryConfig } from 'pg';
import { notifyKeyChange } from '../stores/key-changes.js';
import type { KeyAdminStore, KeyListFilter, KeyPatch } from '../stores/key-store.js';
import type { ApiKeyRecord, Team } from '../types.js';
import { PostgresKeyStoreError, UNIQUE_VIOLATION, storeError } from './errors.js';
import { runMigrations, type MigrationResult } from './migrations.js';
import {
  parsePostgresOptions,
  tableNames,
  type PostgresKeyStoreConfig,
  type PostgresKeyStoreOptions,
  type TableNames,
} from './options.js';
import {
  KEY_COLUMNS,
  KEY_FIELDS,
  encodeLimits,
  keyFromRow,
  keyValues,
  patchAssignments,
  teamFromRow,
  type KeyRow,
  type TeamRow,
} from './rows.js';
import { TouchBuffer, type Touch } from './touch-buffer.js';

const TEAM_COLUMNS = 'id, plan, features, subscription_status, subscription_expires_at, limits';

/**
 * A {@link KeyAdminStore} on PostgreSQL, for APIs running on several instances: `apiKeyAuth`
 * reads it, `KeyManager` and the `keyward` CLI manage it. Digests are indexed (current and
 * previous secret), revoked keys are kept, every statement is parameterised, and last-used
 * updates are batched (see `touchFlushMs`). Failures reject with a
 * {@link PostgresKeyStoreError} whose message holds no SQL, values or connection details.
 *
 * @example
 * ```ts
 * import { Pool } from 'pg';
 * import { PostgresKeyStore } from 'keyward/postgres';
 * const keys = new PostgresKeyStore({ pool: new Pool({ connectionTimeoutMillis: 2000 }) });
 * await keys.migrate();
 * app.use('/v1', apiKeyAuth(keys, { environment: 'production' }));
 * ```
 */
export class PostgresKeyStore implements KeyAdminStore {
  readonly #config: PostgresKeyStoreConfig;
  readonly #t: TableNames;
  readonly #touches: TouchBuffer;
  readonly #onPoolError: (err: Error) => void;

  constructor(options: PostgresKeyStoreOptions) {
    this.#config = parsePostgresOptions(options);
    this.#t = tableNames(this.#config);
    const { onError } = this.#config;
    this.#touches = new TouchBuffer(
      (batch) => this.#writeTouches(batch),
      this.#config.touchFlushMs,
      onError,
    );
    // pg emits `error` on the pool when an idle client loses its connection; with no listener
    // that event would crash the process. The next query simply opens a new connection.
    this.#onPoolError = (err) => onError(storeError('pool', err));
    this.#config.pool.on?.('error', this.#onPoolError);
  }

  /**
   * Creates or upgrades the store's tables. Idempotent and safe to run from several instances
   * at once (each step runs in a transaction under an advisory lock).
   */
  async migrate(): Promise<MigrationResult> {
    try {
      return await runMigrations(this.#config.pool, this.#t);
    } catch (err) {
      throw storeError('migrate', err);
    }
  }

  /** {@inheritDoc KeyStore.findByHash} */
  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const rows = await this.#query<KeyRow>(
      'findByHash',
      `SELECT ${KEY_COLUMNS} FROM ${this.#t.keys} WHERE hash = $1 OR previous_hash = $1 ORDER BY (hash = $1) DESC LIMIT 1`,
      [hash],
    );
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  /** {@inheritDoc KeyStore.findTeam} */
  async findTeam(teamId: string): Promise<Team | null> {
    const rows = await this.#query<TeamRow>(
      'findTeam',
      `SELECT ${TEAM_COLUMNS} FROM ${this.#t.teams} WHERE id = $1`,
      [teamId],
    );
    return rows[0] ? teamFromRow(rows[0]) : null;
  }

  /**
   * Buffers the update and resolves at once; it is written with others in one statement within
   * `touchFlushMs`. A later time for the same key wins, and the stored time never moves back.
   */
  touch(keyId: string, at: Date, ip: string): Promise<void> {
    this.#touches.add(keyId, at, ip);
    return Promise.resolve();
  }

  /** Writes buffered `touch` updates now. */
  async flush(): Promise<void> {
    try {
      await this.#touches.flush();
    } catch (err) {
      throw storeError('touch', err);
    }
  }

  /** Writes buffered updates and stops the flush timer. The pool stays open: it is yours to end. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#touches.stop();
      this.#config.pool.off?.('error', this.#onPoolError);
    }
  }

  /** {@inheritDoc KeyAdminStore.insertKey} */
  async insertKey(record: ApiKeyRecord): Promise<void> {
    const params = KEY_FIELDS.map((_, i) => `$${i + 1}`).join(', ');
    // A digest that is some key's previous secret would make lookups ambiguous: refuse it too.
    const rows = await this.#query<{ id: string }>(
      'insertKey',
      `INSERT INTO ${this.#t.keys} (${KEY_COLUMNS}) SELECT ${params}
       WHERE NOT EXISTS (SELECT 1 FROM ${this.#t.keys} WHERE previous_hash = $2) RETURNING id`,
      keyValues(record),
    ).catch((err: unknown) => {
      if (err instanceof PostgresKeyStoreError && err.code === UNIQUE_VIOLATION)
        throw duplicate(record.id, err);
      throw err;
    });
    if (rows.length === 0) throw duplicate(record.id);
  }

  /** {@inheritDoc KeyAdminStore.updateKey} */
  async updateKey(id: string, patch: KeyPatch): Promise<ApiKeyRecord | null> {
    const assignments = patchAssignments(patch);
    if (assignments.length === 0) return this.getKey(id);
    const sets = assignments.map(([column], i) => `${column} = $${i + 2}`);
    const rows = await this.#query<KeyRow>(
      'updateKey',
      `UPDATE ${this.#t.keys} SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${KEY_COLUMNS}`,
      [id, ...assignments.map(([, value]) => value)],
    );
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  /** {@inheritDoc KeyAdminStore.getKey} */
  async getKey(id: string): Promise<ApiKeyRecord | null> {
    const rows = await this.#query<KeyRow>(
      'getKey',
      `SELECT ${KEY_COLUMNS} FROM ${this.#t.keys} WHERE id = $1`,
      [id],
    );
    return rows[0] ? keyFromRow(rows[0]) : null;
  }

  /** {@inheritDoc KeyAdminStore.listKeys} */
  async listKeys(filter: KeyListFilter = {}): Promise<ApiKeyRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => (values.push(value), `$${values.length}`);
    if (filter.teamId !== undefined) where.push(`team_id = ${param(filter.teamId)}`);
    if (filter.environment !== undefined) where.push(`environment = ${param(filter.environment)}`);
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.before !== undefined) {
      // Keyset pagination; an unknown `before` id matches nothing (the row comparison is NULL).
      where.push(
        `(created_at, seq) < (SELECT created_at, seq FROM ${this.#t.keys} WHERE id = ${param(filter.before)})`,
      );
    }
    const limit = filter.limit ?? 100;
    const limitSql = Number.isFinite(limit) ? `LIMIT ${param(Math.max(0, Math.floor(limit)))}` : '';
    const rows = await this.#query<KeyRow>(
      'listKeys',
      `SELECT ${KEY_COLUMNS} FROM ${this.#t.keys} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, seq DESC ${limitSql}`,
      values,
    );
    return rows.map(keyFromRow);
  }

  /** {@inheritDoc KeyAdminStore.saveTeam} */
  async saveTeam(team: Team): Promise<void> {
    await this.#query(
      'saveTeam',
      `INSERT INTO ${this.#t.teams} (${TEAM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET plan = EXCLUDED.plan, features = EXCLUDED.features,
         subscription_status = EXCLUDED.subscription_status,
         subscription_expires_at = EXCLUDED.subscription_expires_at,
         limits = EXCLUDED.limits, updated_at = now()`,
      [
        team.id,
        team.plan ?? null,
        [...team.features],
        team.subscription?.status ?? null,
        team.subscription?.expiresAt ?? null,
        encodeLimits(team.limits),
      ],
    );
    notifyKeyChange(this, { teamId: team.id });
  }

  /** {@inheritDoc KeyAdminStore.listTeams} */
  async listTeams(): Promise<Team[]> {
    const rows = await this.#query<TeamRow>(
      'listTeams',
      `SELECT ${TEAM_COLUMNS} FROM ${this.#t.teams} ORDER BY id`,
      [],
    );
    return rows.map(teamFromRow);
  }

  async #writeTouches(batch: ReadonlyMap<string, Touch>): Promise<void> {
    const ids: string[] = [];
    const ats: Date[] = [];
    const ips: string[] = [];
    for (const [id, touch] of batch) {
      ids.push(id);
      ats.push(touch.at);
      ips.push(touch.ip);
    }
    // Three array parameters whatever the batch size; the time guard keeps the newest use
    // when several instances write the same key.
    await this.#query(
      'touch',
      `UPDATE ${this.#t.keys} AS k SET last_used_at = v.at, last_used_ip = v.ip
       FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS v(id, at, ip)
       WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)`,
      [ids, ats, ips],
    );
  }

  async #query<R>(operation: string, text: string, values: unknown[]): Promise<R[]> {
    // `query_timeout` is honoured by pg but missing from its QueryConfig type.
    const config = { text, values, query_timeout: this.#config.queryTimeoutMs } as QueryConfig;
    try {
      const result = await this.#config.pool.query(config);
      return result.rows as R[];
    } catch (err) {
      throw storeError(operation, err);
    }
  }
}

function duplicate(id: string, cause?: unknown): PostgresKeyStoreError {
  return new PostgresKeyStoreError(
    'insertKey',
    UNIQUE_VIOLATION,
    `PostgresKeyStore: key ${id} already exists`,
    cause,
  );
}
