import type { ApiKeyRecord, KeyDisplayStatus } from '../types.js';

/**
 * The derived display status of a key (SPEC §2): revoked → Inactive; `validUntil` passed →
 * Expired; otherwise Active. A temporary block is reported separately (`blockedUntil`).
 */
export function keyDisplayStatus(
  record: Pick<ApiKeyRecord, 'status' | 'validUntil'>,
  now: number,
): KeyDisplayStatus {
  if (record.status === 'revoked') return 'Inactive';
  if (record.validUntil && record.validUntil.getTime() <= now) return 'Expired';
  return 'Active';
}
