import type { EventListener } from '../events.js';
import { validateOnEvent } from '../events.js';
import { validateErrorFormat, type ErrorFormat } from '../errors/render.js';
import type { Clock } from '../types.js';
import { checkOptions, positiveNumber, validateClock } from '../util/options.js';
import { compileExemptions, type CompiledExemption, type GuardExemption } from './exemptions.js';
import { resolveInspectOptions, type InspectConfig } from './inspect.js';
import type { ViolationCategory } from './violation.js';

/**
 * Options of `requestGuard`. Every option is optional; `undefined` means the default.
 *
 * @example
 * ```ts
 * app.use(express.json());
 * app.use(requestGuard({
 *   allow: [{ endpoint: 'POST /v1/pages', fields: ['body.html'], checks: ['xss'] }],
 *   requireJson: true,
 * }));
 * ```
 */
export interface RequestGuardOptions {
  /** Categories to detect. @defaultValue `['sql_injection', 'xss', 'path_traversal']` */
  checks?: readonly ViolationCategory[];
  /** Exemptions by endpoint, location and category. @defaultValue `[]` */
  allow?: readonly GuardExemption[];
  /** Request headers inspected (case-insensitive names), or `false` for none. @defaultValue `['user-agent', 'referer']` */
  headers?: readonly string[] | false;
  /**
   * Largest body accepted and inspected, in bytes: a `Content-Length` above it, or a parsed
   * body with more characters than this, is refused with 413 `payload_too_large`.
   * @defaultValue `1048576` (1 MiB)
   */
  maxBytes?: number;
  /**
   * What to do with a body over `maxBytes`: `'refuse'` (413) or `'pass'` — inspect the
   * first `maxBytes` and let the request through unless that part holds a violation.
   * @defaultValue `'refuse'`
   */
  overflow?: 'refuse' | 'pass';
  /**
   * Deepest nesting of query/body objects and arrays inspected; deeper input is refused
   * with 400 `bad_request` (not inspecting it would let an attack hide below the cap).
   * @defaultValue `32`
   */
  maxDepth?: number;
  /** Refuse requests where `req.secure` is false with 403 `https_required`. @defaultValue `false` */
  requireHttps?: boolean;
  /**
   * Refuse a request that sends a body without `Content-Type: application/json` (or an
   * `application/*+json` type) with 415 `unsupported_media_type`. @defaultValue `false`
   */
  requireJson?: boolean;
  /** How errors are rendered. @defaultValue the request's format, else `'problem'` */
  errorFormat?: ErrorFormat;
  /** Receives a `request.blocked` event (categories and locations, never the payload). */
  onEvent?: EventListener;
  /** Time source for event timestamps. @defaultValue `Date.now` */
  clock?: Clock;
}

/** `RequestGuardOptions` resolved once by {@link parseOptions}. */
export interface GuardConfig {
  checks: ReadonlySet<ViolationCategory> | undefined;
  allow: readonly CompiledExemption[];
  headers: readonly string[];
  maxBytes: number;
  overflow: 'refuse' | 'pass';
  maxDepth: number;
  requireHttps: boolean;
  requireJson: boolean;
  errorFormat: ErrorFormat | undefined;
  onEvent: EventListener | undefined;
  clock: Clock;
  /** What `Inspection` reads for path, query and headers (no byte cap: the server bounds them). */
  envelopeInspection: InspectConfig;
  /** What `Inspection` reads for the body. */
  bodyInspection: InspectConfig;
}

type KeysEnum<T> = { [K in keyof Required<T>]: true };
const OPTION_KEYS: KeysEnum<RequestGuardOptions> = {
  checks: true,
  allow: true,
  headers: true,
  maxBytes: true,
  overflow: true,
  maxDepth: true,
  requireHttps: true,
  requireJson: true,
  errorFormat: true,
  onEvent: true,
  clock: true,
};
const WHERE = 'requestGuard';

function flag(name: string, value: unknown): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  throw new TypeError(
    `${WHERE}: \`${name}\` must be true or false, received ${JSON.stringify(value)}.`,
  );
}

function headerList(value: unknown): string[] {
  if (value === undefined) return ['user-agent', 'referer'];
  if (value === false) return [];
  if (
    Array.isArray(value) &&
    value.every((name) => typeof name === 'string' && name.trim() !== '')
  ) {
    return [...new Set(value.map((name: string) => name.trim().toLowerCase()))];
  }
  throw new TypeError(
    `${WHERE}: \`headers\` must be an array of header names such as ['user-agent', 'referer'], or false, received ${JSON.stringify(value)}.`,
  );
}

function isRequestLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'socket' in value && 'method' in value;
}

/** Checks and resolves `requestGuard`'s options; throws a TypeError naming option, value and fix. */
export function parseOptions(options: unknown): GuardConfig {
  if (isRequestLike(options)) {
    throw new TypeError(
      `${WHERE}: received a request as options. Did you write app.use(requestGuard) instead of app.use(requestGuard())?`,
    );
  }
  const given = checkOptions<RequestGuardOptions>(
    WHERE,
    options,
    Object.keys(OPTION_KEYS) as (keyof RequestGuardOptions)[],
  );
  const inspect = resolveInspectOptions(WHERE, { checks: given.checks });
  const { overflow } = given;
  if (overflow !== undefined && overflow !== 'refuse' && overflow !== 'pass') {
    throw new TypeError(
      `${WHERE}: \`overflow\` must be 'refuse' or 'pass', received ${JSON.stringify(overflow)}.`,
    );
  }
  const allow = compileExemptions(given.allow);
  const headers = headerList(given.headers);
  const maxBytes =
    given.maxBytes === undefined ? 1024 * 1024 : positiveNumber(WHERE, 'maxBytes', given.maxBytes);
  const maxDepth =
    given.maxDepth === undefined ? 32 : positiveNumber(WHERE, 'maxDepth', given.maxDepth);
  return {
    checks: inspect.checks,
    allow,
    headers,
    maxBytes,
    overflow: overflow ?? 'refuse',
    maxDepth,
    requireHttps: flag('requireHttps', given.requireHttps),
    requireJson: flag('requireJson', given.requireJson),
    errorFormat: validateErrorFormat(WHERE, given.errorFormat),
    onEvent: validateOnEvent(WHERE, given.onEvent),
    clock: validateClock(WHERE, given.clock),
    envelopeInspection: { checks: inspect.checks, maxDepth, maxBytes: Infinity },
    bodyInspection: { checks: inspect.checks, maxDepth, maxBytes },
  };
}
