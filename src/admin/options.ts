import type { IncomingMessage } from 'node:http';
import { validateErrorFormat, type ErrorFormat } from '../errors/render.js';
import { validateOnEvent, type EventListener } from '../events.js';
import type { Pepper } from '../keys/digest.js';
import type { PlanLimits } from '../rate-limit/options.js';
import type { CounterStore } from '../stores/counter-store.js';
import type { KeyAdminStore } from '../stores/key-store.js';
import type { Clock } from '../types.js';
import { checkOptions, positiveNumber, validateClock } from '../util/options.js';

/**
 * What `authorize` answers: `true` (or `{}`) lets the administrator see every key; `{ teamId }`
 * confines the page to that team's keys; anything falsy denies (403). A throw denies too (401),
 * unless it is a `KeywardError`, which is rendered as it is.
 */
export type AdminAuthorization = boolean | { teamId?: string } | null | undefined;

/** Options of {@link keyAdmin}. */
export interface KeyAdminOptions {
  /** Where keys and teams live; the same store `apiKeyAuth` reads. */
  store: KeyAdminStore;
  /** Read (never consumed) for "usage this month". Without it the page shows no usage. */
  counters?: CounterStore;
  /**
   * Decides who may use the page and the API: required, and failing closed. Runs on every
   * request except the static script and stylesheet.
   */
  authorize: (req: IncomingMessage) => AdminAuthorization | Promise<AdminAuthorization>;
  /** Key prefix; must match `apiKeyAuth`'s. @defaultValue `'kw'` */
  prefix?: string;
  /** Digest pepper; must match `apiKeyAuth`'s. */
  pepper?: Pepper;
  /** @defaultValue `Date.now` */
  clock?: Clock;
  /** Receives the `key.*` events of every change made through the page (never secrets). */
  onEvent?: EventListener;
  /** The `rateLimit` plans, to show a team's effective limits when it has none of its own. */
  plans?: Readonly<Record<string, PlanLimits>>;
  /**
   * Origins besides the request's own host allowed to send mutations (e.g. behind a proxy that
   * rewrites `Host`): `['https://admin.example.com']`.
   */
  trustedOrigins?: readonly string[];
  /** Error rendering, as everywhere in keyward. @defaultValue `'problem'` */
  errorFormat?: ErrorFormat;
  /** Deadline of a counter read, ms; usage shows as unavailable past it. @defaultValue 500 */
  timeoutMs?: number;
  /** Page title. @defaultValue `'API Keys'` */
  title?: string;
}

/** Parsed, validated {@link KeyAdminOptions}. */
export interface AdminConfig {
  store: KeyAdminStore;
  counters: CounterStore | undefined;
  authorize: KeyAdminOptions['authorize'];
  prefix: string | undefined;
  pepper: Pepper | undefined;
  clock: Clock;
  onEvent: EventListener | undefined;
  plans: Readonly<Record<string, PlanLimits>>;
  trustedOrigins: ReadonlySet<string>;
  errorFormat: ErrorFormat | undefined;
  timeoutMs: number;
  title: string;
}

const KNOWN: (keyof KeyAdminOptions)[] = [
  'store',
  'counters',
  'authorize',
  'prefix',
  'pepper',
  'clock',
  'onEvent',
  'plans',
  'trustedOrigins',
  'errorFormat',
  'timeoutMs',
  'title',
];

const EXAMPLE = 'keyAdmin({ store, counters, authorize: (req) => req.user?.isAdmin === true })';

/** Validates options at construction, with messages that say how to fix them. */
export function parseAdminOptions(options: unknown): AdminConfig {
  if (options === undefined)
    throw new TypeError(`keyAdmin: options are required, e.g. ${EXAMPLE}.`);
  const o = checkOptions<KeyAdminOptions>('keyAdmin', options, KNOWN);
  const store = o.store as KeyAdminStore | undefined;
  if (!store || typeof store.listKeys !== 'function' || typeof store.updateKey !== 'function') {
    throw new TypeError(
      `keyAdmin: \`store\` must be a KeyAdminStore (MemoryKeyStore, PostgresKeyStore, …), e.g. ${EXAMPLE}.`,
    );
  }
  if (typeof o.authorize !== 'function') {
    throw new TypeError(
      `keyAdmin: \`authorize(req)\` is required: the page can create and revoke every key, so keyward will not serve it to anyone you have not allowed. ` +
        `Return true for administrators, { teamId } to confine one to a team, false otherwise, e.g. ${EXAMPLE}.`,
    );
  }
  if (o.counters !== undefined && (o.counters === null || typeof o.counters.peek !== 'function')) {
    throw new TypeError(
      'keyAdmin: `counters` must be a CounterStore (MemoryCounterStore, RedisCounterStore, …).',
    );
  }
  const origins = new Set<string>();
  for (const origin of o.trustedOrigins ?? []) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new TypeError(
        `keyAdmin: \`trustedOrigins\` holds ${JSON.stringify(origin)}, which is not an origin like 'https://admin.example.com'.`,
      );
    }
    origins.add(parsed.origin);
  }
  return {
    store,
    counters: o.counters,
    authorize: o.authorize,
    prefix: o.prefix,
    pepper: o.pepper,
    clock: validateClock('keyAdmin', o.clock),
    onEvent: validateOnEvent('keyAdmin', o.onEvent),
    plans: o.plans ?? {},
    trustedOrigins: origins,
    errorFormat: validateErrorFormat('keyAdmin', o.errorFormat),
    timeoutMs:
      o.timeoutMs === undefined ? 500 : positiveNumber('keyAdmin', 'timeoutMs', o.timeoutMs),
    title: typeof o.title === 'string' && o.title.trim() ? o.title.trim() : 'API Keys',
  };
}
