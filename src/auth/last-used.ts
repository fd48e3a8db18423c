import { LRUCache } from 'lru-cache';
import type { KeyStore } from '../stores/key-store.js';
import { clientIp } from '../http/client-ip.js';
import type { Clock, KeywardRequest } from '../types.js';

/**
 * Throttled, fire-and-forget last-used tracking: at most one `store.touch` per key per
 * interval; never awaited by the request, and a failing store only loses the update.
 */
export function lastUsedTracker(
  store: KeyStore,
  intervalMs: number,
  clock: Clock,
  onError: (err: unknown) => void,
): ((keyId: string, req: KeywardRequest) => void) | undefined {
  if (typeof store.touch !== 'function' || intervalMs === Infinity) return undefined;
  const touch = store.touch.bind(store);
  const lastTouch = new LRUCache<string, number>({ max: 100_000 });
  return (keyId, req) => {
    const now = clock();
    const previous = lastTouch.get(keyId);
    if (previous !== undefined && now - previous < intervalMs) return;
    lastTouch.set(keyId, now);
    // Worked out only when an update is due: `req.ip` is not free under Express.
    const ip = clientIp(req);
    // Started after the current tick so the request path never waits on it.
    setImmediate(() => {
      try {
        touch(keyId, new Date(now), ip).catch(onError);
      } catch (err) {
        onError(err);
      }
    });
  };
}
