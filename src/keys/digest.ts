import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A server-side secret mixed into key digests (HMAC-SHA-256) when configured. */
export type Pepper = string | Buffer;

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
/**
 * `crypto.hash` (node >= 20.12, 21.7): one native call instead of a Hash object, an update
 * and a digest — half the cost of a key digest on the authentication path.
 */
const oneShot = (crypto as { hash?: OneShotHash }).hash;

/** Lowercase hex SHA-256 of the key, or HMAC-SHA-256 with `pepper`. */
export function digestKey(key: string, pepper?: Pepper): string {
  if (pepper !== undefined) return createHmac('sha256', pepper).update(key).digest('hex');
  return oneShot ? oneShot('sha256', key, 'hex') : createHash('sha256').update(key).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/** Throws when `pepper` is present but unusable. */
export function validatePepper(where: string, pepper: unknown): Pepper | undefined {
  if (pepper === undefined) return undefined;
  if ((typeof pepper === 'string' || Buffer.isBuffer(pepper)) && pepper.length >= 16) return pepper;
  throw new TypeError(
    `${where}: received an unsupported \`pepper\`. Use a string or Buffer of at least 16 ` +
      'bytes from a secret store, and the same value on every instance and in KeyManager.',
  );
}
