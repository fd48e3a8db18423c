import { createHash } from 'node:crypto';
import { ADMIN_SCRIPT } from './script.js';
import { ADMIN_STYLE } from './style.js';

/**
 * The static files of the page: served from memory, cacheable for good (the URL carries a
 * version). A Map, so `constructor` or `__proto__` is no asset.
 */
export const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['admin.js', { type: 'text/javascript; charset=utf-8', body: ADMIN_SCRIPT }],
  ['admin.css', { type: 'text/css; charset=utf-8', body: ADMIN_STYLE }],
]);

/** Content hash of the assets, appended to their URLs so a new version is never served stale. */
export const ASSET_VERSION = createHash('sha256')
  .update(ADMIN_SCRIPT)
  .update(ADMIN_STYLE)
  .digest('hex')
  .slice(0, 12);
