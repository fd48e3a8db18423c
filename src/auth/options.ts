import type { ErrorFormat } from '../errors/render.js';
import { validateErrorFormat } from '../errors/render.js';
import { validateOnEvent, type EventListener } from '../events.js';
import { validatePepper, type Pepper } from '../keys/digest.js';
import { DEFAULT_KEY_PREFIX, validatePrefix } from '../keys/format.js';
import type { CounterStore, FailurePolicy } from '../stores/counter-store.js';
import { MemoryCounterStore } from '../stores/memory-counter-store.js';
import { ENVIRONMENTS, type Clock, type Environment } from '../types.js';
import { checkOptions, positiveNumber, validateClock } from '../util/options.js';
import type { CacheOptions } from './lookup-cache.js';
import { compileSources, type KeySource } from './sources.js';

/** Options of `apiKeyAuth`. Every field is optional; `undefined` means the default. */
export interface ApiKeyAuthOptions {
  /** Accept only keys of this environment (or these). @defaultValue any environment */
  environment?: Environment | readonly Environment[];
  /** Key prefix; a key with another prefix is `invalid_api_key`. @defaultValue `'kw'` */
  prefix?: string;
  /** Where the key is read. @defaultValue `['x-api-key', 'bearer']` */
  sources?: readonly KeySource[];
  /** Counters for brute-force protection. @defaultValue a new in-process `MemoryCounterStore` */
  counters?: CounterStore;
  /**
   * Blocks a client IP after repeated invalid keys, or `false` to disable.
   * @defaultValue `{ maxFailures: 10, windowMs: 900000, blockMs: 900000 }`
   */
  bruteForce?: Partial<FailurePolicy> | false;
  /** Server-side secret: digests become HMAC-SHA-256. Must match `KeyManager`'s. */
  pepper?: Pepper;
  /** Lookup cache, or `false` to hit the store on every request. @defaultValue `{ max: 10000, ttlMs: 30000, negativeTtlMs: 5000 }` */
  cache?: CacheOptions | false;
  /** @defaultValue `Date.now` */
  clock?: Clock;
  /** @defaultValue `'problem'` */
  errorFormat?: ErrorFormat;
  /** Base URI of problem `type`s. @defaultValue `'https://keyward.dev/errors/'` */
  typeBase?: string;
  /** Receives `auth.*`, `ip.blocked` and `store.*` events. */
  onEvent?: EventListener;
  /**
   * What to do when the counter store fails during the brute-force check: `'fail-closed'`
   * answers 503 `store_unavailable`; `'fail-open'` skips brute-force protection for that
   * request. A failing key store is always fail-closed (a key cannot be verified without it).
   * @defaultValue `'fail-closed'`
   */
  onStoreError?: 'fail-closed' | 'fail-open';
  /** Deadline of each store call. @defaultValue 2000 */
  timeoutMs?: number;
  /** Least time between two last-used updates of one key; `Infinity` disables them. @defaultValue 60000 */
  touchIntervalMs?: number;
  /** `realm` of `WWW-Authenticate`. @defaultValue `'api'` */
  realm?: string;
}

/** The resolved configuration of one `apiKeyAuth` instance. */
export interface AuthConfig {
  environments: ReadonlySet<Environment> | undefined;
  prefix: string;
  readers: ReturnType<typeof compileSources>;
  counters: CounterStore;
  bruteForce: FailurePolicy | false;
  pepper: Pepper | undefined;
  cache: Required<CacheOptions> | false;
  clock: Clock;
  errorFormat: ErrorFormat | undefined;
  typeBase: string | undefined;
  onEvent: EventListener | undefined;
  onStoreError: 'fail-closed' | 'fail-open';
  timeoutMs: number;
  touchIntervalMs: number;
  realm: string;
}

const KNOWN: (keyof ApiKeyAuthOptions)[] = [
  'environment',
  'prefix',
  'sources',
  'counters',
  'bruteForce',
  'pepper',
  'cache',
  'clock',
  'errorFormat',
  'typeBase',
  'onEvent',
  'onStoreError',
  'timeoutMs',
  'touchIntervalMs',
  'realm',
];
const W = 'apiKeyAuth';
const MINUTES_15 = 15 * 60 * 1000;

function parseEnvironments(value: unknown): ReadonlySet<Environment> | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  for (const env of list) {
    if (!(ENVIRONMENTS as readonly unknown[]).includes(env)) {
      throw new TypeError(
        `${W}: received an unsupported \`environment\`, ${JSON.stringify(env)}. Use ${ENVIRONMENTS.map((e) => `'${e}'`).join(', ')}.`,
      );
    }
  }
  return new Set(list as Environment[]);
}

function parseBruteForce(value: unknown): FailurePolicy | false {
  if (value === false) return false;
  const given = checkOptions<Partial<FailurePolicy>>(`${W} bruteForce`, value, [
    'maxFailures',
    'windowMs',
    'blockMs',
  ]);
  return {
    maxFailures: Math.floor(positiveNumber(W, 'bruteForce.maxFailures', given.maxFailures ?? 10)),
    windowMs: positiveNumber(W, 'bruteForce.windowMs', given.windowMs ?? MINUTES_15),
    blockMs: positiveNumber(W, 'bruteForce.blockMs', given.blockMs ?? MINUTES_15),
  };
}

function parseCache(value: unknown): Required<CacheOptions> | false {
  if (value === false) return false;
  const given = checkOptions<CacheOptions>(`${W} cache`, value, ['max', 'ttlMs', 'negativeTtlMs']);
  return {
    max: Math.floor(positiveNumber(W, 'cache.max', given.max ?? 10_000)),
    ttlMs: positiveNumber(W, 'cache.ttlMs', given.ttlMs ?? 30_000),
    negativeTtlMs: positiveNumber(W, 'cache.negativeTtlMs', given.negativeTtlMs ?? 5_000),
  };
}

/** Resolves and validates `apiKeyAuth` options once, at construction. Never mutates `options`. */
export function parseAuthOptions(options: unknown): AuthConfig {
  const o = checkOptions<ApiKeyAuthOptions>(W, options, KNOWN);
  if (
    o.onStoreError !== undefined &&
    o.onStoreError !== 'fail-closed' &&
    o.onStoreError !== 'fail-open'
  ) {
    throw new TypeError(
      `${W}: \`onStoreError\` must be 'fail-closed' or 'fail-open', received ${JSON.stringify(o.onStoreError)}.`,
    );
  }
  const counters = o.counters ?? new MemoryCounterStore();
  if (typeof counters.blockedUntil !== 'function' || typeof counters.recordFailure !== 'function') {
    throw new TypeError(
      `${W}: \`counters\` must be a CounterStore (e.g. new MemoryCounterStore()).`,
    );
  }
  return {
    environments: parseEnvironments(o.environment),
    prefix: validatePrefix(W, o.prefix ?? DEFAULT_KEY_PREFIX),
    readers: compileSources(W, o.sources ?? ['x-api-key', 'bearer']),
    counters,
    bruteForce: parseBruteForce(o.bruteForce),
    pepper: validatePepper(W, o.pepper),
    cache: parseCache(o.cache),
    clock: validateClock(W, o.clock),
    errorFormat: validateErrorFormat(W, o.errorFormat),
    typeBase: o.typeBase,
    onEvent: validateOnEvent(W, o.onEvent),
    onStoreError: o.onStoreError ?? 'fail-closed',
    timeoutMs: positiveNumber(W, 'timeoutMs', o.timeoutMs ?? 2000, true),
    touchIntervalMs: positiveNumber(W, 'touchIntervalMs', o.touchIntervalMs ?? 60_000, true),
    realm: typeof o.realm === 'string' ? o.realm.replace(/["\\]/g, '') : 'api',
  };
}
