import type { ApiKeyRecord, Team } from '../types.js';
import { cloneRecord, cloneTeam } from './clone.js';
import type { KeyAdminStore, KeyListFilter, KeyPatch } from './key-store.js';
import { notifyKeyChange } from './key-changes.js';

/**
 * In-process {@link KeyAdminStore}: the zero-configuration default. State lives in this
 * instance only; use `PostgresKeyStore` when the API runs on more than one process.
 *
 * @example
 * ```ts
 * const keys = new MemoryKeyStore();
 * await keys.saveTeam({ id: 'team_1', plan: 'pro', features: ['pro'], subscription: { status: 'active' } });
 * ```
 */
export class MemoryKeyStore implements KeyAdminStore {
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #byHash = new Map<string, string>();
  readonly #teams = new Map<string, Team>();
  /** Insertion order, for newest-first listing. */
  #sequence = 0;
  readonly #order = new Map<string, number>();

  /** {@inheritDoc KeyStore.findByHash} */
  findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const id = this.#byHash.get(hash);
    const record = id === undefined ? undefined : this.#keys.get(id);
    return Promise.resolve(record ? cloneRecord(record) : null);
  }

  /** {@inheritDoc KeyStore.findTeam} */
  findTeam(teamId: string): Promise<Team | null> {
    const team = this.#teams.get(teamId);
    return Promise.resolve(team ? cloneTeam(team) : null);
  }

  /** {@inheritDoc KeyStore.touch} */
  touch(keyId: string, at: Date, ip: string): Promise<void> {
    const record = this.#keys.get(keyId);
    if (record) {
      record.lastUsedAt = new Date(at.getTime());
      record.lastUsedIp = ip;
    }
    return Promise.resolve();
  }

  /** {@inheritDoc KeyAdminStore.insertKey} */
  insertKey(record: ApiKeyRecord): Promise<void> {
    if (this.#keys.has(record.id) || this.#byHash.has(record.hash)) {
      return Promise.reject(new Error(`MemoryKeyStore: key ${record.id} already exists`));
    }
    const copy = cloneRecord(record);
    this.#keys.set(copy.id, copy);
    this.#order.set(copy.id, this.#sequence++);
    this.#index(copy);
    return Promise.resolve();
  }

  /** {@inheritDoc KeyAdminStore.updateKey} */
  updateKey(id: string, patch: KeyPatch): Promise<ApiKeyRecord | null> {
    const current = this.#keys.get(id);
    if (!current) return Promise.resolve(null);
    const next = cloneRecord({ ...current, ...patch });
    this.#unindex(current);
    this.#keys.set(id, next);
    this.#index(next);
    return Promise.resolve(cloneRecord(next));
  }

  /** {@inheritDoc KeyAdminStore.getKey} */
  getKey(id: string): Promise<ApiKeyRecord | null> {
    const record = this.#keys.get(id);
    return Promise.resolve(record ? cloneRecord(record) : null);
  }

  /** {@inheritDoc KeyAdminStore.listKeys} */
  listKeys(filter: KeyListFilter = {}): Promise<ApiKeyRecord[]> {
    const limit = filter.limit ?? 100;
    // Newest first by createdAt, insertion order breaking ties (as PostgresKeyStore does).
    const rank = (id: string): [number, number] => [
      this.#keys.get(id)?.createdAt.getTime() ?? 0,
      this.#order.get(id) ?? 0,
    ];
    const newer = (a: [number, number], b: [number, number]) => b[0] - a[0] || b[1] - a[1];
    const cursor =
      filter.before === undefined
        ? undefined
        : this.#keys.has(filter.before)
          ? rank(filter.before)
          : null;
    if (cursor === null) return Promise.resolve([]);
    const out: ApiKeyRecord[] = [];
    const ids = [...this.#order.keys()].sort((a, b) => newer(rank(a), rank(b)));
    for (const id of ids) {
      if (out.length >= limit) break;
      if (cursor && newer(rank(id), cursor) <= 0) continue;
      const r = this.#keys.get(id);
      if (!r) continue;
      if (filter.teamId !== undefined && r.teamId !== filter.teamId) continue;
      if (filter.environment !== undefined && r.environment !== filter.environment) continue;
      if (filter.status !== undefined && r.status !== filter.status) continue;
      out.push(cloneRecord(r));
    }
    return Promise.resolve(out);
  }

  /** {@inheritDoc KeyAdminStore.saveTeam} */
  saveTeam(team: Team): Promise<void> {
    this.#teams.set(team.id, cloneTeam(team));
    notifyKeyChange(this, { teamId: team.id });
    return Promise.resolve();
  }

  /** {@inheritDoc KeyAdminStore.listTeams} */
  listTeams(): Promise<Team[]> {
    return Promise.resolve([...this.#teams.values()].map(cloneTeam));
  }

  #index(r: ApiKeyRecord): void {
    this.#byHash.set(r.hash, r.id);
    if (r.previous) this.#byHash.set(r.previous.hash, r.id);
  }

  #unindex(r: ApiKeyRecord): void {
    this.#byHash.delete(r.hash);
    if (r.previous) this.#byHash.delete(r.previous.hash);
  }
}
