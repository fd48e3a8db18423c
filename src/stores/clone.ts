import type { ApiKeyRecord, Team } from '../types.js';

const date = (d: Date | null | undefined): Date | null | undefined =>
  d instanceof Date ? new Date(d.getTime()) : d;

/** A deep copy of a key record, so callers can never mutate a store's state. */
export function cloneRecord(r: ApiKeyRecord): ApiKeyRecord {
  return {
    ...r,
    scopes: [...r.scopes],
    validUntil: date(r.validUntil),
    blockedUntil: date(r.blockedUntil),
    createdAt: new Date(r.createdAt.getTime()),
    lastUsedAt: date(r.lastUsedAt),
    limits: r.limits ? { ...r.limits } : r.limits,
    previous: r.previous
      ? { hash: r.previous.hash, expiresAt: new Date(r.previous.expiresAt.getTime()) }
      : r.previous,
    metadata: r.metadata ? structuredClone(r.metadata) : r.metadata,
  };
}

/** A deep copy of a team. */
export function cloneTeam(t: Team): Team {
  return {
    ...t,
    features: [...t.features],
    subscription: t.subscription
      ? { status: t.subscription.status, expiresAt: date(t.subscription.expiresAt) }
      : null,
    limits: t.limits ? { ...t.limits } : t.limits,
  };
}
