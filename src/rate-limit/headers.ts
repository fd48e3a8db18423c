import type { ServerResponse } from 'node:http';
import type { CounterResult } from '../stores/counter-store.js';
import type { Policy } from './policies.js';

/** Seconds until `resetAt`, rounded up, never negative. */
export function secondsUntil(resetAt: number, now: number): number {
  return Math.max(0, Math.ceil((resetAt - now) / 1000));
}

/**
 * Sets `X-RateLimit-*` for the tightest limit (fewest remaining; ties: earliest reset) and the
 * draft-ietf-httpapi-ratelimit-headers-10 fields: `RateLimit-Policy: "per_minute";q=100;w=60`
 * and `RateLimit: "per_minute";r=42;t=17`, one item per limit. Policy names are our own
 * tokens, serialised as RFC 8941 strings.
 */
export function setRateLimitHeaders(
  res: ServerResponse,
  policies: readonly Policy[],
  results: readonly CounterResult[],
  now: number,
  legacy: boolean,
  ietf: boolean,
): void {
  let tightest = -1;
  const policyItems: string[] = [];
  const stateItems: string[] = [];
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i] as Policy;
    const result = results[i] as CounterResult;
    if (!policy.inHeaders) continue;
    if (tightest === -1) tightest = i;
    else {
      const best = results[tightest] as CounterResult;
      if (result.remaining < best.remaining || (result.remaining === best.remaining && result.resetAt < best.resetAt)) tightest = i;
    }
    if (ietf) {
      policyItems.push(`"${policy.name}";q=${result.limit};w=${Math.round(policy.windowSeconds)}`);
      stateItems.push(`"${policy.name}";r=${result.remaining};t=${secondsUntil(result.resetAt, now)}`);
    }
  }
  if (tightest === -1) return;
  if (legacy) {
    const r = results[tightest] as CounterResult;
    res.setHeader('X-RateLimit-Limit', String(r.limit));
    res.setHeader('X-RateLimit-Remaining', String(r.remaining));
    res.setHeader('X-RateLimit-Reset', String(Math.ceil(r.resetAt / 1000)));
  }
  if (ietf) {
    res.setHeader('RateLimit-Policy', policyItems.join(', '));
    res.setHeader('RateLimit', stateItems.join(', '));
  }
}
