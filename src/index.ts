/**
 * keyward — the API-key model of commercial API platforms as Express/Connect middleware.
 * @packageDocumentation
 */
export * from './types.js';
export { ERROR_CATALOG, isErrorCode, type ErrorCode } from './errors/catalog.js';
export { KeywardError, isKeywardError, type KeywardErrorOptions } from './errors/keyward-error.js';
export {
  DEFAULT_TYPE_BASE,
  type ErrorFormat,
  type ErrorFormatter,
  type ErrorResponse,
} from './errors/render.js';
export { problemHandler, type ProblemHandlerOptions } from './errors/problem-handler.js';
export type { KeywardEvent, KeyEventType, EventListener } from './events.js';

export { apiKeyAuth } from './auth/api-key-auth.js';
export type { ApiKeyAuthOptions } from './auth/options.js';
export type { KeySource } from './auth/sources.js';
export type { CacheOptions } from './auth/lookup-cache.js';
export { publicOnly, type AccessOptions } from './access/public-only.js';
export { requireScope, requireFeature } from './access/require.js';
export type { EndpointMatcher } from './http/endpoint.js';

export { KeyManager, DEFAULT_ROTATION_GRACE_MS } from './keys/manager.js';
export type { KeyManagerOptions, CreateKeyInput, IssuedKey } from './keys/manager.js';
export { keyDisplayStatus } from './keys/status.js';
export type { Pepper } from './keys/digest.js';

export type { KeyStore, KeyAdminStore, KeyListFilter, KeyPatch } from './stores/key-store.js';
export type {
  CounterStore,
  CounterSpec,
  CounterResult,
  ConsumeResult,
  FailurePolicy,
  FailureResult,
  CounterCallOptions,
} from './stores/counter-store.js';
export { MemoryKeyStore } from './stores/memory-key-store.js';
export { MemoryCounterStore } from './stores/memory-counter-store.js';
export {
  onKeyChange,
  notifyKeyChange,
  type KeyChange,
  type KeyChangeListener,
} from './stores/key-changes.js';
export {
  rateLimit,
  keyMonthlyCounter,
  utcMonth,
  type RateLimitOptions,
  type PlanLimits,
} from './rate-limit/index.js';
export {
  requestGuard,
  inspect,
  VIOLATION_CATEGORIES,
  type RequestGuardOptions,
  type GuardExemption,
  type InspectOptions,
  type InspectionResult,
  type Violation,
  type ViolationCategory,
} from './guard/index.js';
