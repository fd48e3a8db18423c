import { ERROR_CATALOG, type ErrorCode } from './catalog.js';

/** Options of {@link KeywardError}: a `detail` plus any extension members of the problem. */
export type KeywardErrorOptions = {
  /** Human-readable explanation; defaults to the catalog's detail for the code. */
  detail?: string;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** The underlying error, kept for logs; never rendered. */
  cause?: unknown;
} & Record<string, unknown>;

const RESERVED = new Set(['detail', 'headers', 'cause']);

/**
 * An error in keyward's error model. Throw it (or pass it to `next`) from host code and
 * `problemHandler()` renders it as the same problem document keyward's middlewares send.
 *
 * Shaped like http-errors: `status`, `expose`, `headers`, plus a stable `code`.
 *
 * @example
 * ```ts
 * throw new KeywardError('feature_required', { features: ['max'] });
 * ```
 */
export class KeywardError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** HTTP status. */
  readonly status: number;
  /** Problem title for the code. */
  readonly title: string;
  /** Human-readable detail. */
  readonly detail: string;
  /** Extension members rendered into the problem document. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Response headers to send with the error. */
  readonly headers: Readonly<Record<string, string>>;
  /** Always true: keyward errors are safe to show to clients (http-errors convention). */
  readonly expose = true;

  constructor(code: ErrorCode, options: KeywardErrorOptions = {}) {
    const entry = ERROR_CATALOG[code];
    if (!entry) throw new TypeError(`KeywardError: unknown error code ${JSON.stringify(code)}.`);
    const detail = typeof options.detail === 'string' ? options.detail : entry.detail;
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeywardError';
    this.code = code;
    this.status = entry.status;
    this.title = entry.title;
    this.detail = detail;
    this.headers = { ...(options.headers ?? {}) };
    const extensions: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(options)) {
      if (!RESERVED.has(name) && value !== undefined) extensions[name] = value;
    }
    this.extensions = extensions;
  }

  /** Same as `status`, for libraries that read `statusCode`. */
  get statusCode(): number {
    return this.status;
  }
}

/** True for a {@link KeywardError} (also across duplicated copies of the package). */
export function isKeywardError(err: unknown): err is KeywardError {
  return (
    err instanceof KeywardError ||
    (typeof err === 'object' &&
      err !== null &&
      (err as { name?: unknown }).name === 'KeywardError' &&
      typeof (err as { code?: unknown }).code === 'string' &&
      typeof (err as { status?: unknown }).status === 'number')
  );
}
