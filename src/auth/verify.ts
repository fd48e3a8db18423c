import type { ErrorCode } from '../errors/catalog.js';
import type { ApiKeyRecord, Environment, Team } from '../types.js';

/**
 * Constant-time equality of two digests (hex strings): every character is compared, without
 * the two Buffer allocations of `timingSafeEqual` on this per-request path. Digest lengths
 * are public (they only depend on pepper or not), so an early return on length leaks nothing.
 */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A failed check: the code and the extension members of its problem. */
export interface Refusal {
  code: ErrorCode;
  extensions?: Record<string, unknown>;
}

/**
 * Rows 4–7 of the check table for a record found by digest: revoked or a finished rotation
 * grace is `invalid_api_key`; then environment, administrative block, expiry.
 */
export function checkKey(
  record: ApiKeyRecord,
  digest: string,
  presentedEnv: Environment,
  environments: ReadonlySet<Environment> | undefined,
  now: number,
): Refusal | null {
  const current = sameDigest(record.hash, digest);
  if (!current) {
    const previous = record.previous;
    const inGrace =
      previous != null && sameDigest(previous.hash, digest) && previous.expiresAt.getTime() > now;
    if (!inGrace) return { code: 'invalid_api_key' };
  }
  if (record.status !== 'active') return { code: 'invalid_api_key' };
  // The key's own environment is its tag: reporting it leaks nothing the caller did not send.
  if (environments && !environments.has(record.environment)) {
    return { code: 'environment_mismatch', extensions: { environment: presentedEnv } };
  }
  if (record.blockedUntil && record.blockedUntil.getTime() > now) {
    return {
      code: 'api_key_blocked',
      extensions: { blockedUntil: record.blockedUntil.toISOString() },
    };
  }
  if (record.validUntil && record.validUntil.getTime() <= now) {
    return { code: 'api_key_expired', extensions: { expiredAt: record.validUntil.toISOString() } };
  }
  return null;
}

/** Rows 8–9: the team must hold an active, unexpired subscription. */
export function checkTeam(team: Team | null, now: number): Refusal | null {
  const sub = team?.subscription;
  if (!sub || sub.status !== 'active') return { code: 'subscription_required' };
  if (sub.expiresAt && sub.expiresAt.getTime() <= now) {
    return { code: 'subscription_expired', extensions: { expiredAt: sub.expiresAt.toISOString() } };
  }
  return null;
}
