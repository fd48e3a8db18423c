import type { ErrorCode } from './errors/catalog.js';
import type { Environment } from './types.js';

interface EventBase {
  /** When it happened, by the component's clock. */
  at: Date;
}

/** Lifecycle events `KeyManager` emits. */
export type KeyEventType =
  | 'key.created'
  | 'key.revoked'
  | 'key.restored'
  | 'key.regenerated'
  | 'key.rotated'
  | 'key.blocked'
  | 'key.unblocked';

/** Events keyward emits through `onEvent`. None ever carries a secret or a request payload. */
export type KeywardEvent =
  | (EventBase & {
      type: 'auth.succeeded';
      requestId: string;
      keyId: string;
      teamId: string;
      environment: Environment;
      ip: string;
    })
  | (EventBase & {
      type: 'auth.failed';
      requestId: string;
      code: ErrorCode;
      ip: string;
      /** Present when the key was recognised (blocked, expired, other environment, …). */
      keyId?: string;
      teamId?: string;
    })
  | (EventBase & { type: 'ip.blocked'; ip: string; until: Date; failures: number })
  | (EventBase & {
      type: 'rate.limited';
      requestId: string;
      ip: string;
      keyId?: string;
      teamId?: string;
      /** The first exhausted limit (`per_minute`, `monthly`, …). */
      limit: string;
      retryAfter: number;
    })
  | (EventBase & {
      type: 'request.blocked';
      requestId: string;
      ip: string;
      violations: ReadonlyArray<{ category: string; location: string }>;
    })
  | (EventBase & { type: KeyEventType; keyId: string; teamId: string })
  | (EventBase & {
      type: 'store.error';
      store: 'keys' | 'counters';
      operation: string;
      /** What the component did about it. */
      policy: 'fail-closed' | 'fail-open';
      /** The error's class and code only (e.g. `Error ECONNREFUSED`, `timeout`): never its message. */
      error: string;
    })
  | (EventBase & { type: 'store.recovered'; store: 'keys' | 'counters' });

/** Receives keyward's events. Must not throw; a returned promise's rejection is ignored. */
export type EventListener = (event: KeywardEvent) => void | Promise<void>;

/** Calls `listener` without ever letting it break the request that emitted the event. */
export function emitter(listener: EventListener | undefined): (event: KeywardEvent) => void {
  if (!listener) return () => undefined;
  return (event) => {
    try {
      const out = listener(event);
      if (out && typeof out.then === 'function') out.then(undefined, () => undefined);
    } catch {
      // A host's logging bug must never fail or delay the request that triggered it.
    }
  };
}

/** Throws at construction when `onEvent` is present but not a function. */
export function validateOnEvent(where: string, value: unknown): EventListener | undefined {
  if (value === undefined || typeof value === 'function') return value as EventListener | undefined;
  throw new TypeError(
    `${where}: \`onEvent\` must be a function (event) => void, received ${typeof value}.`,
  );
}
