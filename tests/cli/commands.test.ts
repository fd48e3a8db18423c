import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';
import { digestKey } from '../../src/keys/digest.js';
import { PostgresKeyStore } from '../../src/postgres/index.js';
import { fakeClock } from '../helpers/clock.js';
import {
  connect,
  describeWithPostgres,
  dropSchema,
  storeUrl,
  testSchema,
} from '../postgres/support.js';
import { keyward } from './support.js';

const PEPPER = 'cli-test-pepper-0123456789';
const HOUR = 3_600_000;

describeWithPostgres('keyward CLI against a live PostgreSQL', () => {
  const clock = fakeClock('2026-03-10T12:00:00.000Z');
  let schema: string;
  let pool: pg.Pool;
  let store: PostgresKeyStore;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => keyward(argv, env, clock);
  const digest = (key: string) => digestKey(key, PEPPER);

  beforeAll(async () => {
    schema = testSchema();
    env = { KEYWARD_STORE: storeUrl(), KEYWARD_SCHEMA: schema, KEYWARD_PEPPER: PEPPER };
    pool = connect();
    store = new PostgresKeyStore({ pool, schema });
  });
  afterAll(async () => {
    try {
      await store.close();
      await pool.end();
    } finally {
      await dropSchema(schema);
    }
  });

  it('migrate creates the tables, then is a no-op', async () => {
    expect(await cli('keys', 'list')).toEqual({
      status: 1,
      stdout: '',
      stderr: `keyward: keyward's tables are missing in schema "${schema}" at 127.0.0.1:5432/test: run \`keyward migrate\` first (42P01)\n`,
    });
    expect(await cli('migrate')).toEqual({
      status: 0,
      stdout: 'Applied migrations 1, 2; schema at version 2.\n',
      stderr: '',
    });
    expect(await cli('migrate', '--json')).toEqual({
      status: 0,
      stdout: '{"applied":[],"version":2}\n',
      stderr: '',
    });
  });

  it('teams set creates and updates a team field by field; teams show prints it', async () => {
    const created = await cli(
      'teams',
      'set',
      'team_a',
      '--plan',
      'pro',
      '--features',
      'pro, enterprise',
      '--subscription',
      'active',
      '--expires',
      '2027-01-01T00:00:00Z',
      '--per-minute',
      'unlimited',
      '--json',
    );
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({
      id: 'team_a',
      plan: 'pro',
      features: ['pro', 'enterprise'],
      subscription: { status: 'active', expiresAt: '2027-01-01T00:00:00.000Z' },
      limits: { perMinute: 'Infinity' },
    });
    expect(await store.findTeam('team_a')).toEqual({
      id: 'team_a',
      plan: 'pro',
      features: ['pro', 'enterprise'],
      subscription: { status: 'active', expiresAt: new Date('2027-01-01T00:00:00Z') },
      limits: { perMinute: Infinity },
    });
    await cli(
      'teams',
      'set',
      'team_a',
      '--monthly',
      '1000',
      '--per-minute',
      'none',
      '--expires',
      'never',
    );
    expect(await store.findTeam('team_a')).toEqual({
      id: 'team_a',
      plan: 'pro',
      features: ['pro', 'enterprise'],
      subscription: { status: 'active', expiresAt: null },
      limits: { monthly: 1000 },
    });
    const shown = await cli('teams', 'show', 'team_a');
    expect(shown).toEqual({
      status: 0,
      stderr: '',
      stdout:
        'id            team_a\nplan          pro\nfeatures      pro, enterprise\nsubscription  active\nlimits        monthly=1000\n',
    });
    expect(await cli('teams', 'show', 'team_none')).toEqual({
      status: 1,
      stdout: '',
      stderr: 'keyward: no team with id "team_none"\n',
    });
  });

  it('keys create prints the secret once on stdout, the warning on stderr, and stores only its digest', async () => {
    const r = await cli(
      'keys',
      'create',
      '--team',
      'team_a',
      '--name',
      'CI server',
      '--env',
      'production',
      '--scopes',
      'companies:read,licenses:*',
      '--per-minute',
      '60',
      '--valid-until',
      '2027-06-30',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^kw_live_[0-9A-Za-z]{28}\n$/);
    const key = r.stdout.trim();
    const record = await store.findByHash(digest(key));
    expect(record).toMatchObject({
      teamId: 'team_a',
      name: 'CI server',
      scopes: ['companies:read', 'licenses:*'],
      limits: { perMinute: 60 },
      validUntil: new Date('2027-06-30T00:00:00Z'),
      createdAt: new Date(clock.now()),
    });
    expect(r.stderr).toBe(
      `Created production key ${record?.id} (${record?.prefix}…) "CI server" for team team_a.\n` +
        'Warning: copy this secret now. It will not be shown again: keyward stores only its digest.\n',
    );
    expect(await store.findByHash(digestKey(key))).toBeNull(); // peppered: the plain SHA-256 is not what is stored
    const all = JSON.stringify(await store.listKeys());
    expect(all).not.toContain(key);
  });

  it('honours --prefix and --json for scripts', async () => {
    clock.advance(1000);
    const r = await cli(
      'keys',
      'create',
      '--team',
      'team_a',
      '--name',
      'Staging',
      '--env',
      'staging',
      '--prefix',
      'tic',
      '--monthly',
      'unlimited',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'Warning: copy this secret now. It will not be shown again: keyward stores only its digest.\n',
    );
    const out = JSON.parse(r.stdout);
    expect(out.key).toMatch(/^tic_stg_[0-9A-Za-z]{28}$/);
    expect(out.record).toMatchObject({
      name: 'Staging',
      environment: 'staging',
      limits: { monthly: 'Infinity' },
      status: 'active',
      createdAt: new Date(clock.now()).toISOString(),
    });
    expect(out.record).not.toHaveProperty('key');
    expect((await store.findByHash(digest(out.key)))?.id).toBe(out.record.id);
  });

  it('lists newest first with filters, as a table or JSON; shows one key', async () => {
    const listed = JSON.parse((await cli('keys', 'list', '--json')).stdout);
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['Staging', 'CI server']);
    expect(
      JSON.parse((await cli('keys', 'list', '--env', 'production', '--json')).stdout),
    ).toHaveLength(1);
    const table = await cli('keys', 'list', '--team', 'team_a', '--limit', '1');
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID +NAME +PREFIX +ENV +STATUS +TEAM +LAST USED +CREATED$/,
    );
    expect(table.stdout.split('\n')).toHaveLength(3);
    expect((await cli('keys', 'list', '--team', 'team_none')).stdout).toBe('No keys.\n');
    const id = listed[1].id as string;
    const shown = await cli('keys', 'show', id);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id +${id}\nname +CI server\n`));
    expect(shown.stdout).toMatch(/^status +Active$/m);
    expect(shown.stdout).toMatch(/^limits +perMinute=60$/m);
  });

  it('rotate, regenerate, revoke, restore, block and unblock a key', async () => {
    const created = JSON.parse(
      (
        await cli(
          'keys',
          'create',
          '--team',
          'team_a',
          '--name',
          'Life',
          '--env',
          'development',
          '--json',
        )
      ).stdout,
    );
    const id = created.record.id as string;
    const rotated = await cli('keys', 'rotate', id, '--grace', '1h');
    const second = rotated.stdout.trim();
    expect(rotated.stderr).toContain(
      `Rotated key ${id}: the previous secret keeps working until ${new Date(clock.now() + HOUR).toISOString()}.\n`,
    );
    expect((await store.findByHash(digest(created.key)))?.id).toBe(id);
    expect((await store.findByHash(digest(second)))?.id).toBe(id);
    const third = (await cli('keys', 'regenerate', id)).stdout.trim();
    expect(await store.findByHash(digest(created.key))).toBeNull();
    expect(await store.findByHash(digest(second))).toBeNull();
    expect((await store.findByHash(digest(third)))?.id).toBe(id);

    expect(await cli('keys', 'revoke', id)).toEqual({
      status: 0,
      stdout: `Revoked key ${id} (${(await store.getKey(id))?.prefix}…).\n`,
      stderr: '',
    });
    expect((await store.getKey(id))?.status).toBe('revoked');
    expect((await cli('keys', 'show', id)).stdout).toMatch(/^status +Inactive$/m);
    expect(JSON.parse((await cli('keys', 'restore', id, '--json')).stdout).status).toBe('active');
    expect((await cli('keys', 'block', id, '--for', '2h')).stdout).toBe(
      `Blocked key ${id} until ${new Date(clock.now() + 2 * HOUR).toISOString()}.\n`,
    );
    expect((await store.getKey(id))?.blockedUntil).toEqual(new Date(clock.now() + 2 * HOUR));
    expect((await cli('keys', 'show', id)).stdout).toMatch(/^status +Active, blocked$/m);
    await cli('keys', 'unblock', id);
    expect((await store.getKey(id))?.blockedUntil).toBeNull();
  });

  it.each([['revoke'], ['restore'], ['regenerate'], ['rotate'], ['unblock'], ['show']])(
    'keys %s of an unknown id: exit 1, one line',
    async (action) => {
      expect(await cli('keys', action, 'key_unknown')).toEqual({
        status: 1,
        stdout: '',
        stderr: 'keyward: no API key with id "key_unknown"\n',
      });
    },
  );

  it('runs as a real process: `node --import tsx src/cli/main.ts`', async () => {
    const exec = promisify(execFile);
    const cmd = ['--import', 'tsx', 'src/cli/main.ts'];
    const { stdout, stderr } = await exec(
      process.execPath,
      [
        ...cmd,
        'keys',
        'create',
        '--team',
        'team_a',
        '--name',
        'Spawned',
        '--env',
        'production',
        '--json',
      ],
      { env: { ...process.env, ...env } },
    );
    const out = JSON.parse(stdout);
    expect((await store.findByHash(digest(out.key)))?.name).toBe('Spawned');
    expect(stderr).toContain('It will not be shown again');
    const failed = await exec(process.execPath, [...cmd, 'keys', 'show', 'key_unknown'], {
      env: { ...process.env, ...env },
    }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'keyward: no API key with id "key_unknown"\n',
    });
  });
});
