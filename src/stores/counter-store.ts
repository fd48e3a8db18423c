/**
 * One counter of a {@link CounterStore.consume} call. Keys are opaque to the store; keyward
 * builds them (`rl:key:<id>:minute`, `rl:team:<id>:month:2026-11`, …).
 */
export type CounterSpec =
  | {
      /** At most `limit` hits in any sliding window of `windowMs`: the window at `now` is (now − windowMs, now]. */
      kind: 'sliding';
      key: string;
      limit: number;
      windowMs: number;
    }
  | {
      /** At most `limit` hits until `resetAt`; the key names the window (e.g. the month). */
      kind: 'fixed';
      key: string;
      limit: number;
      /** End of the window, ms since epoch. The store may drop the counter after it. */
      resetAt: number;
    }
  | {
      /**
       * At most `limit` distinct members until `resetAt`. A known member always passes and
       * consumes nothing; a new one is admitted (and recorded) only while there is room.
       */
      kind: 'distinct';
      key: string;
      limit: number;
      member: string;
      resetAt: number;
    };

/** The state of one counter after a `consume` or `peek`. */
export interface CounterResult {
  key: string;
  kind: CounterSpec['kind'];
  /** Whether this counter had room (for `peek`: whether one more hit would pass). */
  allowed: boolean;
  limit: number;
  /** Hits in the window after this call (a refused call adds nothing). */
  used: number;
  /** `limit − used`, never below 0. */
  remaining: number;
  /**
   * When the counter next gains room, ms since epoch: for a sliding window the moment its
   * oldest hit leaves the window (`now + windowMs` when empty); otherwise the window's end.
   */
  resetAt: number;
}

/** The answer of {@link CounterStore.consume}: all counters pass, or nothing is consumed. */
export interface ConsumeResult {
  allowed: boolean;
  /** One result per spec, in the order given. */
  counters: CounterResult[];
}

/** Brute-force policy of {@link CounterStore.recordFailure}. */
export interface FailurePolicy {
  /** Failures within `windowMs` that trigger a block. */
  maxFailures: number;
  /** Sliding window over which failures count. */
  windowMs: number;
  /** How long the block lasts. */
  blockMs: number;
}

/** The answer of {@link CounterStore.recordFailure}. */
export interface FailureResult {
  /** Failures in the window, this one included. */
  failures: number;
  /** End of the block (ms since epoch) when this failure placed one, or one was in force. */
  blockedUntil: number | null;
  /** True only for the failure that placed the block. */
  blockedNow: boolean;
}

/** Options of one counter call. */
export interface CounterCallOptions {
  /**
   * A shard hint: every call that touches the same counter passes the same scope (keyward
   * uses the team id), so a clustered store can keep one call's keys on one node.
   */
  scope?: string;
}

/**
 * Atomic counting for rate limits and brute-force protection. Every method is one atomic
 * operation in the datastore (one Lua script, one SQL statement, one synchronous step), so any
 * number of app instances sharing the store see one truth. `now` always comes from the
 * caller's clock. Implementations must put an expiry on everything they write.
 *
 * keyward ships `MemoryCounterStore` and `RedisCounterStore` (`keyward/redis`).
 */
export interface CounterStore {
  /**
   * Checks every counter and, only when all have room, records one hit in each — all or
   * nothing. A refused call records nothing anywhere.
   */
  consume(
    specs: readonly CounterSpec[],
    now: number,
    options?: CounterCallOptions,
  ): Promise<ConsumeResult>;
  /** Reads counters without consuming anything (for usage displays and headers). */
  peek(
    specs: readonly CounterSpec[],
    now: number,
    options?: CounterCallOptions,
  ): Promise<CounterResult[]>;
  /** Counts one failure for `key`; places a block of `blockMs` when `maxFailures` is reached. */
  recordFailure(key: string, policy: FailurePolicy, now: number): Promise<FailureResult>;
  /** End of the block in force for `key` (ms since epoch), or `null`. */
  blockedUntil(key: string, now: number): Promise<number | null>;
  /** Forgets the failures and any block of `key` (an administrator's unblock). */
  resetFailures(key: string): Promise<void>;
  /** Connects or loads scripts; awaited once before use when present. */
  init?(): Promise<void>;
  /** Releases timers and connections the store owns. */
  close?(): Promise<void>;
}
