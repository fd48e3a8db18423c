import type { ServerResponse } from 'node:http';
import type { CounterResult } from '../stores/counter-store.js';
import type { Policy } from './policies.js';

/** Seconds until `resetAt`, rounded up, never negative. */
export function secondsUntil(resetAt: number, now: number): number {
  return Math.max(0, Math.ceil((resetAt - now) / 1000));
}

/**
 * The `RateLimit-Policy` value built for a set of policies, reused while the limits the store
 * reports stay the same: it only changes when a key's limits do.
 */
export interface HeaderMemo {
  limits?: number[];
  policy?: string;
}

function sameLimits(
  limits: readonly number[] | undefined,
  results: readonly CounterResult[],
): boolean {
  if (!limits || limits.length !== results.length) return false;
  for (let i = 0; i < limits.length; i++) if (limits[i] !== results[i]?.limit) return false;
  return true;
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
  memo: HeaderMemo = {},
): void {
  let tightest = -1;
  const knownPolicy = ietf && sameLimits(memo.limits, results) ? memo.policy : undefined;
  const policyItems: string[] = [];
  let state = '';
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i] as Policy;
    const result = results[i] as CounterResult;
    if (!policy.inHeaders) continue;
    if (tightest === -1) tightest = i;
    else {
      const best = results[tightest] as CounterResult;
      if (
        result.remaining < best.remaining ||
        (result.remaining === best.remaining && result.resetAt < best.resetAt)
      )
        tightest = i;
    }
    if (ietf) {
      if (knownPolicy === undefined) {
        policyItems.push(
          `"${policy.name}";q=${result.limit};w=${Math.round(policy.windowSeconds)}`,
        );
      }
      state += `${state === '' ? '' : ', '}"${policy.name}";r=${result.remaining};t=${secondsUntil(result.resetAt, now)}`;
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
    let policyValue = knownPolicy;
    if (policyValue === undefined) {
      policyValue = policyItems.join(', ');
      memo.limits = results.map((r) => r.limit);
      memo.policy = policyValue;
    }
    res.setHeader('RateLimit-Policy', policyValue);
    res.setHeader('RateLimit', state);
  }
}
