import { randomBytes } from 'node:crypto';
import { KeywardError } from '../errors/keyward-error.js';
import {
  emitter,
  validateOnEvent,
  type EventListener,
  type KeyEventType,
  type KeywardEvent,
} from '../events.js';
import { notifyKeyChange } from '../stores/key-changes.js';
import type { KeyAdminStore, KeyListFilter, KeyPatch } from '../stores/key-store.js';
import type { ApiKeyRecord, Clock, Environment, KeyLimits } from '../types.js';
import { digestKey, validatePepper, type Pepper } from './digest.js';
import { DEFAULT_KEY_PREFIX, generateKey, validatePrefix } from './format.js';
import {
  normalizeDate,
  normalizeEnvironment,
  normalizeId,
  normalizeLimits,
  normalizeName,
  normalizeScopes,
} from './validate.js';

/** Options of {@link KeyManager}. Use the same `prefix` and `pepper` as `apiKeyAuth`. */
export interface KeyManagerOptions {
  /** Key prefix. @defaultValue `'kw'` */
  prefix?: string;
  /** Server-side secret for HMAC digests; must match `apiKeyAuth`'s. */
  pepper?: Pepper;
  /** @defaultValue `Date.now` */
  clock?: Clock;
  /** Receives `key.*` events (never secrets). */
  onEvent?: EventListener;
}

/** Input of {@link KeyManager.create}. */
export interface CreateKeyInput {
  teamId: string;
  name: string;
  environment: Environment;
  /** Array or comma-separated string. @defaultValue `[]` */
  scopes?: string[] | string;
  limits?: KeyLimits;
  validUntil?: Date | string | null;
  customerId?: string | null;
  metadata?: Record<string, unknown>;
}

/** A key with its plaintext secret: returned once by `create`, `regenerate` and `rotate`. */
export interface IssuedKey {
  /** The plaintext key. Show it once; keyward never stores it. */
  key: string;
  record: ApiKeyRecord;
}

/** Default rotation grace period: 24 hours. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * The key lifecycle over a {@link KeyAdminStore}: create, regenerate, rotate, revoke, restore,
 * block, unblock. Every change reaches the lookup caches of `apiKeyAuth` on this instance at
 * once (and others within their cache TTL, or at once with cross-instance invalidation).
 *
 * @example
 * ```ts
 * const manager = new KeyManager(store);
 * const { key, record } = await manager.create({ teamId: 't1', name: 'CI', environment: 'production', scopes: 'companies:read' });
 * console.log(key); // shown once
 * ```
 */
export class KeyManager {
  readonly #store: KeyAdminStore;
  readonly #prefix: string;
  readonly #pepper: Pepper | undefined;
  readonly #clock: Clock;
  readonly #emit: (event: KeywardEvent) => void;

  constructor(store: KeyAdminStore, options: KeyManagerOptions = {}) {
    if (!store || typeof store.insertKey !== 'function' || typeof store.updateKey !== 'function') {
      throw new TypeError(
        'KeyManager: the first argument must be a KeyAdminStore (e.g. new MemoryKeyStore()).',
      );
    }
    this.#store = store;
    this.#prefix = validatePrefix('KeyManager', options.prefix ?? DEFAULT_KEY_PREFIX);
    this.#pepper = validatePepper('KeyManager', options.pepper);
    this.#clock = options.clock ?? Date.now;
    this.#emit = emitter(validateOnEvent('KeyManager', options.onEvent));
  }

  /** Issues a new key. The plaintext is in the result and nowhere else. */
  async create(input: CreateKeyInput): Promise<IssuedKey> {
    if (!input || typeof input !== 'object')
      throw new KeywardError('bad_request', { detail: 'create() needs an input object.' });
    const environment = normalizeEnvironment(input.environment);
    const { key, displayPrefix } = generateKey(this.#prefix, environment);
    const limits = normalizeLimits(input.limits);
    const record: ApiKeyRecord = {
      id: `key_${randomBytes(12).toString('hex')}`,
      hash: digestKey(key, this.#pepper),
      prefix: displayPrefix,
      name: normalizeName(input.name),
      teamId: normalizeId('teamId', input.teamId),
      environment,
      scopes: normalizeScopes(input.scopes ?? []),
      customerId: input.customerId == null ? null : normalizeId('customerId', input.customerId),
      status: 'active',
      validUntil: normalizeDate('validUntil', input.validUntil) ?? null,
      blockedUntil: null,
      ...(limits ? { limits } : {}),
      createdAt: new Date(this.#clock()),
      lastUsedAt: null,
      lastUsedIp: null,
      previous: null,
      ...(input.metadata ? { metadata: structuredClone(input.metadata) } : {}),
    };
    await this.#store.insertKey(record);
    notifyKeyChange(this.#store, {
      hashes: [record.hash],
      keyId: record.id,
      teamId: record.teamId,
    });
    this.#event('key.created', record);
    return { key, record };
  }

  /** A new secret for the same key; the old secret (and any rotation's) stops working at once. */
  async regenerate(id: string): Promise<IssuedKey> {
    const current = await this.#require(id);
    const { key, displayPrefix } = generateKey(this.#prefix, current.environment);
    const record = await this.#update(
      current,
      { hash: digestKey(key, this.#pepper), prefix: displayPrefix, previous: null },
      'key.regenerated',
    );
    return { key, record };
  }

  /**
   * A new secret; the current one keeps working until `graceMs` has passed. A rotation still
   * in its grace period is cut short: only the newest previous secret is kept.
   */
  async rotate(id: string, options: { graceMs?: number } = {}): Promise<IssuedKey> {
    const graceMs = options.graceMs ?? DEFAULT_ROTATION_GRACE_MS;
    if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) {
      throw new KeywardError('bad_request', {
        detail: 'graceMs must be a non-negative number of milliseconds.',
        field: 'graceMs',
      });
    }
    const current = await this.#require(id);
    const { key, displayPrefix } = generateKey(this.#prefix, current.environment);
    const record = await this.#update(
      current,
      {
        hash: digestKey(key, this.#pepper),
        prefix: displayPrefix,
        previous: { hash: current.hash, expiresAt: new Date(this.#clock() + graceMs) },
      },
      'key.rotated',
    );
    return { key, record };
  }

  /** Revokes the key: every secret of it is refused from now on. History is kept. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    return this.#update(await this.#require(id), { status: 'revoked' }, 'key.revoked');
  }

  /** Undoes a revoke. */
  async restore(id: string): Promise<ApiKeyRecord> {
    return this.#update(await this.#require(id), { status: 'active' }, 'key.restored');
  }

  /** Blocks the key until `until` (403 `api_key_blocked` meanwhile). */
  async block(id: string, until: Date | string | number): Promise<ApiKeyRecord> {
    const date = normalizeDate('until', until);
    if (!date)
      throw new KeywardError('bad_request', {
        detail: 'block() needs the date the block ends.',
        field: 'until',
      });
    return this.#update(await this.#require(id), { blockedUntil: date }, 'key.blocked');
  }

  /** Lifts a block. */
  async unblock(id: string): Promise<ApiKeyRecord> {
    return this.#update(await this.#require(id), { blockedUntil: null }, 'key.unblocked');
  }

  /** Changes name, scopes, limits, expiry, customer or metadata. */
  async update(
    id: string,
    changes: Partial<
      Pick<CreateKeyInput, 'name' | 'scopes' | 'limits' | 'validUntil' | 'customerId' | 'metadata'>
    >,
  ): Promise<ApiKeyRecord> {
    const patch: KeyPatch = {};
    if (changes.name !== undefined) patch.name = normalizeName(changes.name);
    if (changes.scopes !== undefined) patch.scopes = normalizeScopes(changes.scopes);
    if (changes.limits !== undefined) patch.limits = normalizeLimits(changes.limits) ?? {};
    if (changes.validUntil !== undefined)
      patch.validUntil = normalizeDate('validUntil', changes.validUntil) ?? null;
    if (changes.customerId !== undefined)
      patch.customerId =
        changes.customerId === null ? null : normalizeId('customerId', changes.customerId);
    if (changes.metadata !== undefined) patch.metadata = structuredClone(changes.metadata);
    return this.#update(await this.#require(id), patch, undefined);
  }

  /** The key with this id, or `null`. */
  get(id: string): Promise<ApiKeyRecord | null> {
    return this.#store.getKey(id);
  }

  /** Keys of a team / environment / status, newest first. */
  list(filter: KeyListFilter = {}): Promise<ApiKeyRecord[]> {
    return this.#store.listKeys(filter);
  }

  async #require(id: string): Promise<ApiKeyRecord> {
    const record = typeof id === 'string' ? await this.#store.getKey(id) : null;
    if (!record) throw new KeywardError('not_found', { detail: 'No API key with this id.' });
    return record;
  }

  async #update(
    current: ApiKeyRecord,
    patch: KeyPatch,
    event: KeyEventType | undefined,
  ): Promise<ApiKeyRecord> {
    const record = await this.#store.updateKey(current.id, patch);
    if (!record) throw new KeywardError('not_found', { detail: 'No API key with this id.' });
    const hashes = [current.hash, record.hash];
    if (current.previous) hashes.push(current.previous.hash);
    notifyKeyChange(this.#store, { hashes, keyId: record.id, teamId: record.teamId });
    if (event) this.#event(event, record);
    return record;
  }

  #event(type: KeyEventType, record: ApiKeyRecord): void {
    this.#emit({ type, at: new Date(this.#clock()), keyId: record.id, teamId: record.teamId });
  }
}
