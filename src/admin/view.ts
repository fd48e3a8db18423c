import { keyDisplayStatus } from '../keys/status.js';
import { keyMonthlyCounter, utcMonth } from '../rate-limit/windows.js';
import type { PlanLimits } from '../rate-limit/options.js';
import type { CounterStore } from '../stores/counter-store.js';
import { callStore } from '../stores/store-call.js';
import type {
  ApiKeyRecord,
  Environment,
  KeyDisplayStatus,
  KeyLimits,
  Team,
  TeamLimits,
} from '../types.js';

/** This month's usage of a key, read from the counter store without consuming anything. */
export interface KeyUsage {
  /** The calendar month (UTC), `2026-11`. */
  month: string;
  /** Requests counted this month; `null` when not counted (no monthly limit) or unavailable. */
  used: number | null;
  /** The key's monthly limit, `null` when it has none. */
  limit: number | null;
  /** `false` when the counter store could not be read in time. */
  available: boolean;
}

/**
 * A key as the admin page and its JSON API show it: every field of the record an
 * administrator needs, and never a digest or a secret.
 */
export interface KeyView {
  id: string;
  name: string;
  teamId: string;
  environment: Environment;
  /** Stored display prefix, e.g. `kw_live_4hT9`. */
  prefix: string;
  /** How the key is shown, e.g. `kw_live_4hT9…`. */
  display: string;
  scopes: string[];
  limits: KeyLimits;
  /** Derived (SPEC §2): Active, Inactive (revoked) or Expired. */
  status: KeyDisplayStatus;
  /** True while an administrative block is in force. */
  blocked: boolean;
  blockedUntil: string | null;
  validUntil: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  customerId: string | null;
  /** When a rotation's previous secret stops working, while it still works. */
  previousExpiresAt: string | null;
  usage: KeyUsage | null;
}

/** A team as the admin page shows it, with its effective limits. */
export interface TeamView {
  id: string;
  plan: string | null;
  features: string[];
  subscription: { status: 'active' | 'canceled'; expiresAt: string | null } | null;
  /** The team's own limits. */
  limits: TeamLimits;
  /** What `rateLimit` applies: own limits, else the plan's. */
  effectiveLimits: {
    perMinute: number | null;
    monthly: number | null;
    source: 'team' | 'plan' | 'none';
  };
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** The public view of a key record. */
export function keyView(record: ApiKeyRecord, now: number, usage: KeyUsage | null): KeyView {
  const blocked = !!record.blockedUntil && record.blockedUntil.getTime() > now;
  const rotating = !!record.previous && record.previous.expiresAt.getTime() > now;
  return {
    id: record.id,
    name: record.name,
    teamId: record.teamId,
    environment: record.environment,
    prefix: record.prefix,
    display: `${record.prefix}…`,
    scopes: [...record.scopes],
    limits: { ...(record.limits ?? {}) },
    status: keyDisplayStatus(record, now),
    blocked,
    blockedUntil: blocked ? iso(record.blockedUntil) : null,
    validUntil: iso(record.validUntil),
    createdAt: record.createdAt.toISOString(),
    lastUsedAt: iso(record.lastUsedAt),
    lastUsedIp: record.lastUsedIp ?? null,
    customerId: record.customerId ?? null,
    previousExpiresAt: rotating ? iso(record.previous?.expiresAt) : null,
    usage,
  };
}

/** The public view of a team. */
export function teamView(team: Team, plans: Readonly<Record<string, PlanLimits>>): TeamView {
  const plan = team.plan === undefined ? undefined : plans[team.plan];
  const own = team.limits ?? {};
  const hasOwn = own.perMinute !== undefined || own.monthly !== undefined;
  const pick = (value: number | undefined) =>
    value === undefined || value === Infinity ? null : value;
  return {
    id: team.id,
    plan: team.plan ?? null,
    features: [...team.features],
    subscription: team.subscription
      ? { status: team.subscription.status, expiresAt: iso(team.subscription.expiresAt) }
      : null,
    limits: { ...own },
    effectiveLimits: {
      perMinute: pick(own.perMinute ?? plan?.perMinute),
      monthly: pick(own.monthly ?? plan?.monthly),
      source: hasOwn ? 'team' : plan ? 'plan' : 'none',
    },
  };
}

/**
 * This month's usage of each key with a monthly limit (the counter `rateLimit` keeps), read
 * with `peek`: one call per team, so a clustered store answers from one node. A failing or
 * slow store makes usage `available: false`; it never fails the page.
 */
export async function monthlyUsage(
  counters: CounterStore | undefined,
  records: readonly ApiKeyRecord[],
  now: number,
  timeoutMs: number,
): Promise<Map<string, KeyUsage>> {
  const out = new Map<string, KeyUsage>();
  if (!counters) return out;
  const month = utcMonth(now);
  const byTeam = new Map<string, ApiKeyRecord[]>();
  for (const record of records) {
    const limit = record.limits?.monthly;
    if (limit === undefined || limit === Infinity) {
      out.set(record.id, { month: month.id, used: null, limit: null, available: true });
      continue;
    }
    const list = byTeam.get(record.teamId) ?? [];
    list.push(record);
    byTeam.set(record.teamId, list);
  }
  await Promise.all(
    [...byTeam].map(async ([teamId, list]) => {
      const specs = list.map((r) => ({
        kind: 'fixed' as const,
        key: keyMonthlyCounter(r.id, now),
        limit: r.limits?.monthly as number,
        resetAt: month.end,
      }));
      try {
        const results = await callStore('peek', timeoutMs, () =>
          counters.peek(specs, now, { scope: teamId }),
        );
        list.forEach((r, i) => {
          out.set(r.id, {
            month: month.id,
            used: results[i]?.used ?? 0,
            limit: specs[i]?.limit ?? null,
            available: true,
          });
        });
      } catch {
        for (const r of list)
          out.set(r.id, {
            month: month.id,
            used: null,
            limit: r.limits?.monthly ?? null,
            available: false,
          });
      }
    }),
  );
  return out;
}
