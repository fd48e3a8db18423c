/**
 * A failed PostgreSQL operation of `PostgresKeyStore`. The message names the operation and the
 * driver's error code only (e.g. `ECONNREFUSED`, `42P01`), never SQL, values or connection
 * strings; the driver's error is kept as `cause` for the host's own logs.
 *
 * @example
 * ```ts
 * try { await keys.migrate(); } catch (err) {
 *   if (err instanceof PostgresKeyStoreError) console.error(err.operation, err.code);
 * }
 * ```
 */
export class PostgresKeyStoreError extends Error {
  /** The store method that failed, e.g. `findByHash`. */
  readonly operation: string;
  /** SQLSTATE (`23505`, `42P01`, …) or Node's network code (`ECONNREFUSED`, …); `unknown` otherwise. */
  readonly code: string;

  constructor(operation: string, code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PostgresKeyStoreError';
    this.operation = operation;
    this.code = code;
  }
}

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** The driver's error code, or a stable word for pg's code-less connection errors. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
  const message = err instanceof Error ? err.message : '';
  // pg reports these without a code; their messages hold no secrets but we keep only a label.
  if (/timeout/i.test(message)) return 'timeout';
  if (/terminated|Connection ended|not queryable/i.test(message)) return 'connection_lost';
  return 'unknown';
}

/** True when `code` means the database could not be reached (as opposed to refusing a statement). */
export function isConnectionCode(code: string): boolean {
  return (
    NETWORK_CODES.has(code) ||
    code === 'timeout' ||
    code === 'connection_lost' ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P03'
  );
}

/** Wraps a driver error into a {@link PostgresKeyStoreError} whose message holds no internals. */
export function storeError(operation: string, err: unknown): PostgresKeyStoreError {
  if (err instanceof PostgresKeyStoreError) return err;
  const code = errorCode(err);
  const kind = isConnectionCode(code) ? 'database unreachable' : 'query failed';
  return new PostgresKeyStoreError(
    operation,
    code,
    `PostgresKeyStore.${operation}: ${kind} (${code})`,
    err,
  );
}
