import { validateErrorFormat, type ErrorFormat } from '../errors/render.js';
import { validateOnEvent, type EventListener } from '../events.js';
import type { Clock } from '../types.js';
import { checkOptions, positiveNumber, validateClock } from '../util/options.js';

/** Limits of a plan, applied as team limits when the team has none of its own (field by field). */
export interface PlanLimits {
  /** Requests per sliding minute across the team; `Infinity` = unlimited. */
  perMinute?: number;
  /** Requests per calendar month (UTC) across the team; `Infinity` = unlimited. */
  monthly?: number;
}

/** Options of `rateLimit`. */
export interface RateLimitOptions {
  /**
   * Limits by plan name (`req.apiKey.plan`).
   * @example `{ free: { perMinute: 100 }, starter: { perMinute: 500 }, growth: { perMinute: 2000 }, business: { perMinute: 10000 }, enterprise: { perMinute: Infinity } }`
   */
  plans?: Readonly<Record<string, PlanLimits>>;
  /** Limit requests that no API key authenticated, per client IP; unset: they pass through. */
  anonymous?: { perMinute: number };
  /** Which headers to send. @defaultValue `'both'` */
  headers?: 'legacy' | 'ietf' | 'both' | false;
  /**
   * When the counter store fails: `'fail-open'` admits through an in-process insurance limiter
   * with the same limits; `'fail-closed'` answers 503 `store_unavailable`.
   * @defaultValue `'fail-open'`
   */
  onStoreError?: 'fail-open' | 'fail-closed';
  /** Deadline of each store call. @defaultValue 1000 */
  timeoutMs?: number;
  /** @defaultValue `Date.now` */
  clock?: Clock;
  /** @defaultValue the format chosen by the first keyward middleware for the request */
  errorFormat?: ErrorFormat;
  /** Base URI of problem `type`s. */
  typeBase?: string;
  /** Receives `rate.limited`, `store.error` and `store.recovered`. */
  onEvent?: EventListener;
}

export interface RateLimitConfig {
  plans: Readonly<Record<string, PlanLimits>>;
  anonymousPerMinute: number | undefined;
  legacy: boolean;
  ietf: boolean;
  onStoreError: 'fail-open' | 'fail-closed';
  timeoutMs: number;
  clock: Clock;
  errorFormat: ErrorFormat | undefined;
  typeBase: string | undefined;
  onEvent: EventListener | undefined;
}

const W = 'rateLimit';

function limitValue(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Infinity))
    return value;
  throw new TypeError(
    `${W}: \`${name}\` must be a non-negative integer or Infinity, received ${JSON.stringify(value)}.`,
  );
}

/** Resolves and validates `rateLimit` options once. Never mutates `options`. */
export function parseRateLimitOptions(options: unknown): RateLimitConfig {
  const o = checkOptions<RateLimitOptions>(W, options, [
    'plans',
    'anonymous',
    'headers',
    'onStoreError',
    'timeoutMs',
    'clock',
    'errorFormat',
    'typeBase',
    'onEvent',
  ]);
  const plans: Record<string, PlanLimits> = {};
  for (const [name, plan] of Object.entries(o.plans ?? {})) {
    const p = checkOptions<PlanLimits>(`${W} plans.${name}`, plan, ['perMinute', 'monthly']);
    plans[name] = {
      perMinute: limitValue(`plans.${name}.perMinute`, p.perMinute),
      monthly: limitValue(`plans.${name}.monthly`, p.monthly),
    };
  }
  const anonymous =
    o.anonymous === undefined
      ? undefined
      : checkOptions<{ perMinute: number }>(`${W} anonymous`, o.anonymous, ['perMinute']);
  const headers = o.headers ?? 'both';
  if (headers !== false && headers !== 'legacy' && headers !== 'ietf' && headers !== 'both') {
    throw new TypeError(
      `${W}: \`headers\` must be 'legacy', 'ietf', 'both' or false, received ${JSON.stringify(headers)}.`,
    );
  }
  if (
    o.onStoreError !== undefined &&
    o.onStoreError !== 'fail-open' &&
    o.onStoreError !== 'fail-closed'
  ) {
    throw new TypeError(
      `${W}: \`onStoreError\` must be 'fail-open' or 'fail-closed', received ${JSON.stringify(o.onStoreError)}.`,
    );
  }
  return {
    plans,
    anonymousPerMinute: anonymous
      ? limitValue('anonymous.perMinute', anonymous.perMinute ?? NaN)
      : undefined,
    legacy: headers === 'legacy' || headers === 'both',
    ietf: headers === 'ietf' || headers === 'both',
    onStoreError: o.onStoreError ?? 'fail-open',
    timeoutMs: positiveNumber(W, 'timeoutMs', o.timeoutMs ?? 1000, true),
    clock: validateClock(W, o.clock),
    errorFormat: validateErrorFormat(W, o.errorFormat),
    typeBase: o.typeBase,
    onEvent: validateOnEvent(W, o.onEvent),
  };
}
