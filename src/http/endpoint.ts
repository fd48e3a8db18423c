import type { KeywardRequest } from '../types.js';
import { originalPath } from './request-path.js';

/**
 * Which endpoints a rule covers (`publicOnly`, `requestGuard`'s `allow`): `"METHOD /path"`
 * strings (Express-style `:param` segments, a trailing `/*` for anything below, `*` as the
 * method for any, `GET` also matching `HEAD`, a trailing slash ignored, compared
 * case-insensitively as Express routes by default), RegExps tested against
 * `"METHOD /full/path"`, or a predicate.
 */
export type EndpointMatcher = ReadonlyArray<string | RegExp> | ((req: KeywardRequest) => boolean);

type Segment = { literal: string } | { param: true };

interface Pattern {
  method: string;
  segments: Segment[];
  /** A trailing `*`: any number of further segments, none included. */
  rest: boolean;
}

const METHOD = /^(?:\*|[A-Za-z]+)$/;

/**
 * Path segments as Express sees them: the raw (undecoded) path, so `/v1/%70ages` is not
 * `/v1/pages` here either; a trailing slash ignored; empty inner segments kept.
 */
function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function parse(entry: string, where: string): Pattern {
  const text = entry.trim();
  const space = text.search(/\s/);
  const method = space === -1 ? '' : text.slice(0, space);
  const path = space === -1 ? text : text.slice(space).trim();
  if (!METHOD.test(method) || !path.startsWith('/')) {
    throw new TypeError(
      `${where}: received an unsupported endpoint, ${JSON.stringify(entry)}. Write "METHOD /path", e.g. "GET /v1/companies/:id" or "* /v1/files/*".`,
    );
  }
  const parts = segmentsOf(path);
  const rest = parts[parts.length - 1] === '*';
  if (rest) parts.pop();
  const segments = parts.map((part): Segment => {
    if (part.includes('*')) {
      throw new TypeError(
        `${where}: received an unsupported endpoint, ${JSON.stringify(entry)}. Only a trailing "/*" is supported as a wildcard.`,
      );
    }
    return part.startsWith(':') && part.length > 1
      ? { param: true }
      : { literal: part.toLowerCase() };
  });
  return { method: method.toUpperCase(), segments, rest };
}

function methodMatches(pattern: string, method: string): boolean {
  return pattern === '*' || pattern === method || (pattern === 'GET' && method === 'HEAD');
}

function pathMatches(pattern: Pattern, parts: readonly string[]): boolean {
  if (
    pattern.rest ? parts.length < pattern.segments.length : parts.length !== pattern.segments.length
  ) {
    return false;
  }
  return pattern.segments.every((segment, i) => {
    const part = parts[i] ?? '';
    return 'param' in segment ? part.length > 0 : segment.literal === part.toLowerCase();
  });
}

/**
 * Compiles an {@link EndpointMatcher} once, at construction, into a request predicate over
 * the full original path (mount path included). Throws a TypeError naming `where` for a
 * malformed entry.
 *
 * @example
 * ```ts
 * const isPages = compileEndpointMatcher(['POST /v1/pages', 'PUT /v1/pages/:id'], 'allow');
 * isPages(req); // true for PUT /v1/pages/42
 * ```
 */
export function compileEndpointMatcher(
  endpoints: EndpointMatcher,
  where = 'endpoints',
): (req: KeywardRequest) => boolean {
  if (typeof endpoints === 'function') return endpoints;
  if (!Array.isArray(endpoints)) {
    throw new TypeError(
      `${where}: endpoints must be an array of "METHOD /path" strings and RegExps, or a function (req) => boolean, received ${typeof endpoints}.`,
    );
  }
  const patterns: Pattern[] = [];
  const regexps: RegExp[] = [];
  const name = (i: number) => (endpoints.length > 1 ? `${where}[${i}]` : where);
  endpoints.forEach((entry: unknown, i) => {
    if (entry instanceof RegExp) regexps.push(entry);
    else if (typeof entry === 'string') patterns.push(parse(entry, name(i)));
    else
      throw new TypeError(
        `${name(i)}: received an unsupported endpoint of type ${typeof entry}; use a string or a RegExp.`,
      );
  });
  return function matchesEndpoint(req: KeywardRequest): boolean {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = originalPath(req);
    if (patterns.length > 0) {
      const parts = segmentsOf(path);
      for (const pattern of patterns) {
        if (methodMatches(pattern.method, method) && pathMatches(pattern, parts)) return true;
      }
    }
    for (const re of regexps) {
      re.lastIndex = 0;
      if (re.test(`${method} ${path}`)) return true;
    }
    return false;
  };
}
