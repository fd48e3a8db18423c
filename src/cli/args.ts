import { parseArgs } from 'node:util';
import { CliError } from './io.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

/** Every option the CLI knows; {@link COMMAND_OPTIONS} says which command takes which. */
export const OPTIONS = {
  store: { type: 'string' },
  schema: { type: 'string' },
  'table-prefix': { type: 'string' },
  prefix: { type: 'string' },
  pepper: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  team: { type: 'string' },
  name: { type: 'string' },
  env: { type: 'string' },
  scopes: { type: 'string' },
  'per-minute': { type: 'string' },
  monthly: { type: 'string' },
  'ips-per-month': { type: 'string' },
  'valid-until': { type: 'string' },
  customer: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  grace: { type: 'string' },
  until: { type: 'string' },
  for: { type: 'string' },
  plan: { type: 'string' },
  features: { type: 'string' },
  subscription: { type: 'string' },
  expires: { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;
export type Values = {
  [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

const GLOBAL: OptionName[] = [
  'store',
  'schema',
  'table-prefix',
  'prefix',
  'pepper',
  'json',
  'help',
];
const LIMITS: OptionName[] = ['per-minute', 'monthly'];

/** Options each command accepts besides the global ones. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionName[]>> = {
  'keys create': [
    'team',
    'name',
    'env',
    'scopes',
    ...LIMITS,
    'ips-per-month',
    'valid-until',
    'customer',
  ],
  'keys list': ['team', 'env', 'status', 'limit', 'before'],
  'keys show': [],
  'keys revoke': [],
  'keys restore': [],
  'keys regenerate': [],
  'keys rotate': ['grace'],
  'keys block': ['until', 'for'],
  'keys unblock': [],
  'teams set': ['plan', 'features', 'subscription', 'expires', ...LIMITS],
  'teams show': [],
  migrate: [],
};

/** A parsed command line. */
export interface Parsed {
  /** `keys create`, `teams show`, `migrate`, … or `''` when none was given. */
  command: string;
  /** Positionals after the command, e.g. the key id. */
  args: string[];
  values: Values;
}

/** Parses argv with `node:util`'s parseArgs; unknown or misplaced options are usage errors. */
export function parse(argv: readonly string[]): Parsed {
  let result;
  try {
    result = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's own message, first sentence only ("Unknown option '--colour'"); it may come from
    // another realm, so no instanceof.
    const raw = (err as { message?: unknown } | null)?.message;
    const message = typeof raw === 'string' ? raw : 'invalid arguments';
    throw new CliError(message.split(/\.\s|\n/)[0] ?? 'invalid arguments', true);
  }
  const positionals = result.positionals;
  const values = result.values;
  const [first, second] = positionals;
  const command =
    first === undefined
      ? ''
      : first === 'migrate'
        ? 'migrate'
        : second === undefined
          ? first
          : `${first} ${second}`;
  const args = positionals.slice(command.split(' ').length);
  if (command !== '' && !COMMAND_OPTIONS[command]) {
    if (values.help) return { command, args, values };
    throw new CliError(`unknown command \`${positionals.slice(0, 2).join(' ')}\``, true);
  }
  const allowed = new Set<string>([...GLOBAL, ...(COMMAND_OPTIONS[command] ?? [])]);
  for (const name of Object.keys(values)) {
    if (!allowed.has(name))
      throw new CliError(`\`--${name}\` is not an option of \`keyward ${command}\``, true);
  }
  return { command, args, values };
}

/** The single positional a command needs (a key or team id). */
export function oneId(parsed: Parsed, what: string): string {
  const [id, extra] = parsed.args;
  if (id === undefined || id.trim() === '')
    throw new CliError(`\`keyward ${parsed.command}\` needs the ${what}`, true);
  if (extra !== undefined) throw new CliError(`unexpected argument \`${extra}\``, true);
  return id;
}

/** A required string option. */
export function required(values: Values, name: OptionName, command: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new CliError(`\`keyward ${command}\` needs --${name}`, true);
  return value;
}

/** A non-negative integer, or `unlimited` (Infinity). */
export function limitValue(name: string, value: string): number {
  if (value === 'unlimited' || value === 'Infinity') return Infinity;
  if (!/^\d{1,15}$/.test(value))
    throw new CliError(
      `--${name} must be a whole number or "unlimited", received "${value}"`,
      true,
    );
  return Number(value);
}

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration such as `90s`, `15m`, `24h`, `7d` or plain milliseconds. */
export function duration(name: string, value: string): number {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(value);
  if (!match)
    throw new CliError(
      `--${name} must be a duration like 30m, 24h or 7d, received "${value}"`,
      true,
    );
  return Number(match[1]) * (UNITS[match[2] ?? 'ms'] ?? 1);
}

/** An ISO 8601 date. */
export function dateValue(name: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(
      `--${name} must be an ISO 8601 date like 2026-12-31 or 2026-12-31T23:59:00Z, received "${value}"`,
      true,
    );
  }
  return date;
}
