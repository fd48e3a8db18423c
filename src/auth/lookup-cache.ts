import { LRUCache } from 'lru-cache';
import type { ApiKeyRecord, Clock, Team } from '../types.js';

/** Lookup cache settings of `apiKeyAuth`. */
export interface CacheOptions {
  /** Most keys (and, separately, teams) kept. @defaultValue 10000 */
  max?: number;
  /** How long a found key or team is trusted. @defaultValue 30000 */
  ttlMs?: number;
  /** How long "no such key" is remembered (kept apart so misses never evict hits). @defaultValue 5000 */
  negativeTtlMs?: number;
}

const MISS = Symbol('miss');

/**
 * Positive and negative lookups by digest, plus teams by id, on lru-cache with TTLs driven by
 * the component's clock. Changes made through `KeyManager` delete entries at once.
 */
export class LookupCache {
  readonly #keys: LRUCache<string, ApiKeyRecord>;
  readonly #misses: LRUCache<string, typeof MISS>;
  readonly #teams: LRUCache<string, Team | typeof MISS>;

  constructor(options: Required<CacheOptions>, clock: Clock) {
    const perf = { now: clock };
    this.#keys = new LRUCache({ max: options.max, ttl: options.ttlMs, perf, ttlResolution: 0 });
    this.#misses = new LRUCache({
      max: Math.max(1, Math.ceil(options.max / 4)),
      ttl: options.negativeTtlMs,
      perf,
      ttlResolution: 0,
    });
    this.#teams = new LRUCache({ max: options.max, ttl: options.ttlMs, perf, ttlResolution: 0 });
  }

  /** The cached record, `null` for a cached miss, `undefined` when not cached. */
  getKey(hash: string): ApiKeyRecord | null | undefined {
    const hit = this.#keys.get(hash);
    if (hit) return hit;
    return this.#misses.has(hash) ? null : undefined;
  }

  setKey(hash: string, record: ApiKeyRecord | null): void {
    if (record) this.#keys.set(hash, record);
    else this.#misses.set(hash, MISS);
  }

  /** The cached team, `null` for a cached miss, `undefined` when not cached. */
  getTeam(teamId: string): Team | null | undefined {
    const hit = this.#teams.get(teamId);
    return hit === MISS ? null : hit;
  }

  setTeam(teamId: string, team: Team | null): void {
    this.#teams.set(teamId, team ?? MISS);
  }

  invalidate(change: {
    hashes?: readonly string[] | undefined;
    teamId?: string | undefined;
  }): void {
    for (const hash of change.hashes ?? []) {
      this.#keys.delete(hash);
      this.#misses.delete(hash);
    }
    if (change.teamId !== undefined) this.#teams.delete(change.teamId);
  }
}
