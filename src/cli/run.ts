import { isKeywardError } from '../errors/keyward-error.js';
import { validatePepper } from '../keys/digest.js';
import { DEFAULT_KEY_PREFIX, validatePrefix } from '../keys/format.js';
import { KeyManager } from '../keys/manager.js';
import type { KeyAdminStore } from '../stores/key-store.js';
import type { Clock } from '../types.js';
import { PostgresKeyStoreError } from '../postgres/errors.js';
import { parse, type Parsed } from './args.js';
import type { CommandContext } from './context.js';
import { HELP } from './help.js';
import { CliError, processIo, type CliIo, type OpenStore } from './io.js';
import { keysCommand } from './keys.js';
import { describeTarget, explainStoreError, openStore, parseStoreUrl } from './open-store.js';
import { teamsCommand } from './teams.js';

/** Exit status: done. */
export const EXIT_OK = 0;
/** Exit status: the command failed (unknown key, unreachable database, …). */
export const EXIT_FAILED = 1;
/** Exit status: bad arguments. */
export const EXIT_USAGE = 2;

/**
 * Runs one `keyward` command line and resolves with its exit status. Never throws and never
 * prints a stack: every failure is one line on stderr (`KEYWARD_DEBUG=1` adds the stack).
 *
 * @example
 * ```ts
 * const status = await run(['keys', 'list', '--json'], processIo());
 * process.exitCode = status;
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let parsed: Parsed | undefined;
  let target = '';
  let schema = 'public';
  let opened: OpenStore | undefined;
  try {
    parsed = parse(argv);
    if (parsed.values.help) return (io.stdout(HELP), EXIT_OK);
    if (parsed.command === '') return (io.stderr(HELP), EXIT_USAGE);
    const { values } = parsed;
    const manager = managerFor(
      values.prefix ?? io.env.KEYWARD_PREFIX,
      values.pepper ?? io.env.KEYWARD_PEPPER,
      io.clock ?? Date.now,
    );
    const url = parseStoreUrl(values.store ?? io.env.KEYWARD_STORE);
    target = describeTarget(url);
    schema = values.schema ?? io.env.KEYWARD_SCHEMA ?? 'public';
    opened = await openStore(url, {
      schema,
      ...(values['table-prefix'] !== undefined ? { tablePrefix: values['table-prefix'] } : {}),
    });
    const ctx: CommandContext = {
      parsed,
      io,
      store: opened.store,
      manager: manager(opened.store),
      now: io.clock ?? Date.now,
      json: values.json === true,
    };
    await dispatch(ctx);
    return EXIT_OK;
  } catch (err) {
    return report(io, err, parsed, target, schema);
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

async function dispatch(ctx: CommandContext): Promise<void> {
  const { command } = ctx.parsed;
  if (command === 'migrate') {
    const { applied, version } = await ctx.store.migrate();
    if (ctx.json) ctx.io.stdout(JSON.stringify({ applied, version }));
    else
      ctx.io.stdout(
        applied.length
          ? `Applied migrations ${applied.join(', ')}; schema at version ${version}.`
          : `Already up to date (version ${version}).`,
      );
    return;
  }
  if (command.startsWith('keys ')) return keysCommand(ctx);
  return teamsCommand(ctx);
}

/** Validates prefix and pepper before any connection, so bad flags fail fast. */
function managerFor(prefix: string | undefined, pepper: string | undefined, clock: Clock) {
  try {
    const options = {
      prefix: validatePrefix('keyward', prefix ?? DEFAULT_KEY_PREFIX),
      pepper: validatePepper('keyward', pepper),
      clock,
    };
    return (store: KeyAdminStore) => new KeyManager(store, options);
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^keyward: /, '') : String(err);
    throw new CliError(
      message.replace('`prefix`', '--prefix').replace('`pepper`', '--pepper / KEYWARD_PEPPER'),
      true,
    );
  }
}

function report(
  io: CliIo,
  err: unknown,
  parsed: Parsed | undefined,
  target: string,
  schema: string,
): number {
  let message: string;
  let status = EXIT_FAILED;
  if (err instanceof CliError) {
    message = err.usage ? `${err.message} (see keyward --help)` : err.message;
    if (err.usage) status = EXIT_USAGE;
  } else if (err instanceof PostgresKeyStoreError) {
    message = explainStoreError(err, target, schema);
  } else if (isKeywardError(err) && err.code === 'not_found') {
    message = `no API key with id "${parsed?.args[0] ?? ''}"`;
  } else if (isKeywardError(err)) {
    message = err.detail;
    status = err.code === 'bad_request' ? EXIT_USAGE : EXIT_FAILED;
  } else {
    message = `unexpected error (${err instanceof Error ? err.name : typeof err}); set KEYWARD_DEBUG=1 for details`;
  }
  io.stderr(`keyward: ${message}`);
  if (io.env.KEYWARD_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(err.stack);
  return status;
}
