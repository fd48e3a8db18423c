import type { IncomingMessage } from 'node:http';
import { rawQuery } from '../http/request-path.js';
import type { KeywardRequest } from '../types.js';

/**
 * Where `apiKeyAuth` reads the key: `'x-api-key'` (the header, any case), `'bearer'`
 * (`Authorization: Bearer <key>`), `{ header: 'name' }` or `{ query: 'name' }`.
 */
export type KeySource = 'x-api-key' | 'bearer' | { header: string } | { query: string };

/** What the sources of one request hold. */
export type Extracted = { kind: 'none' } | { kind: 'invalid' } | { kind: 'key'; key: string };

type Reader = (req: KeywardRequest) => string | null | undefined | typeof INVALID;
const INVALID = Symbol('invalid');
/** Longer values cannot be a key; we stop looking at them right away. */
const MAX_VALUE = 256;

function isTokenChar(c: number): boolean {
  // RFC 6750 b64token characters plus nothing else: no spaces, commas or controls.
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 ||
    c === 43 ||
    c === 47 ||
    c === 61
  );
}

/** A single token, or INVALID when the value holds anything but exactly one. */
function single(value: string): string | typeof INVALID {
  if (value.length > MAX_VALUE) return INVALID;
  const token = value.trim();
  if (token === '') return INVALID;
  for (let i = 0; i < token.length; i++) if (!isTokenChar(token.charCodeAt(i))) return INVALID;
  return token;
}

/** How often a header name occurs in the raw headers (Node joins or drops repeats). */
function occurrences(req: IncomingMessage, lowerName: string): number {
  let n = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) n++;
  }
  return n;
}

function headerReader(name: string): Reader {
  const lower = name.toLowerCase();
  return (req) => {
    const value = req.headers[lower];
    if (value === undefined) return null;
    if (Array.isArray(value) || occurrences(req, lower) > 1) return INVALID;
    return single(value);
  };
}

const BEARER = /^bearer$/i;

function bearerReader(): Reader {
  return (req) => {
    const value = req.headers.authorization;
    if (value === undefined) return null;
    if (occurrences(req, 'authorization') > 1) return INVALID;
    const space = value.indexOf(' ');
    const scheme = space === -1 ? value : value.slice(0, space);
    // Another scheme (Basic, a session token…) is not ours: this source is simply empty.
    if (!BEARER.test(scheme)) return null;
    return single(value.slice(space + 1));
  };
}

function queryReader(name: string): Reader {
  return (req) => {
    const query = rawQuery(req);
    if (query === '' || !query.includes(name)) return null;
    const values = new URLSearchParams(query).getAll(name);
    if (values.length === 0) return null;
    if (values.length > 1) return INVALID;
    return single(values[0] as string);
  };
}

/** Throws at construction for an unusable `sources` value. */
export function compileSources(where: string, sources: unknown): Reader[] {
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new TypeError(
      `${where}: \`sources\` must be a non-empty array, e.g. ['x-api-key', 'bearer', { query: 'api_key' }].`,
    );
  }
  return sources.map((source: unknown) => {
    if (source === 'x-api-key') return headerReader('x-api-key');
    if (source === 'bearer') return bearerReader();
    if (source && typeof source === 'object') {
      const { header, query } = source as { header?: unknown; query?: unknown };
      if (typeof header === 'string' && /^[A-Za-z0-9-]+$/.test(header)) {
        if (header.toLowerCase() === 'authorization') {
          throw new TypeError(`${where}: use the 'bearer' source for the Authorization header.`);
        }
        return headerReader(header);
      }
      if (typeof query === 'string' && query !== '') return queryReader(query);
    }
    throw new TypeError(
      `${where}: received an unsupported source, ${JSON.stringify(source)}. ` +
        "Use 'x-api-key', 'bearer', { header: 'x-my-key' } or { query: 'api_key' }.",
    );
  });
}

/**
 * Reads the key from every configured source. A source holding anything but exactly one key
 * is `invalid` (never "its first part"); two sources holding different keys are `invalid`.
 */
export function extractKey(req: KeywardRequest, readers: readonly Reader[]): Extracted {
  let found: string | undefined;
  for (const read of readers) {
    const value = read(req);
    if (value === null || value === undefined) continue;
    if (value === INVALID) return { kind: 'invalid' };
    if (found !== undefined && found !== value) return { kind: 'invalid' };
    found = value;
  }
  return found === undefined ? { kind: 'none' } : { kind: 'key', key: found };
}
