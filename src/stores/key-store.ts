import type { ApiKeyRecord, Environment, Team } from '../types.js';

/**
 * The read path `apiKeyAuth` uses on every (uncached) request. Implement it over your own
 * persistence to plug keyward into an existing database.
 */
export interface KeyStore {
  /**
   * The key whose `hash` **or** `previous.hash` equals `hash`, or `null` for a miss (never
   * throw for a miss). Returned objects are not mutated by keyward.
   */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** The team, or `null` when unknown. */
  findTeam(teamId: string): Promise<Team | null>;
  /**
   * Records last use. Called at most once per key per `touchIntervalMs`, fire-and-forget:
   * its result never delays or fails a request. Optional.
   */
  touch?(keyId: string, at: Date, ip: string): Promise<void>;
}

/** Filter of {@link KeyAdminStore.listKeys}. All fields optional; results newest first. */
export interface KeyListFilter {
  teamId?: string;
  environment?: Environment;
  status?: ApiKeyRecord['status'];
  /** At most this many records. @defaultValue 100 */
  limit?: number;
  /** Return records created before the record with this id (keyset pagination). */
  before?: string;
}

/** Fields of a key that `KeyManager` changes after creation. */
export type KeyPatch = Partial<
  Pick<
    ApiKeyRecord,
    | 'hash'
    | 'prefix'
    | 'name'
    | 'scopes'
    | 'status'
    | 'validUntil'
    | 'blockedUntil'
    | 'limits'
    | 'previous'
    | 'customerId'
    | 'metadata'
  >
>;

/** A {@link KeyStore} that can also manage keys and teams; what `KeyManager` needs. */
export interface KeyAdminStore extends KeyStore {
  /** Inserts a new key. Rejects when the id or hash already exists. */
  insertKey(record: ApiKeyRecord): Promise<void>;
  /** Applies `patch` to the key and returns the updated record, or `null` when unknown. */
  updateKey(id: string, patch: KeyPatch): Promise<ApiKeyRecord | null>;
  /** The key with this id, or `null`. */
  getKey(id: string): Promise<ApiKeyRecord | null>;
  /** Keys matching `filter`, newest first. Revoked keys are kept and listed. */
  listKeys(filter?: KeyListFilter): Promise<ApiKeyRecord[]>;
  /** Creates or replaces a team. */
  saveTeam(team: Team): Promise<void>;
  /** Teams, optional: used by the admin page's team picker when present. */
  listTeams?(): Promise<Team[]>;
}
