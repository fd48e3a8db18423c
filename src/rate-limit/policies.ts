import { clientIp, ipBucket } from '../http/client-ip.js';
import type { CounterSpec } from '../stores/counter-store.js';
import type { ApiKeyContext, KeywardRequest } from '../types.js';
import type { PlanLimits } from './options.js';
import { keyMonthlyCounter, utcMonth } from './windows.js';

/** Policy names, in the order the problem's `limit` reports them. */
export type PolicyName =
  'per_minute' | 'monthly' | 'ips' | 'team_per_minute' | 'team_monthly' | 'anonymous_per_minute';

/** One limit that applies to a request: its counter and how headers describe it. */
export interface Policy {
  name: PolicyName;
  spec: CounterSpec;
  /** Window length for `RateLimit-Policy`'s `w`, in seconds. */
  windowSeconds: number;
  /** Whether the policy appears in rate-limit headers (the distinct-IP limit does not). */
  inHeaders: boolean;
}

const MINUTE = 60_000;

function limited(value: number | undefined): value is number {
  return value !== undefined && value !== Infinity;
}

/** The policies that apply to an authenticated request, in reporting order. */
export function keyPolicies(
  req: KeywardRequest,
  apiKey: ApiKeyContext,
  plans: Readonly<Record<string, PlanLimits>>,
  now: number,
): Policy[] {
  const out: Policy[] = [];
  const month = utcMonth(now);
  const monthSeconds = (month.end - month.start) / 1000;
  const { limits, keyId, teamId } = apiKey;
  const plan = apiKey.plan === null ? undefined : plans[apiKey.plan];
  const teamPerMinute = apiKey.teamLimits.perMinute ?? plan?.perMinute;
  const teamMonthly = apiKey.teamLimits.monthly ?? plan?.monthly;
  if (limited(limits.perMinute)) {
    out.push({
      name: 'per_minute',
      spec: {
        kind: 'sliding',
        key: `rl:key:${keyId}:minute`,
        limit: limits.perMinute,
        windowMs: MINUTE,
      },
      windowSeconds: 60,
      inHeaders: true,
    });
  }
  if (limited(limits.monthly)) {
    out.push({
      name: 'monthly',
      spec: {
        kind: 'fixed',
        key: keyMonthlyCounter(keyId, now),
        limit: limits.monthly,
        resetAt: month.end,
      },
      windowSeconds: monthSeconds,
      inHeaders: true,
    });
  }
  if (limited(limits.ipsPerMonth)) {
    const member = ipBucket(clientIp(req));
    out.push({
      name: 'ips',
      spec: {
        kind: 'distinct',
        key: `rl:key:${keyId}:ips:${month.id}`,
        limit: limits.ipsPerMonth,
        member,
        resetAt: month.end,
      },
      windowSeconds: monthSeconds,
      inHeaders: false,
    });
  }
  if (limited(teamPerMinute)) {
    out.push({
      name: 'team_per_minute',
      spec: {
        kind: 'sliding',
        key: `rl:team:${teamId}:minute`,
        limit: teamPerMinute,
        windowMs: MINUTE,
      },
      windowSeconds: 60,
      inHeaders: true,
    });
  }
  if (limited(teamMonthly)) {
    out.push({
      name: 'team_monthly',
      spec: {
        kind: 'fixed',
        key: `rl:team:${teamId}:month:${month.id}`,
        limit: teamMonthly,
        resetAt: month.end,
      },
      windowSeconds: monthSeconds,
      inHeaders: true,
    });
  }
  return out;
}

/** The per-IP policy for requests no key authenticated. */
export function anonymousPolicy(req: KeywardRequest, perMinute: number): Policy {
  const ip = ipBucket(clientIp(req));
  return {
    name: 'anonymous_per_minute',
    spec: { kind: 'sliding', key: `rl:ip:${ip}:minute`, limit: perMinute, windowMs: MINUTE },
    windowSeconds: 60,
    inHeaders: true,
  };
}
