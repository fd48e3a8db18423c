import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { rawQuery } from '../http/request-path.js';
import type { KeywardRequest } from '../types.js';

/**
 * The parsed query: Express's `req.query` (nested with Express 4's qs), or — under Connect,
 * or when the app turned query parsing off — the raw query string parsed flat, so a query
 * the app can still read from `req.url` is never skipped.
 */
export function queryOf(req: KeywardRequest): unknown {
  const parsed = req.query;
  if (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0)
    return parsed;
  const raw = rawQuery(req);
  if (raw === '') return undefined;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const known = query[key];
    if (known === undefined) query[key] = value;
    else if (Array.isArray(known)) known.push(value);
    else query[key] = [known, value];
  }
  return query;
}

/** `req.secure` as Express computes it (trust proxy), else whether the socket is TLS. */
export function isSecure(req: KeywardRequest): boolean {
  if (typeof req.secure === 'boolean') return req.secure;
  return (req.socket as TLSSocket | undefined)?.encrypted === true;
}

/** The declared `Content-Length`, or undefined when absent or malformed. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined || raw === '' || raw.length > 16) return undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(raw);
}

/** True when the request sends a body (a non-zero length, or chunked). */
export function sendsBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = declaredLength(req);
  return length !== undefined && length > 0;
}

/** True for `application/json` and `application/<anything>+json`, parameters ignored. */
export function isJsonType(req: IncomingMessage): boolean {
  const header = req.headers['content-type'];
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** The values of header `name` as strings (a repeated header gives several). */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const value = req.headers[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
