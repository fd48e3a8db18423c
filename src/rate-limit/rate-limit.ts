import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError } from '../errors/render.js';
import { emitter } from '../events.js';
import { clientIp } from '../http/client-ip.js';
import { peekRequestId, requestState } from '../http/request-state.js';
import { runMiddleware } from '../http/run-middleware.js';
import type { ConsumeResult, CounterSpec, CounterStore } from '../stores/counter-store.js';
import { MemoryCounterStore, memoryCounters } from '../stores/memory-counter-store.js';
import { StoreHealth, callStore, describeStoreError } from '../stores/store-call.js';
import type { ApiKeyContext, KeywardRequest, Middleware, NextFunction } from '../types.js';
import { secondsUntil, setRateLimitHeaders, type HeaderMemo } from './headers.js';
import { parseRateLimitOptions, type RateLimitOptions } from './options.js';
import { anonymousPolicy, keyPolicies, type Policy } from './policies.js';
import { utcMonth } from './windows.js';

/** The policies of one key for one month, and what is derived from them once. */
interface KeyPolicies {
  policies: Policy[];
  specs: CounterSpec[];
  /** The month they are valid in, [start, end) in ms. */
  start: number;
  end: number;
  header: HeaderMemo;
}

/** A failure inside rateLimit goes to the host's error handling, as Express expects. */
function passOn(
  _req: IncomingMessage,
  _res: ServerResponse,
  next: NextFunction,
  err: unknown,
): void {
  next(err);
}

/**
 * Enforces the limits of SPEC §6 for requests authenticated by `apiKeyAuth`: the key's exact
 * sliding per-minute limit, its calendar-month (UTC) limit and distinct-IP limit, and the
 * team's per-minute / monthly limits (or its plan's). One atomic, all-or-nothing
 * `counters.consume` per request: a refused request consumes nothing anywhere.
 * Answers 429 `rate_limit_exceeded` with `limit`, `retryAfter`, `violated-policies` and
 * `Retry-After`; sets `X-RateLimit-*` and IETF `RateLimit-Policy` / `RateLimit` headers.
 *
 * @example
 * ```ts
 * app.use('/v1', apiKeyAuth(keys, { counters }), rateLimit(counters, {
 *   plans: { free: { perMinute: 100 }, pro: { perMinute: 2000 }, enterprise: { perMinute: Infinity } },
 * }));
 * ```
 */
export function rateLimit(counters: CounterStore, options?: RateLimitOptions): Middleware {
  if (!counters || typeof counters.consume !== 'function') {
    throw new TypeError(
      'rateLimit: the first argument must be a CounterStore (e.g. new MemoryCounterStore()).',
    );
  }
  const config = parseRateLimitOptions(options);
  const { clock } = config;
  const emit = emitter(config.onEvent);
  const render = { errorFormat: config.errorFormat, typeBase: config.typeBase };
  // Admits by the same limits, per process, while the shared store is down (fail-open).
  const insurance = new MemoryCounterStore();
  const inProcess = counters instanceof MemoryCounterStore;
  const health = new StoreHealth(() =>
    emit({ type: 'store.recovered', at: new Date(clock()), store: 'counters' }),
  );

  // An exact MemoryCounterStore (not a subclass, nothing patched) is called synchronously.
  const memoryStore =
    inProcess &&
    Object.getPrototypeOf(counters) === MemoryCounterStore.prototype &&
    !Object.hasOwn(counters, 'consume')
      ? counters
      : undefined;
  /**
   * A key's policies for the current month, by its (frozen, cache-memoized) context: counter
   * keys and header items are built once a month per key instead of once per request.
   */
  const memo = new WeakMap<ApiKeyContext, KeyPolicies>();

  function policiesOf(req: KeywardRequest, apiKey: ApiKeyContext, now: number): KeyPolicies {
    const known = memo.get(apiKey);
    if (known && now >= known.start && now < known.end) return known;
    const policies = keyPolicies(req, apiKey, config.plans, now);
    const month = utcMonth(now);
    const entry: KeyPolicies = {
      policies,
      specs: policies.map((p) => p.spec),
      start: month.start,
      end: month.end,
      header: {},
    };
    // The distinct-IP limit names the client's address: those policies are per request.
    if (!policies.some((p) => p.spec.kind === 'distinct')) memo.set(apiKey, entry);
    return entry;
  }

  async function consume(
    specs: readonly CounterSpec[],
    now: number,
    scope: string,
  ): Promise<ConsumeResult | null> {
    try {
      const result = await callStore(
        'consume',
        config.timeoutMs,
        () => counters.consume(specs, now, { scope }),
        inProcess,
      );
      health.succeeded();
      return result;
    } catch (err) {
      return consumeFailed(specs, now, err);
    }
  }

  function consumeFailed(
    specs: readonly CounterSpec[],
    now: number,
    err: unknown,
  ): Promise<ConsumeResult | null> {
    health.failed();
    emit({
      type: 'store.error',
      at: new Date(clock()),
      store: 'counters',
      operation: 'consume',
      policy: config.onStoreError,
      error: describeStoreError(err),
    });
    if (config.onStoreError === 'fail-closed') return Promise.resolve(null);
    return insurance.consume(specs, now);
  }

  /** One request: synchronous on the in-process store, else one awaited store call. */
  function limit(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
  ): void | Promise<void> {
    requestState(req, res, config.errorFormat);
    const now = clock();
    const apiKey = req.apiKey;
    let entry: KeyPolicies;
    if (apiKey) entry = policiesOf(req, apiKey, now);
    else if (config.anonymousPerMinute !== undefined) {
      const policy = anonymousPolicy(req, config.anonymousPerMinute);
      entry = { policies: [policy], specs: [policy.spec], start: 0, end: 0, header: {} };
    } else return next();
    if (entry.policies.length === 0) return next();

    if (memoryStore) {
      let result: ConsumeResult;
      try {
        result = memoryCounters.consume(memoryStore, entry.specs, now);
      } catch (err) {
        return consumeFailed(entry.specs, now, err).then((r) =>
          decide(req, res, next, now, entry, r),
        );
      }
      health.succeeded();
      return decide(req, res, next, now, entry, result);
    }
    return consume(entry.specs, now, apiKey?.teamId ?? 'anonymous').then((r) =>
      decide(req, res, next, now, entry, r),
    );
  }

  function decide(
    req: KeywardRequest,
    res: ServerResponse,
    next: NextFunction,
    now: number,
    entry: KeyPolicies,
    result: ConsumeResult | null,
  ): void {
    const { policies } = entry;
    if (!result) {
      return sendError(
        req,
        res,
        new KeywardError('store_unavailable', { headers: { 'Retry-After': '5' } }),
        render,
      );
    }
    if (!res.headersSent)
      setRateLimitHeaders(
        res,
        policies,
        result.counters,
        now,
        config.legacy,
        config.ietf,
        entry.header,
      );
    if (result.allowed) return next();

    const apiKey = req.apiKey;
    const requestId = peekRequestId(req) ?? requestState(req, res).requestId;
    const exhausted = policies.filter((_, i) => result.counters[i]?.allowed === false);
    const retryAfter = Math.max(
      1,
      ...exhausted.map((p) =>
        secondsUntil(result.counters[policies.indexOf(p)]?.resetAt ?? now, now),
      ),
    );
    const first = exhausted[0]?.name ?? policies[0]?.name ?? 'per_minute';
    emit({
      type: 'rate.limited',
      at: new Date(now),
      requestId,
      ip: clientIp(req),
      limit: first,
      retryAfter,
      ...(apiKey ? { keyId: apiKey.keyId, teamId: apiKey.teamId } : {}),
    });
    sendError(
      req,
      res,
      new KeywardError('rate_limit_exceeded', {
        detail: `Rate limit exceeded (${first}). Retry in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
        limit: first,
        retryAfter,
        'violated-policies': exhausted.map((p) => p.name),
        headers: { 'Retry-After': String(retryAfter) },
      }),
      render,
    );
  }

  return function rateLimitMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ): void {
    runMiddleware(limit, passOn, req, res, next);
  };
}
