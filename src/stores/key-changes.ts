import type { KeyStore } from './key-store.js';

/** What changed, so lookup caches can drop exactly the affected entries. */
export interface KeyChange {
  /** Digests whose cached lookups are stale (current and previous secrets). */
  hashes?: readonly string[];
  /** A team whose cached record is stale. */
  teamId?: string;
  /** The key that changed, for listeners that track ids. */
  keyId?: string;
}

/** Receives changes made to a store through keyward. */
export type KeyChangeListener = (change: KeyChange) => void;

// Keyed by the store object and shared through a global symbol, so the CJS and ESM builds
// (or two copies of keyward) loaded in one process still see each other's changes.
const REGISTRY_KEY = Symbol.for('keyward.keyChangeListeners');
type Registry = WeakMap<object, Set<KeyChangeListener>>;
const holder = globalThis as { [REGISTRY_KEY]?: Registry };
const registry: Registry = (holder[REGISTRY_KEY] ??= new WeakMap());

/**
 * Subscribes to changes made to `store` through `KeyManager` (and `saveTeam` of the bundled
 * stores). `apiKeyAuth` uses it to drop cache entries at once; cross-instance invalidation
 * (e.g. Redis pub/sub) calls {@link notifyKeyChange} when a message arrives.
 * Returns the unsubscribe function.
 */
export function onKeyChange(store: KeyStore, listener: KeyChangeListener): () => void {
  let set = registry.get(store);
  if (!set) registry.set(store, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Tells every listener of `store` that `change` happened. Listeners must not throw: keyward's
 * own only drop cache entries, and a publisher handles its own I/O errors.
 */
export function notifyKeyChange(store: KeyStore, change: KeyChange): void {
  const set = registry.get(store);
  if (!set) return;
  for (const listener of set) listener(change);
}
