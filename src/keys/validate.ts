import { KeywardError } from '../errors/keyward-error.js';
import { ENVIRONMENTS, type Environment, type KeyLimits } from '../types.js';

const SCOPE = /^(?:\*|[A-Za-z0-9_.-]+(?::(?:[A-Za-z0-9_.-]+|\*))*)$/;

function invalid(field: string, detail: string): KeywardError {
  return new KeywardError('bad_request', { detail, field });
}

/** Scopes from an array or a comma-separated string: trimmed, de-duplicated, validated. */
export function normalizeScopes(input: unknown): string[] {
  const parts = typeof input === 'string' ? input.split(',') : input;
  if (!Array.isArray(parts))
    throw invalid('scopes', 'scopes must be an array of strings or a comma-separated string.');
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') throw invalid('scopes', 'every scope must be a string.');
    const scope = part.trim();
    if (scope === '') continue;
    if (scope.length > 128 || !SCOPE.test(scope)) {
      throw invalid(
        'scopes',
        'scopes look like "companies:read", "licenses:*" or "*" (letters, digits, _ . - and :).',
      );
    }
    if (!out.includes(scope)) out.push(scope);
  }
  return out;
}

/** A non-empty display name of at most 200 characters. */
export function normalizeName(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '' || input.length > 200) {
    throw invalid('name', 'name must be a non-empty string of at most 200 characters.');
  }
  return input.trim();
}

/** One of the three environments. */
export function normalizeEnvironment(input: unknown): Environment {
  if (typeof input === 'string' && (ENVIRONMENTS as readonly string[]).includes(input))
    return input as Environment;
  throw invalid('environment', `environment must be one of ${ENVIRONMENTS.join(', ')}.`);
}

/** A non-empty id string (team, customer) of at most 200 characters. */
export function normalizeId(field: string, input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '' || input.length > 200) {
    throw invalid(field, `${field} must be a non-empty string of at most 200 characters.`);
  }
  return input.trim();
}

/** Limits: each absent, or a positive integer (or `Infinity`). */
export function normalizeLimits(input: unknown): KeyLimits | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input))
    throw invalid('limits', 'limits must be an object.');
  const out: KeyLimits = {};
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (name !== 'perMinute' && name !== 'monthly' && name !== 'ipsPerMonth') {
      throw invalid('limits', `unknown limit "${name}": use perMinute, monthly or ipsPerMonth.`);
    }
    if (value === undefined || value === null) continue;
    if (
      typeof value !== 'number' ||
      !(Number.isInteger(value) || value === Infinity) ||
      value < 0
    ) {
      throw invalid(`limits.${name}`, `limits.${name} must be a non-negative integer.`);
    }
    out[name] = value;
  }
  return out;
}

/** An optional date: a Date, an ISO string or ms since epoch; `null` clears it. */
export function normalizeDate(field: string, input: unknown): Date | null | undefined {
  if (input === undefined) return undefined;
  if (input === null || input === '') return null;
  const date =
    input instanceof Date
      ? new Date(input.getTime())
      : typeof input === 'string' || typeof input === 'number'
        ? new Date(input)
        : null;
  if (!date || Number.isNaN(date.getTime()))
    throw invalid(field, `${field} must be a date (ISO 8601).`);
  return date;
}
