/**
 * keyward/redis — Redis adapters for apps running on several instances: the counter store and
 * cross-instance invalidation of key lookups. ioredis is an optional peer dependency, imported
 * here only for its types.
 * @packageDocumentation
 */
export { RedisCounterStore, type RedisCounterStoreOptions } from './redis-counter-store.js';
export type { RedisClient } from './script-runner.js';
export {
  redisKeyInvalidation,
  type RedisKeyInvalidationOptions,
  type KeyInvalidationHandle,
} from './invalidation.js';
