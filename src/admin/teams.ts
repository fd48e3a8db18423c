import { KeywardError } from '../errors/keyward-error.js';
import type { Team, TeamLimits } from '../types.js';

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const FIELDS = ['plan', 'features', 'subscription', 'limits'];

function bad(field: string, detail: string): KeywardError {
  return new KeywardError('bad_request', { detail, field });
}

function plan(value: unknown): string | undefined {
  if (value === null || value === '') return undefined;
  if (typeof value !== 'string' || !NAME.test(value.trim()))
    throw bad(
      'plan',
      'plan must be a plan name such as "pro" (letters, digits, _ . : -), or null.',
    );
  return value.trim();
}

function features(value: unknown): string[] {
  const parts = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(parts))
    throw bad('features', 'features must be an array of names or a comma-separated string.');
  const out: string[] = [];
  for (const part of parts) {
    const name = typeof part === 'string' ? part.trim() : '';
    if (name === '' && typeof part === 'string') continue;
    if (!NAME.test(name))
      throw bad('features', 'every feature is a name such as "pro" (letters, digits, _ . : -).');
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function subscription(value: unknown): Team['subscription'] {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('subscription', 'subscription must be { status, expiresAt } or null.');
  const { status, expiresAt, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    throw bad('subscription', 'subscription has only status and expiresAt.');
  if (status !== 'active' && status !== 'canceled')
    throw bad('subscription.status', 'subscription.status must be "active" or "canceled".');
  if (expiresAt === undefined || expiresAt === null || expiresAt === '')
    return { status, expiresAt: null };
  const at = typeof expiresAt === 'string' ? new Date(expiresAt) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw bad(
      'subscription.expiresAt',
      'subscription.expiresAt must be a date (ISO 8601) or null.',
    );
  return { status, expiresAt: at };
}

function limits(value: unknown): TeamLimits | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad('limits', 'limits must be { perMinute, monthly } or null.');
  const out: TeamLimits = {};
  for (const [name, n] of Object.entries(value as Record<string, unknown>)) {
    if (name !== 'perMinute' && name !== 'monthly')
      throw bad('limits', `unknown team limit "${name}": use perMinute or monthly.`);
    if (n === null || n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw bad(`limits.${name}`, `limits.${name} must be a non-negative integer.`);
    out[name] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The team after applying an admin's changes: only the fields present change; `null` clears
 * plan, subscription or limits. Validated field by field, with the field named on error.
 */
export function patchTeam(current: Team, body: Record<string, unknown>): Team {
  for (const field of Object.keys(body)) {
    if (!FIELDS.includes(field))
      throw bad(field, `Unknown field "${field}". Known fields: ${FIELDS.join(', ')}.`);
  }
  const next: Team = { ...current, features: [...current.features] };
  if ('plan' in body) {
    const value = plan(body.plan);
    if (value === undefined) delete next.plan;
    else next.plan = value;
  }
  if ('features' in body) next.features = features(body.features);
  if ('subscription' in body) next.subscription = subscription(body.subscription);
  if ('limits' in body) {
    const value = limits(body.limits);
    if (value === undefined) delete next.limits;
    else next.limits = value;
  }
  return next;
}
