import { isKeywardError, KeywardError } from '../errors/keyward-error.js';
import type { KeyManager, CreateKeyInput } from '../keys/manager.js';
import { notifyKeyChange } from '../stores/key-changes.js';
import type { KeyListFilter } from '../stores/key-store.js';
import { ENVIRONMENTS, type ApiKeyRecord, type Environment, type KeyDisplayStatus } from '../types.js';
import type { AdminConfig } from './options.js';
import { patchTeam } from './teams.js';
import { keyView, monthlyUsage, teamView, type KeyView, type TeamView } from './view.js';

/** The administrator's reach: every team, or one. */
export interface AdminScope {
  teamId: string | undefined;
}

/** Status filter of the list: the derived statuses, plus "Blocked". */
export type StatusFilter = KeyDisplayStatus | 'Blocked';
const STATUS_FILTERS: readonly StatusFilter[] = ['Active', 'Inactive', 'Expired', 'Blocked'];

/** Query of `GET api/keys` and of the page. */
export interface ListQuery {
  teamId?: string;
  environment?: Environment;
  status?: StatusFilter;
  before?: string;
  limit: number;
  /** Set when a confined administrator asked for another team: the answer is empty. */
  outOfScope?: boolean;
}

/** A page of keys: `next` is the `before` cursor of the following page, or `null`. */
export interface KeyPage {
  data: KeyView[];
  next: string | null;
}

const ID = /^[A-Za-z0-9_.:@-]{1,200}$/;

/** A store call that failed (not a keyward error): answered 503, its message never shown. */
export class StoreFailure extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`key store ${operation} failed`);
    this.name = 'StoreFailure';
  }
}

/** Runs a store call, labelling any failure that is not a keyward error as a {@link StoreFailure}. */
async function fromStore<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isKeywardError(err)) throw err;
    throw new StoreFailure(operation, err);
  }
}

function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field)) throw bad(field, `Unknown field "${field}". Known fields: ${allowed.join(', ')}.`);
  }
}

function notFound(what = 'API key'): KeywardError {
  return new KeywardError('not_found', { detail: `No ${what} with this id.` });
}

function bad(field: string, detail: string): KeywardError {
  return new KeywardError('bad_request', { detail, field });
}

/** Parses list filters from a query string; unknown values are a 400 that names the field. */
export function parseListQuery(params: URLSearchParams, scope: AdminScope): ListQuery {
  const query: ListQuery = { limit: 50 };
  const team = params.get('team') || params.get('teamId') || undefined;
  if (team !== undefined) {
    if (!ID.test(team)) throw bad('team', 'team must be a team id.');
    query.teamId = team;
  }
  const env = params.get('environment') || undefined;
  if (env !== undefined) {
    if (!(ENVIRONMENTS as readonly string[]).includes(env)) throw bad('environment', `environment must be one of ${ENVIRONMENTS.join(', ')}.`);
    query.environment = env as Environment;
  }
  const status = params.get('status') || undefined;
  if (status !== undefined) {
    const match = STATUS_FILTERS.find((s) => s.toLowerCase() === status.toLowerCase());
    if (!match) throw bad('status', `status must be one of ${STATUS_FILTERS.join(', ')}.`);
    query.status = match;
  }
  const before = params.get('before') || undefined;
  if (before !== undefined) {
    if (!ID.test(before)) throw bad('before', 'before must be a key id.');
    query.before = before;
  }
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 200) throw bad('limit', 'limit must be an integer from 1 to 200.');
    query.limit = n;
  }
  if (scope.teamId !== undefined) {
    // A confined administrator sees one team; asking for another finds nothing.
    if (query.teamId !== undefined && query.teamId !== scope.teamId) query.outOfScope = true;
    query.teamId = scope.teamId;
  }
  return query;
}

function matches(record: ApiKeyRecord, status: StatusFilter | undefined, now: number): boolean {
  if (!status) return true;
  const view = keyView(record, now, null);
  if (status === 'Blocked') return view.blocked && view.status === 'Active';
  if (status === 'Active') return view.status === 'Active' && !view.blocked;
  return view.status === status;
}

/** The admin operations, over a `KeyManager`, confined to the administrator's scope. */
export class AdminApi {
  constructor(
    private readonly config: AdminConfig,
    private readonly manager: KeyManager,
  ) {}

  /** One page of keys, newest first, with this month's usage. */
  async list(query: ListQuery): Promise<KeyPage> {
    const now = this.config.clock();
    if (query.outOfScope) return { data: [], next: null };
    if (query.before !== undefined && query.teamId !== undefined) {
      // The cursor must be a key the administrator may see: another team's key id, or one
      // that does not exist, is answered alike (an empty page), revealing nothing.
      const cursor = await fromStore('getKey', () => this.manager.get(query.before as string));
      if (!cursor || cursor.teamId !== query.teamId) return { data: [], next: null };
    }
    const filter: KeyListFilter = { limit: query.limit };
    if (query.teamId !== undefined) filter.teamId = query.teamId;
    if (query.environment) filter.environment = query.environment;
    if (query.status === 'Inactive') filter.status = 'revoked';
    else if (query.status) filter.status = 'active';
    const found: ApiKeyRecord[] = [];
    let before = query.before;
    let next: string | null = null;
    // Derived statuses (Expired, Blocked) filter after the store: read on until the page is
    // full and one more match proves there is a next page, the store runs out, or 20 reads.
    scan: for (let round = 0; ; round++) {
      const batch = await fromStore('listKeys', () => this.manager.list(before === undefined ? filter : { ...filter, before }));
      for (const record of batch) {
        if (!matches(record, query.status, now)) continue;
        if (found.length === query.limit) {
          next = found[found.length - 1]?.id ?? null;
          break scan;
        }
        found.push(record);
      }
      if (batch.length < query.limit) break;
      before = batch[batch.length - 1]?.id;
      if (round === 19) {
        next = before ?? null;
        break;
      }
    }
    const usage = await monthlyUsage(this.config.counters, found, now, this.config.timeoutMs);
    return { data: found.map((r) => keyView(r, now, usage.get(r.id) ?? null)), next };
  }

  /** One key, or 404 when unknown or outside the scope. */
  async get(id: string, scope: AdminScope): Promise<KeyView> {
    const record = await this.#find(id, scope);
    const now = this.config.clock();
    const usage = await monthlyUsage(this.config.counters, [record], now, this.config.timeoutMs);
    return keyView(record, now, usage.get(record.id) ?? null);
  }

  /** Issues a key; the only answer besides regenerate and rotate that carries a secret. */
  async create(body: Record<string, unknown>, scope: AdminScope): Promise<{ key: string; record: KeyView }> {
    onlyFields(body, ['name', 'teamId', 'environment', 'scopes', 'limits', 'validUntil', 'customerId']);
    let teamId = body.teamId;
    if (scope.teamId !== undefined) {
      if (teamId !== undefined && teamId !== scope.teamId) throw notFound('team');
      teamId = scope.teamId;
    }
    if (typeof teamId !== 'string' || !ID.test(teamId)) throw bad('teamId', 'teamId must be the id of a team.');
    if (!(await fromStore('findTeam', () => this.config.store.findTeam(teamId)))) throw bad('teamId', `No team "${teamId}": create the team first.`);
    this.#futureExpiry(body.validUntil);
    const input = { ...body, teamId } as unknown as CreateKeyInput;
    if (input.customerId === '') input.customerId = null;
    const issued = await fromStore('insertKey', () => this.manager.create(input));
    return { key: issued.key, record: keyView(issued.record, this.config.clock(), null) };
  }

  /**
   * Changes a key's name, scopes, limits, expiry or customer (`PATCH api/keys/:id`). The
   * secret, team and environment never change here; `limits` replaces all three limits.
   */
  async update(id: string, body: Record<string, unknown>, scope: AdminScope): Promise<{ record: KeyView }> {
    onlyFields(body, ['name', 'scopes', 'limits', 'validUntil', 'customerId']);
    await this.#find(id, scope);
    this.#futureExpiry(body.validUntil);
    const changes = { ...body } as Parameters<KeyManager['update']>[1];
    if (changes.validUntil === '') changes.validUntil = null;
    if (changes.customerId === '') changes.customerId = null;
    const record = await fromStore('updateKey', () => this.manager.update(id, changes));
    return { record: keyView(record, this.config.clock(), null) };
  }

  #futureExpiry(value: unknown): void {
    if (value === undefined || value === null || value === '') return;
    const at = new Date(value as string);
    if (!Number.isNaN(at.getTime()) && at.getTime() <= this.config.clock()) throw bad('validUntil', 'validUntil must be in the future.');
  }

  /** Runs a lifecycle action on a key in scope. */
  async act(id: string, action: string, body: Record<string, unknown>, scope: AdminScope): Promise<{ key?: string; record: KeyView }> {
    const current = await this.#find(id, scope);
    const now = this.config.clock();
    if ((action === 'regenerate' || action === 'rotate') && current.status === 'revoked') {
      throw new KeywardError('conflict', { detail: 'The key is revoked: restore it before issuing a new secret.' });
    }
    return fromStore(action, () => this.#act(id, action, body, now));
  }

  async #act(id: string, action: string, body: Record<string, unknown>, now: number): Promise<{ key?: string; record: KeyView }> {
    switch (action) {
      case 'revoke':
        return { record: keyView(await this.manager.revoke(id), now, null) };
      case 'restore':
        return { record: keyView(await this.manager.restore(id), now, null) };
      case 'unblock':
        return { record: keyView(await this.manager.unblock(id), now, null) };
      case 'block': {
        const until = new Date(body.until as string);
        if (typeof body.until !== 'string' || Number.isNaN(until.getTime())) throw bad('until', 'until must be the date the block ends (ISO 8601).');
        if (until.getTime() <= now) throw bad('until', 'until must be in the future.');
        return { record: keyView(await this.manager.block(id, until), now, null) };
      }
      case 'regenerate': {
        const issued = await this.manager.regenerate(id);
        return { key: issued.key, record: keyView(issued.record, now, null) };
      }
      case 'rotate': {
        const graceMs = body.graceMs;
        if (graceMs !== undefined && (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0 || graceMs > 30 * 86_400_000)) {
          throw bad('graceMs', 'graceMs must be a number of milliseconds from 0 to 30 days.');
        }
        const issued = await this.manager.rotate(id, graceMs === undefined ? {} : { graceMs });
        return { key: issued.key, record: keyView(issued.record, now, null) };
      }
      default:
        throw notFound('action');
    }
  }

  /** A team in scope, or 404. */
  async team(id: string, scope: AdminScope): Promise<TeamView> {
    if (!ID.test(id) || (scope.teamId !== undefined && id !== scope.teamId)) throw notFound('team');
    const team = await fromStore('findTeam', () => this.config.store.findTeam(id));
    if (!team) throw notFound('team');
    return teamView(team, this.config.plans);
  }

  /**
   * Changes a team's plan, features, subscription or limits (`PATCH api/teams/:id`). Only an
   * administrator of every team may: a team-confined one would otherwise grant itself a plan.
   */
  async updateTeam(id: string, body: Record<string, unknown>, scope: AdminScope): Promise<TeamView> {
    if (scope.teamId !== undefined) {
      await this.team(id, scope); // another team stays a 404
      throw new KeywardError('forbidden', { detail: "A team's plan, features and limits are changed by the platform's administrators." });
    }
    if (!ID.test(id)) throw notFound('team');
    const current = await fromStore('findTeam', () => this.config.store.findTeam(id));
    if (!current) throw notFound('team');
    const next = patchTeam(current, body);
    await fromStore('saveTeam', () => this.config.store.saveTeam(next));
    // The bundled stores announce it themselves; a custom store may not: announce it again.
    notifyKeyChange(this.config.store, { teamId: id });
    return teamView(next, this.config.plans);
  }

  /** Team ids for the filter (all teams the store lists, or the one in scope). */
  async teamIds(scope: AdminScope): Promise<string[] | null> {
    if (scope.teamId !== undefined) return [scope.teamId];
    if (typeof this.config.store.listTeams !== 'function') return null;
    const store = this.config.store;
    const teams = await fromStore('listTeams', () => (store.listTeams as () => Promise<{ id: string }[]>).call(store));
    return teams.map((t) => t.id).sort();
  }

  async #find(id: string, scope: AdminScope): Promise<ApiKeyRecord> {
    const record = ID.test(id) ? await fromStore('getKey', () => this.manager.get(id)) : null;
    // Another team's key is indistinguishable from a missing one.
    if (!record || (scope.teamId !== undefined && record.teamId !== scope.teamId)) throw notFound();
    return record;
  }
}

/** A decoded path segment, or '' when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
