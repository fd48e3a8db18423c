import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * The ioredis client (or cluster) a Redis adapter talks through; only `call` is used, so a
 * wrapper (metrics, tracing) can stand in for it.
 *
 * @example
 * ```ts
 * const client: RedisClient = new Redis(url); // or new Cluster([...])
 * ```
 */
export type RedisClient = Pick<Redis | Cluster, 'call'>;

/**
 * One Lua script: `EVALSHA` by its SHA-1 (computed locally, so nothing has to be loaded
 * first), falling back to `EVAL` — which also caches it — when the server answers `NOSCRIPT`
 * (a restarted server, a failover, a cluster node that never saw `SCRIPT LOAD`).
 */
export class RedisScript {
  readonly sha: string;

  constructor(
    private readonly client: RedisClient,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** `SCRIPT LOAD`, so the first calls already hit by SHA. */
  async load(): Promise<void> {
    await this.client.call('SCRIPT', 'LOAD', this.source);
  }

  async run(keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await this.client.call('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.client.call('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}
