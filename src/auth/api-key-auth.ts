import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError } from '../errors/render.js';
import { emitter, type KeywardEvent } from '../events.js';
import { clientIp, ipBucket } from '../http/client-ip.js';
import { peekRequestId, requestState } from '../http/request-state.js';
import { runMiddleware } from '../http/run-middleware.js';
import { digestKey } from '../keys/digest.js';
import { parseKey } from '../keys/format.js';
import { onKeyChange } from '../stores/key-changes.js';
import type { KeyStore } from '../stores/key-store.js';
import { MemoryCounterStore, memoryCounters } from '../stores/memory-counter-store.js';
import { MemoryKeyStore } from '../stores/memory-key-store.js';
import { StoreHealth, callStore, describeStoreError } from '../stores/store-call.js';
import type {
  ApiKeyContext,
  ApiKeyRecord,
  Environment,
  KeywardRequest,
  Middleware,
  NextFunction,
  Team,
} from '../types.js';
import { lastUsedTracker } from './last-used.js';
import { LookupCache } from './lookup-cache.js';
import { parseAuthOptions, type ApiKeyAuthOptions } from './options.js';
import { extractKey } from './sources.js';
import { checkKey, checkTeam, type Refusal } from './verify.js';

/** Codes that count as a failed attempt for brute-force protection (rows 4–5). */
const COUNTS_AS_FAILURE = new Set(['invalid_api_key', 'environment_mismatch']);

const FAIL_OPEN_SKIP = Symbol('skip');
/** What the brute-force check says: the block's end, none, or skipped (fail-open). */
type Block = number | null | typeof FAIL_OPEN_SKIP;

/** The brute-force counter of the request's address (IPv6 by /64). */
function ipKeyOf(req: KeywardRequest): string {
  return `bf:${ipBucket(clientIp(req))}`;
}

/** A store call failed; carries which store and operation so the policy and event can name them. */
class StoreFailure extends Error {
  constructor(
    readonly store: 'keys' | 'counters',
    readonly operation: string,
    readonly error: unknown,
  ) {
    super(`${store}.${operation} failed`);
    this.name = 'StoreFailure';
  }
}

/**
 * Authenticates requests by API key and runs checks 2–9 of the SPEC table: brute-force IP
 * block, missing / malformed / unknown / revoked key, environment, administrative block,
 * expiry, team subscription. On success sets `req.apiKey` and calls `next()`; otherwise
 * answers the error itself.
 *
 * @example
 * ```ts
 * const keys = new MemoryKeyStore();
 * app.use('/v1', apiKeyAuth(keys, { environment: 'production' }));
 * app.get('/v1/me', (req, res) => res.json({ team: req.apiKey?.teamId }));
 * ```
 */
export function apiKeyAuth(store: KeyStore, options?: ApiKeyAuthOptions): Middleware {
  if (!store || typeof store.findByHash !== 'function' || typeof store.findTeam !== 'function') {
    throw new TypeError(
      'apiKeyAuth: the first argument must be a KeyStore (e.g. new MemoryKeyStore()), received ' +
        typeof store +
        '.',
    );
  }
  const config = parseAuthOptions(options);
  const { clock, counters, bruteForce, timeoutMs } = config;
  const emit = emitter(config.onEvent);
  const listening = config.onEvent !== undefined;
  const contexts: ContextMemo = new WeakMap();
  const render = { errorFormat: config.errorFormat, typeBase: config.typeBase };
  const cache = config.cache ? new LookupCache(config.cache, clock) : undefined;
  if (cache) onKeyChange(store, (change) => cache.invalidate(change));
  const health = {
    keys: new StoreHealth(() =>
      emit({ type: 'store.recovered', at: new Date(clock()), store: 'keys' }),
    ),
    counters: new StoreHealth(() =>
      emit({ type: 'store.recovered', at: new Date(clock()), store: 'counters' }),
    ),
  };
  const touch = lastUsedTracker(store, config.touchIntervalMs, clock, (err) =>
    emit({
      type: 'store.error',
      at: new Date(clock()),
      store: 'keys',
      operation: 'touch',
      policy: 'fail-open',
      error: describeStoreError(err),
    }),
  );
  const challenge = `Bearer realm="${config.realm}"`;

  const keysInProcess = store instanceof MemoryKeyStore;
  const countersInProcess = counters instanceof MemoryCounterStore;
  function fromKeys<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return callStore(operation, timeoutMs, call, keysInProcess).then(
      (value) => (health.keys.succeeded(), value),
      (err: unknown) => Promise.reject(new StoreFailure('keys', operation, err)),
    );
  }
  function fromCounters<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return callStore(operation, timeoutMs, call, countersInProcess).then(
      (value) => (health.counters.succeeded(), value),
      (err: unknown) => Promise.reject(new StoreFailure('counters', operation, err)),
    );
  }

  // Callers check the lookup cache themselves and await only on a miss: awaiting a cached
  // value would still cost a microtask turn per lookup on the hot path.
  async function fetchRecord(digest: string): Promise<ApiKeyRecord | null> {
    const record = await fromKeys('findByHash', () => store.findByHash(digest));
    cache?.setKey(digest, record);
    return record;
  }

  async function fetchTeam(teamId: string): Promise<Team | null> {
    const team = await fromKeys('findTeam', () => store.findTeam(teamId));
    cache?.setTeam(teamId, team);
    return team;
  }

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    refusal: Refusal,
    headers?: Record<string, string>,
  ): void {
    const status = new KeywardError(refusal.code).status;
    const challengeHeader: Record<string, string> =
      status === 401
        ? {
            'WWW-Authenticate':
              refusal.code === 'missing_token' ? challenge : `${challenge}, error="invalid_token"`,
          }
        : {};
    sendError(
      req,
      res,
      new KeywardError(refusal.code, {
        ...refusal.extensions,
        headers: { ...challengeHeader, ...headers },
      }),
      render,
    );
  }

  function fail(
    req: KeywardRequest,
    res: ServerResponse,
    now: number,
    refusal: Refusal,
    record?: ApiKeyRecord,
    headers?: Record<string, string>,
  ): void {
    if (listening) {
      const requestId = peekRequestId(req) ?? requestState(req, res).requestId;
      emit({
        type: 'auth.failed',
        at: new Date(now),
        requestId,
        code: refusal.code,
        ip: clientIp(req),
        ...(record ? { keyId: record.id, teamId: record.teamId } : {}),
      });
    }
    refuse(req, res, refusal, headers);
  }

  // An exact MemoryCounterStore (not a subclass, nothing patched) is read synchronously.
  const memoryBlocks =
    countersInProcess &&
    Object.getPrototypeOf(counters) === MemoryCounterStore.prototype &&
    !Object.hasOwn(counters, 'blockedUntil')
      ? counters
      : undefined;

  /** The brute-force block in force for the request's address: synchronous on the in-process store. */
  function blockOf(req: KeywardRequest, now: number): Block | Promise<Block> {
    if (!memoryBlocks) return ipBlockedUntil(ipKeyOf(req), now);
    // No block recorded at all: the client's address need not even be worked out.
    const until = memoryCounters.mayHaveBlocks(memoryBlocks)
      ? memoryCounters.blockedUntil(memoryBlocks, ipKeyOf(req), now)
      : null;
    health.counters.succeeded();
    return until;
  }

  /**
   * Checks 2–9 for one request. Runs synchronously — no promise, no microtask — when the
   * brute-force check is in-process and the key and its team are in the lookup cache, the
   * steady state of a busy API; it awaits only what a store must answer.
   */
  function authenticate(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
  ): void | Promise<void> {
    requestState(req, res, config.errorFormat);
    const now = clock();
    if (!bruteForce) return afterBlock(req, res, next, now, null);
    const block = blockOf(req, now);
    return block instanceof Promise
      ? block.then((until) => afterBlock(req, res, next, now, until))
      : afterBlock(req, res, next, now, block);
  }

  function afterBlock(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
    now: number,
    until: Block,
  ): void | Promise<void> {
    // FAIL_OPEN_SKIP (fail-open): continue without brute-force protection for this request.
    if (until !== FAIL_OPEN_SKIP && until !== null && until > now) {
      return fail(req, res, now, { code: 'ip_blocked' }, undefined, {
        'Retry-After': String(Math.max(1, Math.ceil((until - now) / 1000))),
      });
    }
    const extracted = extractKey(req, config.readers);
    if (extracted.kind === 'none') return fail(req, res, now, { code: 'missing_token' });
    const parsed = extracted.kind === 'key' ? parseKey(extracted.key, config.prefix) : null;
    if (extracted.kind === 'invalid' || !parsed)
      return refuseKey(req, res, now, { code: 'invalid_api_key' }, null);
    const digest = digestKey(extracted.key, config.pepper);
    const cached = cache?.getKey(digest);
    if (cached !== undefined)
      return afterRecord(req, res, next, now, parsed.environment, digest, cached, true);
    return fetchRecord(digest).then((record) =>
      afterRecord(req, res, next, now, parsed.environment, digest, record, false),
    );
  }

  function afterRecord(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
    now: number,
    environment: Environment,
    digest: string,
    record: ApiKeyRecord | null,
    recordCached: boolean,
  ): void | Promise<void> {
    if (!record) return refuseKey(req, res, now, { code: 'invalid_api_key' }, null);
    const refusal = checkKey(record, digest, environment, config.environments, now);
    if (refusal) return refuseKey(req, res, now, refusal, record);
    const cachedTeam = cache?.getTeam(record.teamId);
    if (cachedTeam !== undefined)
      return admit(req, res, next, now, record, recordCached, cachedTeam);
    return fetchTeam(record.teamId).then((team) =>
      admit(req, res, next, now, record, recordCached, team),
    );
  }

  /** A refused key: failures that count toward a brute-force block are recorded first. */
  function refuseKey(
    req: KeywardRequest,
    res: ServerResponse,
    now: number,
    refusal: Refusal,
    record: ApiKeyRecord | null,
  ): void | Promise<void> {
    if (COUNTS_AS_FAILURE.has(refusal.code)) {
      const shown = refusal.code === 'invalid_api_key' ? undefined : (record ?? undefined);
      if (bruteForce) return countFailure(req, now).then(() => fail(req, res, now, refusal, shown));
      return fail(req, res, now, refusal, shown);
    }
    return fail(req, res, now, refusal, record ?? undefined);
  }

  function admit(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
    now: number,
    record: ApiKeyRecord,
    recordCached: boolean,
    team: Team | null,
  ): void {
    const teamRefusal = checkTeam(team, now);
    if (teamRefusal || !team)
      return fail(req, res, now, teamRefusal ?? { code: 'subscription_required' }, record);
    // Memoized only for cached records: store results are fresh objects that would never hit.
    (req as { apiKey?: ApiKeyContext }).apiKey = recordCached
      ? contextOf(contexts, record, team)
      : buildContext(record, team);
    touch?.(record.id, req);
    // Without a listener, skip building the event (an object and a Date per request).
    if (listening) {
      const requestId = peekRequestId(req) ?? requestState(req, res).requestId;
      emit({
        type: 'auth.succeeded',
        at: new Date(now),
        requestId,
        keyId: record.id,
        teamId: record.teamId,
        environment: record.environment,
        ip: clientIp(req),
      });
    }
    next();
  }

  /**
   * The brute-force block check, on every request: `guarded(fromCounters(…))` inlined, so it
   * costs one promise and one closure instead of four promises and five closures.
   */
  async function ipBlockedUntil(ipKey: string, now: number): Promise<Block> {
    let until: number | null;
    try {
      until = await callStore(
        'blockedUntil',
        timeoutMs,
        () => counters.blockedUntil(ipKey, now),
        countersInProcess,
      );
    } catch (err) {
      const failure = new StoreFailure('counters', 'blockedUntil', err);
      if (config.onStoreError !== 'fail-open') throw failure;
      reportStoreFailure(failure, 'fail-open');
      return FAIL_OPEN_SKIP;
    }
    health.counters.succeeded();
    return until;
  }
  async function guarded<T>(call: () => Promise<T>): Promise<T | typeof FAIL_OPEN_SKIP> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof StoreFailure && config.onStoreError === 'fail-open') {
        reportStoreFailure(err, 'fail-open');
        return FAIL_OPEN_SKIP;
      }
      throw err;
    }
  }

  async function countFailure(req: KeywardRequest, now: number): Promise<void> {
    if (!bruteForce) return;
    const ip = clientIp(req);
    const ipKey = `bf:${ipBucket(ip)}`;
    const result = await guarded(() =>
      fromCounters('recordFailure', () => counters.recordFailure(ipKey, bruteForce, now)),
    );
    if (result !== FAIL_OPEN_SKIP && result.blockedNow && result.blockedUntil !== null) {
      emit({
        type: 'ip.blocked',
        at: new Date(now),
        ip,
        until: new Date(result.blockedUntil),
        failures: result.failures,
      });
    }
  }

  function reportStoreFailure(failure: StoreFailure, policy: 'fail-closed' | 'fail-open'): void {
    health[failure.store].failed();
    const event: KeywardEvent = {
      type: 'store.error',
      at: new Date(clock()),
      store: failure.store,
      operation: failure.operation,
      policy,
      error: describeStoreError(failure.error),
    };
    emit(event);
  }

  function failed(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
    err: unknown,
  ): void {
    if (err instanceof StoreFailure) {
      reportStoreFailure(err, 'fail-closed');
      sendError(
        req,
        res,
        new KeywardError('store_unavailable', { headers: { 'Retry-After': '5' } }),
        render,
      );
      return;
    }
    next(err);
  }

  return function apiKeyAuthMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ): void {
    runMiddleware(authenticate, failed, req, res, next);
  };
}

/**
 * Frozen contexts by the record object they were built from: a lookup-cache hit returns the
 * same record and team objects, so the context (immutable) is built once per cached pair
 * instead of once per request.
 */
type ContextMemo = WeakMap<ApiKeyRecord, { team: Team; context: ApiKeyContext }>;

function contextOf(contexts: ContextMemo, record: ApiKeyRecord, team: Team): ApiKeyContext {
  const memo = contexts.get(record);
  if (memo && memo.team === team) return memo.context;
  const context = buildContext(record, team);
  contexts.set(record, { team, context });
  return context;
}

function buildContext(record: ApiKeyRecord, team: Team): ApiKeyContext {
  return Object.freeze({
    keyId: record.id,
    teamId: record.teamId,
    name: record.name,
    environment: record.environment,
    scopes: Object.freeze([...record.scopes]),
    customerId: record.customerId ?? null,
    features: Object.freeze([...team.features]),
    plan: team.plan ?? null,
    limits: Object.freeze({ ...record.limits }),
    teamLimits: Object.freeze({ ...team.limits }),
  });
}
