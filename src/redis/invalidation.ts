import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { notifyKeyChange, onKeyChange, type KeyChange } from '../stores/key-changes.js';
import type { KeyStore } from '../stores/key-store.js';
import { checkOptions } from '../util/options.js';

/**
 * Options of {@link redisKeyInvalidation}.
 *
 * @example
 * ```ts
 * const options: RedisKeyInvalidationOptions = { store: keys, publisher: redis, subscriber: redis.duplicate(), channel: 'myapi:key-changes' };
 * ```
 */
export interface RedisKeyInvalidationOptions {
  /** The key store whose changes travel (the same object given to `KeyManager` and `apiKeyAuth`). */
  store: KeyStore;
  /** A client that publishes. May be the client of `RedisCounterStore`. */
  publisher: Pick<Redis | Cluster, 'publish'>;
  /**
   * A client dedicated to this subscription (a subscribed ioredis connection can issue no
   * other command): e.g. `redis.duplicate()`.
   */
  subscriber: Pick<Redis | Cluster, 'subscribe' | 'unsubscribe' | 'on' | 'off'>;
  /** @defaultValue `'keyward:key-changes'` */
  channel?: string;
  /** Called when a publish fails; the cache TTL then bounds staleness on other instances. */
  onError?: (err: unknown) => void;
}

/**
 * A running invalidation; `close()` unsubscribes and stops publishing.
 *
 * @example
 * ```ts
 * const handle = await redisKeyInvalidation({ store: keys, publisher: redis, subscriber: redis.duplicate() });
 * process.on('SIGTERM', () => void handle.close());
 * ```
 */
export interface KeyInvalidationHandle {
  /** This instance's id, carried by its messages so it ignores its own echo. */
  readonly instanceId: string;
  close(): Promise<void>;
}

/** The wire format. Digests and ids only: never a secret. */
interface Message {
  v: 1;
  from: string;
  hashes?: string[];
  teamId?: string;
  keyId?: string;
}

const MAX_FIELD = 256;
const MAX_HASHES = 16;

/**
 * Cross-instance invalidation of `apiKeyAuth`'s lookup caches over Redis pub/sub: every change
 * made through `KeyManager` on this instance is published (digests and ids, never a secret),
 * and changes published by other instances are replayed locally, so a revoke, regenerate or
 * block takes effect everywhere at once. A message lost while Redis is unreachable is covered
 * by the cache TTL (`apiKeyAuth` `cache.ttlMs`), the fallback bound. Resolves once subscribed.
 *
 * @example
 * ```ts
 * const redis = new Redis(url);
 * const invalidation = await redisKeyInvalidation({ store: keys, publisher: redis, subscriber: redis.duplicate() });
 * // on shutdown
 * await invalidation.close();
 * ```
 */
export async function redisKeyInvalidation(
  options: RedisKeyInvalidationOptions,
): Promise<KeyInvalidationHandle> {
  const o = checkOptions<RedisKeyInvalidationOptions>('redisKeyInvalidation', options, [
    'store',
    'publisher',
    'subscriber',
    'channel',
    'onError',
  ]);
  if (!o.store || typeof o.store.findByHash !== 'function') {
    throw new TypeError(
      'redisKeyInvalidation: `store` must be the KeyStore given to apiKeyAuth and KeyManager.',
    );
  }
  if (!o.publisher || typeof o.publisher.publish !== 'function') {
    throw new TypeError(
      'redisKeyInvalidation: `publisher` must be an ioredis client, e.g. the counters client.',
    );
  }
  if (
    !o.subscriber ||
    typeof o.subscriber.subscribe !== 'function' ||
    (o.subscriber as unknown) === o.publisher
  ) {
    throw new TypeError(
      'redisKeyInvalidation: `subscriber` must be a dedicated ioredis client, e.g. redis.duplicate() — not the publisher.',
    );
  }
  const { store, publisher, subscriber } = o;
  const channel = o.channel ?? 'keyward:key-changes';
  const onError = o.onError ?? (() => {});
  const instanceId = randomUUID();
  // True while replaying a remote change, so our own listener does not publish it back.
  let replaying = false;

  const onMessage = (from: string, raw: string): void => {
    if (from !== channel) return;
    const change = parse(raw, instanceId);
    if (!change) return;
    replaying = true;
    try {
      notifyKeyChange(store, change);
    } finally {
      replaying = false;
    }
  };
  subscriber.on('message', onMessage);
  try {
    await subscriber.subscribe(channel);
  } catch (err) {
    subscriber.off('message', onMessage);
    throw err;
  }

  const unsubscribe = onKeyChange(store, (change) => {
    if (replaying) return;
    const message: Message = { v: 1, from: instanceId, ...pick(change) };
    publisher.publish(channel, JSON.stringify(message)).catch(onError);
  });

  let closed = false;
  return {
    instanceId,
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      subscriber.off('message', onMessage);
      await subscriber.unsubscribe(channel);
    },
  };
}

function pick(change: KeyChange): Omit<Message, 'v' | 'from'> {
  return {
    ...(change.hashes ? { hashes: [...change.hashes] } : {}),
    ...(change.teamId !== undefined ? { teamId: change.teamId } : {}),
    ...(change.keyId !== undefined ? { keyId: change.keyId } : {}),
  };
}

const isField = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD;

/** A change from another instance, or `null` for our own echo or anything malformed. */
function parse(raw: string, self: string): KeyChange | null {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { v, from, hashes, teamId, keyId } = m as Record<string, unknown>;
  if (v !== 1 || !isField(from) || from === self) return null;
  const change: KeyChange = {};
  if (Array.isArray(hashes) && hashes.length <= MAX_HASHES && hashes.every(isField))
    change.hashes = hashes;
  if (isField(teamId)) change.teamId = teamId;
  if (isField(keyId)) change.keyId = keyId;
  return change.hashes || change.teamId || change.keyId ? change : null;
}
