import type { ApiKeyRecord, Environment, KeyLimits, Team, TeamLimits } from '../types.js';

/** A row of the keys table as pg returns it. */
export interface KeyRow {
  id: string;
  hash: string;
  prefix: string;
  name: string;
  team_id: string;
  environment: string;
  scopes: string[];
  customer_id: string | null;
  status: string;
  valid_until: Date | string | null;
  blocked_until: Date | string | null;
  limits: unknown;
  created_at: Date | string;
  last_used_at: Date | string | null;
  last_used_ip: string | null;
  previous_hash: string | null;
  previous_expires_at: Date | string | null;
  metadata: unknown;
}

/** A row of the teams table. */
export interface TeamRow {
  id: string;
  plan: string | null;
  features: string[];
  subscription_status: string | null;
  subscription_expires_at: Date | string | null;
  limits: unknown;
}

/** Key columns in table order; `KEY_COLUMNS` is what every read selects. */
export const KEY_FIELDS = [
  'id',
  'hash',
  'prefix',
  'name',
  'team_id',
  'environment',
  'scopes',
  'customer_id',
  'status',
  'valid_until',
  'blocked_until',
  'limits',
  'created_at',
  'last_used_at',
  'last_used_ip',
  'previous_hash',
  'previous_expires_at',
  'metadata',
] as const;
export const KEY_COLUMNS = KEY_FIELDS.join(', ');

// Hosts may install their own pg type parsers (dates as strings): accept both forms.
function date(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? new Date(value.getTime()) : new Date(value);
}

/**
 * Limits as JSON. JSON has no Infinity, and "unlimited" must survive the round trip (a team's
 * own `Infinity` overrides its plan's limit), so it is written as the string `"Infinity"`.
 */
export function encodeLimits(limits: KeyLimits | TeamLimits | undefined): string | null {
  if (!limits) return null;
  return JSON.stringify(limits, (_key, value: unknown) =>
    value === Infinity ? 'Infinity' : value,
  );
}

function decodeLimits<T extends object>(value: unknown): T | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v === 'number') out[name] = v;
    else if (v === 'Infinity') out[name] = Infinity;
  }
  return out as T;
}

function decodeJson(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return typeof parsed === 'object' && parsed !== null
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/** The key record a row holds; optional fields absent from the row are absent from the record. */
export function keyFromRow(row: KeyRow): ApiKeyRecord {
  const limits = decodeLimits<KeyLimits>(row.limits);
  const metadata = decodeJson(row.metadata);
  const previousExpires = date(row.previous_expires_at);
  return {
    id: row.id,
    hash: row.hash,
    prefix: row.prefix,
    name: row.name,
    teamId: row.team_id,
    environment: row.environment as Environment,
    scopes: [...row.scopes],
    customerId: row.customer_id,
    status: row.status === 'revoked' ? 'revoked' : 'active',
    validUntil: date(row.valid_until),
    blockedUntil: date(row.blocked_until),
    ...(limits ? { limits } : {}),
    createdAt: date(row.created_at) ?? new Date(0),
    lastUsedAt: date(row.last_used_at),
    lastUsedIp: row.last_used_ip,
    previous:
      row.previous_hash !== null && previousExpires
        ? { hash: row.previous_hash, expiresAt: previousExpires }
        : null,
    ...(metadata ? { metadata } : {}),
  };
}

/** The team a row holds. */
export function teamFromRow(row: TeamRow): Team {
  const limits = decodeLimits<TeamLimits>(row.limits);
  const status = row.subscription_status;
  return {
    id: row.id,
    ...(row.plan !== null ? { plan: row.plan } : {}),
    features: [...row.features],
    subscription:
      status === 'active' || status === 'canceled'
        ? { status, expiresAt: date(row.subscription_expires_at) }
        : null,
    ...(limits ? { limits } : {}),
  };
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/** Values of {@link KEY_FIELDS} for an insert, in the same order. */
export function keyValues(r: ApiKeyRecord): unknown[] {
  return [
    r.id,
    r.hash,
    r.prefix,
    r.name,
    r.teamId,
    r.environment,
    [...r.scopes],
    orNull(r.customerId),
    r.status,
    orNull(r.validUntil),
    orNull(r.blockedUntil),
    encodeLimits(r.limits),
    r.createdAt,
    orNull(r.lastUsedAt),
    orNull(r.lastUsedIp),
    r.previous?.hash ?? null,
    r.previous?.expiresAt ?? null,
    r.metadata === undefined ? null : JSON.stringify(r.metadata),
  ];
}

/** Column/value pairs a `KeyPatch` sets; fields given as `undefined` are left alone. */
export function patchAssignments(patch: Partial<ApiKeyRecord>): [column: string, value: unknown][] {
  const out: [string, unknown][] = [];
  const set = (column: string, value: unknown) => out.push([column, value]);
  if (patch.hash !== undefined) set('hash', patch.hash);
  if (patch.prefix !== undefined) set('prefix', patch.prefix);
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.scopes !== undefined) set('scopes', [...patch.scopes]);
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.validUntil !== undefined) set('valid_until', patch.validUntil);
  if (patch.blockedUntil !== undefined) set('blocked_until', patch.blockedUntil);
  if (patch.limits !== undefined) set('limits', encodeLimits(patch.limits));
  if (patch.customerId !== undefined) set('customer_id', patch.customerId);
  if (patch.metadata !== undefined) set('metadata', JSON.stringify(patch.metadata));
  if (patch.previous !== undefined) {
    set('previous_hash', patch.previous?.hash ?? null);
    set('previous_expires_at', patch.previous?.expiresAt ?? null);
  }
  return out;
}
