import type { IncomingMessage } from 'node:http';
import { originalPath } from '../http/request-path.js';

/**
 * Which endpoints a rule applies to: `"METHOD /path"` strings (Express-style `:param`
 * segments, a trailing `*`, `*` for any method, `GET` also matching `HEAD`, a trailing
 * slash ignored), RegExps tested against `"METHOD /full/path"`, or a predicate.
 */
export type EndpointMatcher = ReadonlyArray<string | RegExp> | ((req: IncomingMessage) => boolean);

type Segment = { literal: string } | { param: true };

interface Pattern {
  method: string;
  segments: Segment[];
  /** A trailing `*`: any number of further segments, none included. */
  rest: boolean;
}

const METHOD = /^(?:\*|[A-Za-z]+)$/;

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
      `${where}: received ${JSON.stringify(entry)}. Write an endpoint as "METHOD /path", e.g. "GET /v1/companies/:id" or "* /v1/files/*".`,
    );
  }
  const parts = segmentsOf(path);
  const rest = parts[parts.length - 1] === '*';
  if (rest) parts.pop();
  const segments = parts.map((part): Segment => {
    if (part.includes('*')) {
      throw new TypeError(
        `${where}: received ${JSON.stringify(entry)}. Only a trailing "/*" is supported as a wildcard.`,
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
 * Compiles an {@link EndpointMatcher} once, at construction, into a request predicate.
 * Paths are the full original path (mount path included), compared case-insensitively as
 * Express routes them by default. Throws a TypeError naming `where` for a malformed entry.
 *
 * @example
 * ```ts
 * const isPages = compileEndpointMatcher(['POST /v1/pages', 'PUT /v1/pages/:id']);
 * isPages(req); // true for PUT /v1/pages/42
 * ```
 */
export function compileEndpointMatcher(
  endpoints: EndpointMatcher,
  where = 'endpoints',
): (req: IncomingMessage) => boolean {
  if (typeof endpoints === 'function') return endpoints;
  if (!Array.isArray(endpoints)) {
    throw new TypeError(
      `${where}: expected an array of "METHOD /path" strings and RegExps, or a function (req) => boolean, received ${typeof endpoints}.`,
    );
  }
  const patterns: Pattern[] = [];
  const regexps: RegExp[] = [];
  endpoints.forEach((entry: unknown, i) => {
    if (entry instanceof RegExp) regexps.push(entry);
    else if (typeof entry === 'string') patterns.push(parse(entry, `${where}[${i}]`));
    else
      throw new TypeError(
        `${where}[${i}]: expected a string or a RegExp, received ${typeof entry}.`,
      );
  });
  return function matchesEndpoint(req: IncomingMessage): boolean {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = originalPath(req);
    const parts = segmentsOf(path);
    for (const pattern of patterns) {
      if (methodMatches(pattern.method, method) && pathMatches(pattern, parts)) return true;
    }
    for (const re of regexps) {
      re.lastIndex = 0;
      if (re.test(`${method} ${path}`)) return true;
    }
    return false;
  };
}
