import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';

/**
 * Content-Security-Policy of every admin response: scripts and styles only from the page's
 * own files (no inline script, no eval), no framing, no plugins, no foreign connections.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every admin response carries, errors included. */
export function setSecurityHeaders(res: ServerResponse, cacheable: boolean): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Pages and API answers may hold a secret or live key data: never stored by any cache.
  res.setHeader('Cache-Control', cacheable ? 'public, max-age=31536000, immutable' : 'no-store');
  if (!cacheable) res.setHeader('Pragma', 'no-cache');
}

/**
 * The CSRF defence of mutations: a browser marks a cross-site request with `Sec-Fetch-Site`
 * and `Origin`; both must say same-origin (or a trusted origin). Scripts (curl, servers) send
 * neither and pass. Mutations must also be `application/json`, which a cross-site form can
 * not send and a cross-site `fetch` can only send after a CORS preflight that is never granted.
 */
export function checkSameOrigin(req: IncomingMessage, trusted: ReadonlySet<string>): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const refuse = () => {
    throw new KeywardError('forbidden', { detail: 'Cross-site requests cannot change API keys.' });
  };
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    // A same-site sibling (another subdomain) is cross-origin too, unless explicitly trusted.
    if (!(origin && trusted.has(origin))) refuse();
  }
  if (origin === undefined) return;
  if (trusted.has(origin)) return;
  if (!sameHost(origin, req)) refuse();
}

/**
 * Whether `origin` names the host the request was sent to (default ports normalised). The
 * scheme may differ one way only: an `https` page posting to a request that reached us over
 * plain HTTP is a TLS-terminating proxy; an `http` page posting over TLS is a downgrade.
 */
function sameHost(origin: string, req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (origin === 'null' || !host) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    if (from.protocol === 'http:' && (req.socket as { encrypted?: boolean }).encrypted)
      return false;
    return new URL(`${from.protocol}//${host}`).host === from.host;
  } catch {
    return false;
  }
}

const MAX_BODY = 16 * 1024;

/**
 * The JSON body of a mutation: what a body parser already put on `req.body`, or read here
 * (at most 16 KB). No body is `{}`; anything but a JSON object is refused.
 */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new KeywardError('unsupported_media_type', {
      detail: 'Send admin API mutations as application/json (an empty object is fine).',
    });
  }
  const parsed = (req as { body?: unknown }).body;
  let value: unknown = parsed;
  if (
    parsed === undefined ||
    (typeof parsed === 'object' &&
      parsed !== null &&
      !req.readableEnded &&
      Object.keys(parsed).length === 0)
  ) {
    const text = await readText(req);
    if (text.trim() === '') return {};
    try {
      value = JSON.parse(text);
    } catch {
      throw new KeywardError('malformed_body', { detail: 'The request body is not valid JSON.' });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KeywardError('bad_request', { detail: 'The request body must be a JSON object.' });
  }
  return value as Record<string, unknown>;
}

function readText(req: IncomingMessage): Promise<string> {
  if (req.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(
          new KeywardError('payload_too_large', {
            detail: 'Admin API bodies are limited to 16 KB.',
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () =>
      reject(new KeywardError('malformed_body', { detail: 'The request body could not be read.' })),
    );
  });
}

/** Sends a JSON answer. */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Sends an HTML page. */
export function sendHtml(req: IncomingMessage, res: ServerResponse, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The mount path: what the host's router stripped from `req.url` (`/admin/api-keys`), or ''. */
export function mountPath(req: IncomingMessage, path: string): string {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  if (typeof original !== 'string') return '';
  const full = original.split('?')[0] ?? '';
  const rel = path === '/' && !full.endsWith('/') ? '' : path;
  return full.endsWith(rel) ? full.slice(0, full.length - rel.length).replace(/\/+$/, '') : '';
}
