import type {
  ConsumeResult,
  CounterCallOptions,
  CounterResult,
  CounterSpec,
  CounterStore,
  FailurePolicy,
  FailureResult,
} from '../stores/counter-store.js';
import { checkOptions } from '../util/options.js';
import { CONSUME_SCRIPT, FAILURE_SCRIPT } from './scripts.js';
import { RedisScript, type RedisClient } from './script-runner.js';

/**
 * Options of {@link RedisCounterStore}.
 *
 * @example
 * ```ts
 * const options: RedisCounterStoreOptions = { client: new Redis(url, { commandTimeout: 500, maxRetriesPerRequest: 1 }), prefix: 'myapi:' };
 * ```
 */
export interface RedisCounterStoreOptions {
  /**
   * An ioredis `Redis` or `Cluster`. Make it fail fast, so a dead server costs a request a
   * bounded wait instead of a queue: `commandTimeout: 500, maxRetriesPerRequest: 1`.
   */
  client: RedisClient;
  /** Prepended to every key; must not contain `{` or `}`. @defaultValue `'keyward:'` */
  prefix?: string;
}

/**
 * Slack added to every TTL: the key outlives its logical window a little, so instances whose
 * clocks differ slightly never lose a counter early. Correctness never depends on the TTL —
 * the scripts compare stored times with the caller's `now` — it only bounds memory.
 */
const TTL_SLACK_MS = 1000;
const KINDS = { sliding: 's', fixed: 'f', distinct: 'd' } as const;

/**
 * {@link CounterStore} on Redis, for apps running on several instances: every operation is one
 * round trip (one Lua script, or one plain command), atomic for any number of instances.
 *
 * - Sliding windows are exact: a sorted set of admitted hits, the window at `now` being
 *   (now − windowMs, now]; refused calls add nothing.
 * - Fixed (calendar) and distinct counters keep their window end inside the key, so a new
 *   window starts when the caller's clock passes it, whatever Redis's own clock says.
 * - Brute-force failures use the same sliding log plus a block key. rate-limiter-flexible's
 *   `RateLimiterRedis` was considered and not used: its windows are fixed (a burst across a
 *   boundary gets 2× the failures), it reads Redis's clock instead of the caller's `now`, and a
 *   refused consume still increments — none of which is this contract.
 *
 * Keys look like `<prefix>{<scope>}:<kind>:<key>`: the hash tag is the call's
 * `options.scope` (keyward passes the team id), so a Redis Cluster keeps one call's keys in
 * one slot; calls without a scope share the tag `_`. Failure keys are tagged by their own key.
 * Every key written carries a TTL (window + 1 s slack), so nothing grows without bound.
 * Timestamps are whole milliseconds.
 *
 * Failures reject (never hang longer than the client's `commandTimeout`); `apiKeyAuth` and
 * `rateLimit` apply their `onStoreError` policy and recover by themselves when Redis returns.
 * The store never attaches listeners to the client: give it an `error` listener yourself.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisCounterStore } from 'keyward/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 500, maxRetriesPerRequest: 1 });
 * redis.on('error', (err) => log.warn({ err }, 'redis'));
 * const counters = new RedisCounterStore({ client: redis, prefix: 'myapi:' });
 * await counters.init();
 * app.use('/v1', apiKeyAuth(keys, { counters }), rateLimit(counters));
 * ```
 */
export class RedisCounterStore implements CounterStore {
  readonly #prefix: string;
  readonly #consume: RedisScript;
  readonly #failure: RedisScript;
  readonly #client: RedisClient;

  constructor(options: RedisCounterStoreOptions) {
    const o = checkOptions<RedisCounterStoreOptions>('RedisCounterStore', options, [
      'client',
      'prefix',
    ]);
    if (!o.client || typeof (o.client as { call?: unknown }).call !== 'function') {
      throw new TypeError(
        'RedisCounterStore: `client` must be an ioredis client, e.g. new Redis(url), received ' +
          typeof o.client +
          '.',
      );
    }
    const prefix = o.prefix ?? 'keyward:';
    if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
      throw new TypeError(
        `RedisCounterStore: \`prefix\` must be a string without "{" or "}" (they are Redis Cluster hash tags), received ${JSON.stringify(prefix)}.`,
      );
    }
    this.#prefix = prefix;
    this.#client = o.client;
    this.#consume = new RedisScript(o.client, CONSUME_SCRIPT);
    this.#failure = new RedisScript(o.client, FAILURE_SCRIPT);
  }

  /** Loads the scripts (`SCRIPT LOAD`). Optional: a missing script is loaded on first use. */
  async init(): Promise<void> {
    await this.#consume.load();
    await this.#failure.load();
  }

  /** {@inheritDoc CounterStore.consume} */
  async consume(
    specs: readonly CounterSpec[],
    now: number,
    options?: CounterCallOptions,
  ): Promise<ConsumeResult> {
    const { allowed, counters } = await this.#run(specs, now, true, options);
    return { allowed, counters };
  }

  /** {@inheritDoc CounterStore.peek} */
  async peek(
    specs: readonly CounterSpec[],
    now: number,
    options?: CounterCallOptions,
  ): Promise<CounterResult[]> {
    return (await this.#run(specs, now, false, options)).counters;
  }

  /** {@inheritDoc CounterStore.recordFailure} */
  async recordFailure(key: string, policy: FailurePolicy, now: number): Promise<FailureResult> {
    const k = this.#failureKeys(key);
    const blockEnd = now + policy.blockMs;
    const reply = await this.#failure.run(
      [k.failures, k.sequence, k.block],
      [
        String(now),
        String(now - policy.windowMs),
        String(policy.maxFailures),
        ttl(policy.windowMs),
        String(blockEnd),
        ttl(policy.blockMs),
      ],
    );
    const [count, until, placed] = asArray(reply, 3);
    const blockedUntil = until === '' || until === null ? null : Number(until);
    return {
      failures: Number(count) < 0 ? policy.maxFailures : Number(count),
      blockedUntil,
      blockedNow: Number(placed) === 1,
    };
  }

  /** {@inheritDoc CounterStore.blockedUntil} */
  async blockedUntil(key: string, now: number): Promise<number | null> {
    const value = await this.#client.call('GET', this.#failureKeys(key).block);
    const until = typeof value === 'string' ? Number(value) : NaN;
    return until > now ? until : null;
  }

  /** {@inheritDoc CounterStore.resetFailures} */
  async resetFailures(key: string): Promise<void> {
    const k = this.#failureKeys(key);
    await this.#client.call('DEL', k.failures, k.sequence, k.block);
  }

  async #run(
    specs: readonly CounterSpec[],
    now: number,
    write: boolean,
    options?: CounterCallOptions,
  ): Promise<ConsumeResult> {
    if (specs.length === 0) return { allowed: true, counters: [] };
    const tag = `${this.#prefix}{${options?.scope || '_'}}:`;
    const keys: string[] = [];
    const args: string[] = [write ? '1' : '0', String(now)];
    for (const spec of specs) {
      const kind = KINDS[spec.kind];
      keys.push(`${tag}${kind}:${spec.key}`, `${tag}${kind}n:${spec.key}`);
      const limit = Number.isFinite(spec.limit) ? String(spec.limit) : '-1';
      switch (spec.kind) {
        case 'sliding':
          args.push(kind, limit, String(now - spec.windowMs), ttl(spec.windowMs), '');
          break;
        case 'fixed':
          args.push(kind, limit, String(spec.resetAt), ttl(spec.resetAt - now), '');
          break;
        case 'distinct':
          args.push(kind, limit, String(spec.resetAt), ttl(spec.resetAt - now), spec.member);
          break;
      }
    }
    const reply = asArray(await this.#consume.run(keys, args), 1 + specs.length * 3);
    const counters = specs.map((spec, i): CounterResult => {
      const used = Number(reply[2 + i * 3]);
      const oldest = reply[3 + i * 3];
      const resetAt =
        spec.kind !== 'sliding'
          ? spec.resetAt
          : oldest === '' || oldest == null
            ? now + spec.windowMs
            : Number(oldest) + spec.windowMs;
      return {
        key: spec.key,
        kind: spec.kind,
        allowed: Number(reply[1 + i * 3]) === 1,
        limit: spec.limit,
        used,
        remaining: Math.max(0, spec.limit - used),
        resetAt,
      };
    });
    return { allowed: Number(reply[0]) === 1, counters };
  }

  #failureKeys(key: string): { failures: string; sequence: string; block: string } {
    const tag = `${this.#prefix}{${key || '_'}}:`;
    return { failures: `${tag}bf`, sequence: `${tag}bfn`, block: `${tag}bb` };
  }
}

/** A PEXPIRE argument: the logical lifetime plus slack, at least 1 ms. */
function ttl(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)) + TTL_SLACK_MS);
}

function asArray(reply: unknown, length: number): unknown[] {
  if (!Array.isArray(reply) || reply.length !== length) {
    throw new Error(`RedisCounterStore: unexpected script reply (expected ${length} items).`);
  }
  return reply as unknown[];
}
