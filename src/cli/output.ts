import { keyDisplayStatus } from '../keys/status.js';
import type { ApiKeyRecord, Team } from '../types.js';

/** JSON for scripts: dates as ISO 8601, unlimited limits as `"Infinity"` (JSON has no Infinity). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === Infinity ? 'Infinity' : v), 2);
}

const when = (d: Date | null | undefined): string => (d ? d.toISOString() : '—');
const limitsText = (limits: object | undefined): string => {
  const entries = Object.entries(limits ?? {}).filter(([, v]) => v !== undefined);
  return entries.length === 0
    ? '—'
    : entries.map(([k, v]) => `${k}=${v === Infinity ? 'unlimited' : String(v)}`).join(' ');
};

/** The status column: Active / Inactive / Expired, and a block when one is in force. */
export function statusText(record: ApiKeyRecord, now: number): string {
  const status = keyDisplayStatus(record, now);
  return record.blockedUntil && record.blockedUntil.getTime() > now ? `${status}, blocked` : status;
}

function rows(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** A key's details, one field per line. */
export function keyDetails(r: ApiKeyRecord, now: number): string {
  const pairs: [string, string][] = [
    ['id', r.id],
    ['name', r.name],
    ['prefix', `${r.prefix}…`],
    ['team', r.teamId],
    ['environment', r.environment],
    ['status', statusText(r, now)],
    ['scopes', r.scopes.length ? r.scopes.join(', ') : '—'],
    ['customer', r.customerId ?? '—'],
    ['limits', limitsText(r.limits)],
    ['valid until', when(r.validUntil)],
    ['blocked until', when(r.blockedUntil)],
    ['created', when(r.createdAt)],
    ['last used', r.lastUsedAt ? `${when(r.lastUsedAt)} from ${r.lastUsedIp ?? '?'}` : 'never'],
  ];
  if (r.previous) pairs.push(['previous secret', `valid until ${when(r.previous.expiresAt)}`]);
  return rows(pairs);
}

/** Keys as an aligned table. */
export function keyTable(records: ApiKeyRecord[], now: number): string {
  if (records.length === 0) return 'No keys.';
  const header = ['ID', 'NAME', 'PREFIX', 'ENV', 'STATUS', 'TEAM', 'LAST USED', 'CREATED'];
  const body = records.map((r) => [
    r.id,
    r.name,
    `${r.prefix}…`,
    r.environment,
    statusText(r, now),
    r.teamId,
    r.lastUsedAt ? when(r.lastUsedAt) : 'never',
    when(r.createdAt),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** A team's details. */
export function teamDetails(t: Team): string {
  const sub = t.subscription;
  return rows([
    ['id', t.id],
    ['plan', t.plan ?? '—'],
    ['features', t.features.length ? t.features.join(', ') : '—'],
    [
      'subscription',
      sub ? `${sub.status}${sub.expiresAt ? `, expires ${when(sub.expiresAt)}` : ''}` : 'none',
    ],
    ['limits', limitsText(t.limits)],
  ]);
}
