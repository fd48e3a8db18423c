import type {
  ConsumeResult,
  CounterResult,
  CounterSpec,
  CounterStore,
  FailurePolicy,
  FailureResult,
} from './counter-store.js';
import { SlidingLog } from './sliding-log.js';

interface Windowed {
  /** When the entry can be dropped (ms since epoch). */
  expiresAt: number;
}
interface SlidingEntry extends Windowed {
  log: SlidingLog;
}
interface FixedEntry extends Windowed {
  count: number;
}
interface DistinctEntry extends Windowed {
  members: Set<string>;
}

/** How many idle entries one call inspects for eviction; keeps eviction O(1) amortised. */
const SWEEP_PER_CALL = 4;
const INITIAL_SLOTS = 8;

/**
 * An expiring map whose iteration order is "least recently written first", so idle entries
 * are found at the front and evicted a few at a time on each write — no timers, bounded memory.
 */
class ExpiringMap<V extends Windowed> {
  readonly map = new Map<string, V>();

  get(key: string, now: number): V | undefined {
    const entry = this.map.get(key);
    if (entry && entry.expiresAt <= now) {
      this.map.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Marks `key` as just written (moves it to the back). */
  touch(key: string, entry: V, now: number): void {
    this.map.delete(key);
    this.map.set(key, entry);
    this.sweep(now);
  }

  sweep(now: number): void {
    let n = 0;
    for (const [key, entry] of this.map) {
      if (n++ >= SWEEP_PER_CALL || entry.expiresAt > now) break;
      this.map.delete(key);
    }
  }
}

/**
 * Synchronous access to a {@link MemoryCounterStore} for keyward's own middlewares: with the
 * store in the same process they answer without a promise and a microtask turn per request.
 * Same semantics as the store's methods; not exported from the package.
 */
export const memoryCounters = {} as {
  /** `blockedUntil`, synchronously. */
  blockedUntil(store: MemoryCounterStore, key: string, now: number): number | null;
  /** Whether any block is recorded at all (expired ones included): if not, no IP can be blocked. */
  mayHaveBlocks(store: MemoryCounterStore): boolean;
  /** `consume`, synchronously. */
  consume(store: MemoryCounterStore, specs: readonly CounterSpec[], now: number): ConsumeResult;
};

/**
 * In-process {@link CounterStore}: the zero-configuration default. Exact sliding windows,
 * calendar windows, distinct members and failure blocks, each call atomic (it runs to
 * completion synchronously). Per-process only: use `RedisCounterStore` for several instances.
 *
 * Memory: a sliding counter costs ~8 bytes per admitted hit in its window (up to its limit)
 * plus ~200 bytes of bookkeeping; idle entries are evicted as later calls pass by.
 *
 * @example
 * ```ts
 * const counters = new MemoryCounterStore();
 * app.use(apiKeyAuth(keys, { counters }), rateLimit(counters));
 * ```
 */
export class MemoryCounterStore implements CounterStore {
  readonly #sliding = new ExpiringMap<SlidingEntry>();
  readonly #fixed = new ExpiringMap<FixedEntry>();
  readonly #distinct = new ExpiringMap<DistinctEntry>();
  readonly #failures = new ExpiringMap<SlidingEntry>();
  readonly #blocks = new ExpiringMap<Windowed>();

  static {
    memoryCounters.blockedUntil = (store, key, now) =>
      store.#blocks.get(key, now)?.expiresAt ?? null;
    memoryCounters.mayHaveBlocks = (store) => store.#blocks.map.size > 0;
    memoryCounters.consume = (store, specs, now) => store.#consume(specs, now);
  }

  /** {@inheritDoc CounterStore.consume} */
  consume(specs: readonly CounterSpec[], now: number): Promise<ConsumeResult> {
    return Promise.resolve(this.#consume(specs, now));
  }

  #consume(specs: readonly CounterSpec[], now: number): ConsumeResult {
    const counters: CounterResult[] = [];
    let allowed = true;
    for (const spec of specs) {
      const counter = this.#read(spec, now);
      if (!counter.allowed) allowed = false;
      counters.push(counter);
    }
    if (allowed)
      for (let i = 0; i < specs.length; i++)
        this.#hit(specs[i] as CounterSpec, now, counters[i] as CounterResult);
    return { allowed, counters };
  }

  /** {@inheritDoc CounterStore.peek} */
  peek(specs: readonly CounterSpec[], now: number): Promise<CounterResult[]> {
    return Promise.resolve(specs.map((spec) => this.#read(spec, now)));
  }

  /** {@inheritDoc CounterStore.recordFailure} */
  recordFailure(key: string, policy: FailurePolicy, now: number): Promise<FailureResult> {
    const block = this.#blocks.get(key, now);
    if (block) {
      return Promise.resolve({
        failures: policy.maxFailures,
        blockedUntil: block.expiresAt,
        blockedNow: false,
      });
    }
    let entry = this.#failures.get(key, now);
    if (!entry)
      entry = { log: new SlidingLog(Math.min(policy.maxFailures, INITIAL_SLOTS)), expiresAt: 0 };
    entry.log.prune(now, policy.windowMs);
    entry.log.push(now, policy.maxFailures);
    entry.expiresAt = now + policy.windowMs;
    const failures = entry.log.size;
    if (failures >= policy.maxFailures) {
      this.#failures.map.delete(key);
      const blockedUntil = now + policy.blockMs;
      this.#blocks.touch(key, { expiresAt: blockedUntil }, now);
      return Promise.resolve({ failures, blockedUntil, blockedNow: true });
    }
    this.#failures.touch(key, entry, now);
    return Promise.resolve({ failures, blockedUntil: null, blockedNow: false });
  }

  /** {@inheritDoc CounterStore.blockedUntil} */
  blockedUntil(key: string, now: number): Promise<number | null> {
    return Promise.resolve(memoryCounters.blockedUntil(this, key, now));
  }

  /** {@inheritDoc CounterStore.resetFailures} */
  resetFailures(key: string): Promise<void> {
    this.#failures.map.delete(key);
    this.#blocks.map.delete(key);
    return Promise.resolve();
  }

  /** Number of live entries per kind (for tests and memory reports). */
  stats(): { sliding: number; fixed: number; distinct: number; failures: number; blocks: number } {
    return {
      sliding: this.#sliding.map.size,
      fixed: this.#fixed.map.size,
      distinct: this.#distinct.map.size,
      failures: this.#failures.map.size,
      blocks: this.#blocks.map.size,
    };
  }

  /** Evicts every expired entry now (normally done a few at a time by later calls). */
  sweep(now: number): void {
    for (const m of [this.#sliding, this.#fixed, this.#distinct, this.#failures, this.#blocks]) {
      for (const [key, entry] of m.map) if (entry.expiresAt <= now) m.map.delete(key);
    }
  }

  #read(spec: CounterSpec, now: number): CounterResult {
    switch (spec.kind) {
      case 'sliding': {
        const entry = this.#sliding.get(spec.key, now);
        entry?.log.prune(now, spec.windowMs);
        const used = entry?.log.size ?? 0;
        const oldest = entry?.log.oldest;
        return result(
          spec,
          used < spec.limit,
          used,
          oldest === undefined ? now + spec.windowMs : oldest + spec.windowMs,
        );
      }
      case 'fixed': {
        const used = this.#fixed.get(spec.key, now)?.count ?? 0;
        return result(spec, used < spec.limit, used, spec.resetAt);
      }
      case 'distinct': {
        const members = this.#distinct.get(spec.key, now)?.members;
        const used = members?.size ?? 0;
        const known = members?.has(spec.member) ?? false;
        return result(spec, known || used < spec.limit, used, spec.resetAt);
      }
    }
  }

  #hit(spec: CounterSpec, now: number, counter: CounterResult): void {
    switch (spec.kind) {
      case 'sliding': {
        let entry = this.#sliding.get(spec.key, now);
        if (!entry)
          entry = { log: new SlidingLog(Math.min(spec.limit, INITIAL_SLOTS)), expiresAt: 0 };
        entry.log.push(now, spec.limit);
        entry.expiresAt = now + spec.windowMs;
        this.#sliding.touch(spec.key, entry, now);
        counter.used = entry.log.size;
        counter.resetAt = (entry.log.oldest ?? now) + spec.windowMs;
        break;
      }
      case 'fixed': {
        const entry = this.#fixed.get(spec.key, now) ?? { count: 0, expiresAt: spec.resetAt };
        entry.count++;
        this.#fixed.touch(spec.key, entry, now);
        counter.used = entry.count;
        break;
      }
      case 'distinct': {
        const entry = this.#distinct.get(spec.key, now) ?? {
          members: new Set<string>(),
          expiresAt: spec.resetAt,
        };
        entry.members.add(spec.member);
        this.#distinct.touch(spec.key, entry, now);
        counter.used = entry.members.size;
        break;
      }
    }
    counter.remaining = Math.max(0, counter.limit - counter.used);
  }
}

function result(spec: CounterSpec, allowed: boolean, used: number, resetAt: number): CounterResult {
  return {
    key: spec.key,
    kind: spec.kind,
    allowed,
    limit: spec.limit,
    used,
    remaining: Math.max(0, spec.limit - used),
    resetAt,
  };
}
