import { randomBytes } from 'node:crypto';
import type { Environment } from '../types.js';
import { base62Equals, bytesToBase62, isBase62, toBase62 } from './base62.js';
import { crc32 } from './crc32.js';

/** The key prefix used when none is configured. */
export const DEFAULT_KEY_PREFIX = 'kw';

const ENV_TAG: Readonly<Record<Environment, string>> = {
  production: 'live',
  staging: 'stg',
  development: 'dev',
};
const TAG_ENV: Readonly<Record<string, Environment>> = {
  live: 'production',
  stg: 'staging',
  dev: 'development',
};

/** The tags as pairs, read in place by `parseKey`. */
const TAGS = Object.entries(TAG_ENV);

const RANDOM_LENGTH = 22;
const CHECKSUM_LENGTH = 6;
/** Characters of the random part shown in the display prefix. */
const DISPLAY_RANDOM = 4;
/** Longest prefix accepted; also bounds how much of a hostile header we ever look at. */
const MAX_PREFIX = 16;
/** The longest well-formed key: prefix, `_`, the longest tag, `_`, random, checksum. */
export const MAX_KEY_LENGTH = MAX_PREFIX + 1 + 4 + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH;

/** Throws when `prefix` cannot be used as a key prefix. */
export function validatePrefix(where: string, prefix: unknown): string {
  if (typeof prefix === 'string' && /^[a-z][a-z0-9]{0,15}$/.test(prefix)) return prefix;
  throw new TypeError(
    `${where}: received an unsupported \`prefix\`, ${JSON.stringify(prefix)}. ` +
      'Use 1 to 16 lowercase letters or digits starting with a letter, e.g. `kw` or `tic`.',
  );
}

function checksum(body: string): string {
  return toBase62(BigInt(crc32(body)), CHECKSUM_LENGTH);
}

/** A freshly generated key: the plaintext (shown once) and its display prefix. */
export interface GeneratedKey {
  key: string;
  displayPrefix: string;
}

/**
 * Generates `<prefix>_<env>_<22 base62 random><6 base62 CRC32>`: 128 random bits from
 * `crypto.randomBytes`, zero-padded; the checksum lets us reject typos without a lookup.
 */
export function generateKey(prefix: string, environment: Environment): GeneratedKey {
  const head = `${prefix}_${ENV_TAG[environment]}_`;
  const body = head + bytesToBase62(randomBytes(16), RANDOM_LENGTH);
  return {
    key: body + checksum(body),
    displayPrefix: body.slice(0, head.length + DISPLAY_RANDOM),
  };
}

/** What a well-formed key tells without a lookup. */
export interface ParsedKey {
  prefix: string;
  environment: Environment;
}

/**
 * Parses a presented key. Returns `null` for anything that is not a well-formed key with the
 * expected prefix and a valid checksum, without allocating for overlong input.
 */
export function parseKey(candidate: string, expectedPrefix: string): ParsedKey | null {
  const expectedHead = expectedPrefix.length + 1;
  if (candidate.length > MAX_KEY_LENGTH || candidate.length < expectedHead + 4) return null;
  if (!candidate.startsWith(expectedPrefix) || candidate[expectedPrefix.length] !== '_') {
    return null;
  }
  // Read in place, without slices: this runs on every authenticated request.
  let environment: Environment | undefined;
  let tagEnd = -1;
  for (const [tag, env] of TAGS) {
    if (
      candidate.startsWith(tag, expectedHead) &&
      candidate.charCodeAt(expectedHead + tag.length) === 95
    ) {
      environment = env;
      tagEnd = expectedHead + tag.length;
      break;
    }
  }
  if (!environment) return null;
  const tail = tagEnd + 1;
  if (candidate.length - tail !== RANDOM_LENGTH + CHECKSUM_LENGTH || !isBase62(candidate, tail)) {
    return null;
  }
  const bodyLength = candidate.length - CHECKSUM_LENGTH;
  if (!base62Equals(crc32(candidate, bodyLength), CHECKSUM_LENGTH, candidate, bodyLength))
    return null;
  return { prefix: expectedPrefix, environment };
}

/** The env tag (`live`, `stg`, `dev`) of an environment. */
export function environmentTag(environment: Environment): string {
  return ENV_TAG[environment];
}
