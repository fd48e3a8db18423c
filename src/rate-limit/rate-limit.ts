import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError } from '../errors/render.js';
import { emitter } from '../events.js';
import { clientIp } from '../http/client-ip.js';
import { requestState } from '../http/request-state.js';
import type { ConsumeResult, CounterStore } from '../stores/counter-store.js';
import { MemoryCounterStore } from '../stores/memory-counter-store.js';
import { StoreHealth, callStore, describeStoreError } from '../stores/store-call.js';
import type { KeywardRequest, Middleware, NextFunction } from '../types.js';
import { secondsUntil, setRateLimitHeaders } from './headers.js';
import { parseRateLimitOptions, type RateLimitOptions } from './options.js';
import { anonymousPolicy, keyPolicies, type Policy } from './policies.js';

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
    throw new TypeError('rateLimit: the first argument must be a CounterStore (e.g. new MemoryCounterStore()).');
  }
  const config = parseRateLimitOptions(options);
  const { clock } = config;
  const emit = emitter(config.onEvent);
  const render = { errorFormat: config.errorFormat, typeBase: config.typeBase };
  // Admits by the same limits, per process, while the shared store is down (fail-open).
  const insurance = new MemoryCounterStore();
  const inProcess = counters instanceof MemoryCounterStore;
  const health = new StoreHealth(() => emit({ type: 'store.recovered', at: new Date(clock()), store: 'counters' }));

  async function consume(policies: readonly Policy[], now: number, scope: string): Promise<ConsumeResult | null> {
    const specs = policies.map((p) => p.spec);
    try {
      const result = await callStore('consume', config.timeoutMs, () => counters.consume(specs, now, { scope }), inProcess);
      health.succeeded();
      return result;
    } catch (err) {
      health.failed();
      emit({ type: 'store.error', at: new Date(clock()), store: 'counters', operation: 'consume', policy: config.onStoreError, error: describeStoreError(err) });
      if (config.onStoreError === 'fail-closed') return null;
      return insurance.consume(specs, now);
    }
  }

  async function limit(req: KeywardRequest, res: ServerResponse, next: NextFunction): Promise<void> {
    const { requestId } = requestState(req, res, config.errorFormat);
    const now = clock();
    const apiKey = req.apiKey;
    let policies: Policy[];
    if (apiKey) policies = keyPolicies(req, apiKey, config.plans, now);
    else if (config.anonymousPerMinute !== undefined) policies = [anonymousPolicy(req, config.anonymousPerMinute)];
    else return next();
    if (policies.length === 0) return next();

    const result = await consume(policies, now, apiKey?.teamId ?? 'anonymous');
    if (!result) {
      return sendError(req, res, new KeywardError('store_unavailable', { headers: { 'Retry-After': '5' } }), render);
    }
    if (!res.headersSent) setRateLimitHeaders(res, policies, result.counters, now, config.legacy, config.ietf);
    if (result.allowed) return next();

    const exhausted = policies.filter((_, i) => result.counters[i]?.allowed === false);
    const retryAfter = Math.max(1, ...exhausted.map((p) => secondsUntil(result.counters[policies.indexOf(p)]?.resetAt ?? now, now)));
    const first = exhausted[0]?.name ?? policies[0]?.name ?? 'per_minute';
    emit({ type: 'rate.limited', at: new Date(now), requestId, ip: clientIp(req), limit: first, retryAfter, ...(apiKey ? { keyId: apiKey.keyId, teamId: apiKey.teamId } : {}) });
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

  return function rateLimitMiddleware(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    limit(req, res, next).catch(next);
  };
}
