import { originalPath } from '../http/request-path.js';
import type { KeywardRequest } from '../types.js';

/**
 * Which endpoints a rule covers: `"METHOD /path"` strings (Express-style `:param` segments, a
 * trailing `*`, `*` as the method for any, `GET` also matching `HEAD`, trailing slash
 * ignored), RegExps tested against `"METHOD /full/path"`, or a predicate.
 */
export type EndpointMatcher = ReadonlyArray<string | RegExp> | ((req: KeywardRequest) => boolean);

interface Pattern {
  method: string;
  segments: readonly string[];
  /** Ends in `*`: matches the prefix and anything below it. */
  wildcard: boolean;
}

function compilePattern(where: string, entry: string): Pattern {
  const match = /^([A-Za-z]+|\*) +(\/\S*)$/.exec(entry.trim());
  if (!match) {
    throw new TypeError(
      `${where}: received an unsupported endpoint, ${JSON.stringify(entry)}. Write "METHOD /path", e.g. "GET /v1/companies/:id" or "* /v1/public/*".`,
    );
  }
  const method = (match[1] as string).toUpperCase();
  let path = match[2] as string;
  let wildcard = false;
  if (path.endsWith('*')) {
    wildcard = true;
    path = path.slice(0, -1);
  }
  const segments = path.split('/').filter((s) => s !== '');
  return { method, segments, wildcard };
}

function splitPath(path: string): string[] {
  let decoded = path;
  // Without a `%` there is nothing to decode: skip the call (it runs on every request).
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // A malformed escape cannot match a pattern segment anyway; compare the raw text.
    }
  }
  const segments: string[] = [];
  for (let start = 0; start <= decoded.length;) {
    let end = decoded.indexOf('/', start);
    if (end === -1) end = decoded.length;
    if (end > start) segments.push(decoded.slice(start, end));
    start = end + 1;
  }
  return segments;
}

function matches(p: Pattern, method: string, segments: readonly string[]): boolean {
  if (p.method !== '*' && p.method !== method && !(p.method === 'GET' && method === 'HEAD'))
    return false;
  if (p.wildcard ? segments.length < p.segments.length : segments.length !== p.segments.length)
    return false;
  for (let i = 0; i < p.segments.length; i++) {
    const want = p.segments[i] as string;
    if (want.startsWith(':')) continue;
    if (want !== segments[i]) return false;
  }
  return true;
}

/**
 * Compiles an {@link EndpointMatcher} once, at construction, into `(req) => boolean`.
 * Paths are matched against the full original path (mount path included).
 */
export function compileEndpointMatcher(
  where: string,
  endpoints: unknown,
): (req: KeywardRequest) => boolean {
  if (typeof endpoints === 'function') return endpoints as (req: KeywardRequest) => boolean;
  if (!Array.isArray(endpoints)) {
    throw new TypeError(
      `${where}: endpoints must be an array of "METHOD /path" strings and RegExps, or a function (req) => boolean.`,
    );
  }
  const patterns: Pattern[] = [];
  const regexps: RegExp[] = [];
  for (const entry of endpoints as unknown[]) {
    if (entry instanceof RegExp) regexps.push(entry);
    else if (typeof entry === 'string') patterns.push(compilePattern(where, entry));
    else
      throw new TypeError(
        `${where}: received an unsupported endpoint of type ${typeof entry}; use a string or a RegExp.`,
      );
  }
  return (req) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = originalPath(req);
    if (patterns.length > 0) {
      const segments = splitPath(path);
      if (patterns.some((p) => matches(p, method, segments))) return true;
    }
    if (regexps.length > 0) {
      const line = `${method} ${path}`;
      return regexps.some((r) => {
        r.lastIndex = 0;
        return r.test(line);
      });
    }
    return false;
  };
}
