import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import {
  PostgresKeyStore,
  PostgresKeyStoreError,
  type PostgresPool,
} from '../../src/postgres/index.js';
import { MIGRATIONS, runMigrations } from '../../src/postgres/migrations.js';
import { tableNames } from '../../src/postgres/options.js';
import type { ApiKeyRecord } from '../../src/index.js';
import { connect, describeWithPostgres, dropSchema, testSchema } from './support.js';

const T0 = Date.parse('2026-03-10T12:00:00.000Z');

function record(n: number): ApiKeyRecord {
  return {
    id: `key_${n}`,
    hash: n.toString(16).padStart(64, '0'),
    prefix: 'kw_live_abcd',
    name: `Key ${n}`,
    teamId: 'team_a',
    environment: 'production',
    scopes: [],
    customerId: null,
    status: 'active',
    validUntil: null,
    blockedUntil: null,
    createdAt: new Date(T0),
    lastUsedAt: null,
    lastUsedIp: null,
    previous: null,
  };
}

/** Wraps a pool to record the SQL it is asked to run. */
function recording(pool: pg.Pool): { pool: PostgresPool; statements: string[] } {
  const statements: string[] = [];
  const wrapped = {
    query: (config: { text: string }) => (
      statements.push(config.text.trim().split(/\s+/)[0] ?? ''),
      pool.query(config)
    ),
    connect: () => pool.connect(),
  };
  return { pool: wrapped as unknown as PostgresPool, statements };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('PostgresKeyStore: construction', () => {
  const pool = { query: jest.fn(), connect: jest.fn() } as unknown as PostgresPool;
  it.each([
    [undefined, /options are required/],
    [{}, /`pool` must be a pg.Pool/],
    [{ pool, shema: 'x' }, /unsupported property, `shema`. Did you mean to pass `schema`\?/],
    [{ pool, schema: 'Auth-Keys' }, /unsupported `schema`, "Auth-Keys"/],
    [{ pool, tablePrefix: 'a;drop' }, /unsupported `tablePrefix`/],
    [{ pool, touchFlushMs: 0 }, /`touchFlushMs` must be a positive number, received 0/],
    [{ pool, onError: 'log' }, /`onError` must be a function/],
  ])('throws at construction for %j', (options, message) => {
    expect(() => new PostgresKeyStore(options as never)).toThrow(message);
  });

  it('loads pg only as a type: importing keyward or keyward/postgres never requires it', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
      );
    for (const file of files('src').filter((f) => !f.startsWith(join('src', 'cli')))) {
      const source = readFileSync(file, 'utf8');
      const imports = source.match(/^\s*import\s[^;]*from\s+'pg'/gm) ?? [];
      for (const line of imports) expect(line).toMatch(/^\s*import type\s/);
      expect(source).not.toMatch(/require\('pg'\)|import\('pg'\)/);
    }
    expect(readFileSync('src/index.ts', 'utf8')).not.toContain('postgres');
  });
});

describeWithPostgres('PostgresKeyStore against a live PostgreSQL', () => {
  let pool: pg.Pool;
  let schema: string;
  beforeEach(() => {
    pool = connect();
    schema = testSchema();
  });
  afterEach(async () => {
    await dropSchema(schema);
    await pool.end();
  });

  const tablesOf = async (s: string) =>
    (
      await pool.query<{ t: string }>(
        'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [s],
      )
    ).rows.map((r) => r.t);

  describe('migrate()', () => {
    it('creates its schema and tables once, records versions, and is idempotent', async () => {
      const store = new PostgresKeyStore({ pool, schema });
      expect(await store.migrate()).toEqual({ applied: [1, 2], version: 2 });
      expect(await store.migrate()).toEqual({ applied: [], version: 2 });
      expect(await tablesOf(schema)).toEqual([
        'keyward_keys',
        'keyward_migrations',
        'keyward_teams',
      ]);
      const versions = await pool.query(
        `SELECT version, name FROM "${schema}".keyward_migrations ORDER BY version`,
      );
      expect(versions.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      const unique = await pool.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE 'CREATE UNIQUE%' ORDER BY indexname`,
        [schema],
      );
      expect(unique.rows.map((r) => r.indexdef)).toEqual([
        expect.stringMatching(/UNIQUE INDEX keyward_keys_hash ON .* \(hash\)$/),
        expect.stringMatching(/UNIQUE INDEX keyward_keys_pkey ON .* \(id\)$/),
        expect.stringMatching(
          /UNIQUE INDEX keyward_keys_previous_hash ON .* \(previous_hash\) WHERE \(previous_hash IS NOT NULL\)$/,
        ),
        expect.stringMatching(/UNIQUE INDEX keyward_migrations_pkey/),
        expect.stringMatching(/UNIQUE INDEX keyward_teams_pkey/),
      ]);
    });

    it('is safe when several instances migrate at once: each step applied exactly once', async () => {
      const stores = [1, 2, 3, 4].map(
        () => new PostgresKeyStore({ pool: connect({ max: 1 }), schema }),
      );
      const results = await Promise.all(stores.map((s) => s.migrate()));
      expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2]);
      expect(results.map((r) => r.version)).toEqual([2, 2, 2, 2]);
      const count = await pool.query(
        `SELECT count(*)::int AS n FROM "${schema}".keyward_migrations`,
      );
      expect(count.rows[0]).toEqual({ n: 2 });
    });

    it('upgrades a schema left at an older version, and honours tablePrefix', async () => {
      await runMigrations(
        pool,
        tableNames({ schema, tablePrefix: 'acme_' }),
        MIGRATIONS.slice(0, 1),
      );
      const store = new PostgresKeyStore({ pool, schema, tablePrefix: 'acme_' });
      expect(await store.migrate()).toEqual({ applied: [2], version: 2 });
      expect(await tablesOf(schema)).toEqual(['acme_keys', 'acme_migrations', 'acme_teams']);
    });

    it('rolls a failed step back and reports it without SQL', async () => {
      await pool.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".keyward_keys (x int)`);
      const store = new PostgresKeyStore({ pool, schema });
      const err = await store.migrate().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PostgresKeyStoreError);
      expect(err).toMatchObject({
        operation: 'migrate',
        code: '42P07',
        message: 'PostgresKeyStore.migrate: query failed (42P07)',
      });
      expect(await tablesOf(schema)).toEqual(['keyward_keys']);
    });
  });

  describe('touch', () => {
    it('buffers updates and writes them in one statement; the newest use wins and never moves back', async () => {
      const { pool: counted, statements } = recording(pool);
      const store = new PostgresKeyStore({ pool: counted, schema, touchFlushMs: 60_000 });
      await store.migrate();
      for (let n = 1; n <= 10; n++) await store.insertKey(record(n));
      statements.length = 0;
      for (let i = 0; i < 50; i++)
        await store.touch(`key_${(i % 10) + 1}`, new Date(T0 + i * 1000), `192.0.2.${i}`);
      await store.touch('key_1', new Date(T0), '198.51.100.1'); // older than key_1's latest: ignored
      expect(statements).toEqual([]);
      await store.flush();
      expect(statements).toEqual(['UPDATE']);
      expect(await store.getKey('key_1')).toMatchObject({
        lastUsedAt: new Date(T0 + 40_000),
        lastUsedIp: '192.0.2.40',
      });
      expect(await store.getKey('key_10')).toMatchObject({
        lastUsedAt: new Date(T0 + 49_000),
        lastUsedIp: '192.0.2.49',
      });
      // Another instance writing an older use later does not move the stored time back.
      await store.touch('key_1', new Date(T0 + 1_000), '198.51.100.2');
      await store.close();
      expect(await store.getKey('key_1')).toMatchObject({
        lastUsedAt: new Date(T0 + 40_000),
        lastUsedIp: '192.0.2.40',
      });
    });

    it('flushes by itself after touchFlushMs, and on close()', async () => {
      const store = new PostgresKeyStore({ pool, schema, touchFlushMs: 20 });
      await store.migrate();
      await store.insertKey(record(1));
      await store.insertKey(record(2));
      await store.touch('key_1', new Date(T0), '192.0.2.1');
      for (let i = 0; i < 100 && !(await store.getKey('key_1'))?.lastUsedAt; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect((await store.getKey('key_1'))?.lastUsedIp).toBe('192.0.2.1');
      const slow = new PostgresKeyStore({ pool, schema, touchFlushMs: 3_600_000 });
      await slow.touch('key_2', new Date(T0), '192.0.2.2');
      await slow.close();
      expect((await store.getKey('key_2'))?.lastUsedIp).toBe('192.0.2.2');
      await store.close();
    });
  });

  describe('failures', () => {
    it('rejects with a PostgresKeyStoreError that names no host, port, SQL or value', async () => {
      const dead = connect({ port: await deadPort(), connectionTimeoutMillis: 1000 });
      const errors: Error[] = [];
      const store = new PostgresKeyStore({
        pool: dead,
        schema,
        touchFlushMs: 10,
        onError: (e) => void errors.push(e),
      });
      const err = await store.findByHash('a'.repeat(64)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PostgresKeyStoreError);
      expect(err).toMatchObject({
        operation: 'findByHash',
        code: 'ECONNREFUSED',
        message: 'PostgresKeyStore.findByHash: database unreachable (ECONNREFUSED)',
      });
      // The driver's error stays available to the host's logs.
      expect((err as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
      // A background flush failure goes to onError and keeps the update for the next flush.
      await store.touch('key_1', new Date(T0), '192.0.2.1');
      for (let i = 0; i < 100 && errors.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(errors[0]).toMatchObject({
        name: 'PostgresKeyStoreError',
        operation: 'touch',
        code: 'ECONNREFUSED',
      });
      await expect(store.close()).rejects.toMatchObject({ operation: 'touch' });
      for (const e of [err as Error, ...errors])
        expect(e.message).not.toMatch(/127\.0\.0\.1|\d{4,5}|SELECT|UPDATE|aaaa/);
      await dead.end();
    });

    it('reports missing tables by SQLSTATE (run migrate first)', async () => {
      const store = new PostgresKeyStore({ pool, schema });
      await expect(store.getKey('key_1')).rejects.toMatchObject({
        code: '42P01',
        message: 'PostgresKeyStore.getKey: query failed (42P01)',
      });
    });

    it('keeps idle-client errors away from the process and detaches on close()', async () => {
      const errors: Error[] = [];
      const store = new PostgresKeyStore({ pool, schema, onError: (e) => void errors.push(e) });
      const before = pool.listenerCount('error');
      pool.emit(
        'error',
        Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      );
      expect(errors).toEqual([
        expect.objectContaining({
          operation: 'pool',
          code: '57P01',
          message: 'PostgresKeyStore.pool: database unreachable (57P01)',
        }),
      ]);
      await store.close();
      expect(pool.listenerCount('error')).toBe(before - 1);
    });
  });
});
