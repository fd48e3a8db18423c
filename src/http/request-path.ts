import type { KeywardRequest } from '../types.js';

/** The full original path (mount path included), without the query string. */
export function originalPath(req: KeywardRequest): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The raw query string (without `?`), or an empty string. */
export function rawQuery(req: KeywardRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}
