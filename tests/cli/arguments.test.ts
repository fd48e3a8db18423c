import { keyward } from './support.js';

// Every case here fails before any connection: the store URL points nowhere reachable.
const STORE = ['--store', 'postgres://nobody@127.0.0.1:1/none'];

describe('keyward CLI: help and bad arguments (no database needed)', () => {
  it('--help prints usage on stdout and exits 0', async () => {
    const r = await keyward(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: keyward <command> [options]');
    expect(r.stdout).toContain('keys rotate <key id> [--grace 24h]');
    expect(r.stderr).toBe('');
    expect((await keyward(['keys', 'create', '-h'])).status).toBe(0);
  });

  it('no command prints usage on stderr and exits 2', async () => {
    const r = await keyward([]);
    expect(r).toMatchObject({ status: 2, stdout: '' });
    expect(r.stderr).toContain('Usage: keyward');
  });

  it.each([
    [['keys', 'lst', ...STORE], 'keyward: unknown command `keys lst` (see keyward --help)\n'],
    [
      ['keys', 'list', '--colour', ...STORE],
      "keyward: Unknown option '--colour' (see keyward --help)\n",
    ],
    [
      ['keys', 'list', '--grace', '1h', ...STORE],
      'keyward: `--grace` is not an option of `keyward keys list` (see keyward --help)\n',
    ],
    [
      ['keys', 'create', '--team', 't', '--name', 'n', ...STORE],
      'keyward: `keyward keys create` needs --env (see keyward --help)\n',
    ],
    [
      ['keys', 'create', '--team', 't', '--name', 'n', '--env', 'prod', ...STORE],
      'keyward: --env must be one of production, staging, development, received "prod" (see keyward --help)\n',
    ],
    [
      [
        'keys',
        'create',
        '--team',
        't',
        '--name',
        'n',
        '--env',
        'staging',
        '--per-minute',
        'lots',
        ...STORE,
      ],
      'keyward: --per-minute must be a whole number or "unlimited", received "lots" (see keyward --help)\n',
    ],
    [
      ['keys', 'show', ...STORE],
      'keyward: `keyward keys show` needs the key id (see keyward --help)\n',
    ],
    [
      ['keys', 'show', 'a', 'b', ...STORE],
      'keyward: unexpected argument `b` (see keyward --help)\n',
    ],
    [
      ['keys', 'rotate', 'key_1', '--grace', 'a day', ...STORE],
      'keyward: --grace must be a duration like 30m, 24h or 7d, received "a day" (see keyward --help)\n',
    ],
    [
      ['keys', 'block', 'key_1', ...STORE],
      'keyward: `keyward keys block` needs exactly one of --until <ISO date> or --for <duration> (see keyward --help)\n',
    ],
    [
      ['keys', 'list', '--prefix', 'K-W', ...STORE],
      'keyward: received an unsupported --prefix, "K-W". Use 1 to 16 lowercase letters or digits starting with a letter, e.g. `kw` or `tic`. (see keyward --help)\n',
    ],
    [
      ['keys', 'list'],
      'keyward: no store given: pass --store postgres://user@host:5432/db or set KEYWARD_STORE (see keyward --help)\n',
    ],
    [
      ['keys', 'list', '--store', 'mysql://root:hunter2@db/keys'],
      'keyward: unsupported store "mysql://…": keyward\'s CLI manages PostgreSQL stores (postgres://…) (see keyward --help)\n',
    ],
    [
      ['keys', 'list', '--store', 'postgres://u:hunter2@db:notaport/x'],
      'keyward: the store is not a valid URL: expected postgres://user@host:5432/database (see keyward --help)\n',
    ],
    [
      ['keys', 'list', '--schema', 'Bad Schema', ...STORE],
      'keyward: received an unsupported `schema`, "Bad Schema". Use 1 to 40 lowercase letters, digits or _, starting with a letter or _. (see keyward --help)\n',
    ],
  ])('%j → exit 2 with one line', async (argv, stderr) => {
    const r = await keyward(argv);
    expect(r).toEqual({ status: 2, stdout: '', stderr });
  });

  it('a short pepper is refused without echoing it', async () => {
    const r = await keyward(['keys', 'list', ...STORE], { KEYWARD_PEPPER: 'short-secret' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^keyward: received an unsupported --pepper \/ KEYWARD_PEPPER\. .*\n$/,
    );
    expect(r.stderr).not.toContain('short-secret');
  });

  it('an unreachable database is one line naming host and port, never the password', async () => {
    const r = await keyward([
      'keys',
      'list',
      '--store',
      'postgres://admin:hunter2@127.0.0.1:1/keys',
    ]);
    expect(r).toEqual({
      status: 1,
      stdout: '',
      stderr: 'keyward: cannot reach PostgreSQL at 127.0.0.1:1/keys (ECONNREFUSED)\n',
    });
  });
});
