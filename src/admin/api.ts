import { KeywardError } from '../errors/keyward-error.js';
import type { KeyManager, CreateKeyInput } from '../keys/manager.js';
import { notifyKeyChange } from '../stores/key-changes.js';
import type { KeyListFilter } from '../stores/key-store.js';
import type { ApiKeyRecord } from '../types.js';
import { fromStore, notFound, onlyFields } from './failures.js';
import type { AdminConfig } from './options.js';
import { bad, ID, matches, type AdminScope, type KeyPage, type ListQuery } from './query.js';
import { patchTeam } from './teams.js';
import { keyView, monthlyUsage, teamView, type KeyView, type TeamView } from './view.js';

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
      const batch = await fromStore('listKeys', () =>
        this.manager.list(before === undefined ? filter : { ...filter, before }),
      );
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
  async create(
    body: Record<string, unknown>,
    scope: AdminScope,
  ): Promise<{ key: string; record: KeyView }> {
    onlyFields(body, [
      'name',
      'teamId',
      'environment',
      'scopes',
      'limits',
      'validUntil',
      'customerId',
    ]);
    let teamId = body.teamId;
    if (scope.teamId !== undefined) {
      if (teamId !== undefined && teamId !== scope.teamId) throw notFound('team');
      teamId = scope.teamId;
    }
    if (typeof teamId !== 'string' || !ID.test(teamId))
      throw bad('teamId', 'teamId must be the id of a team.');
    if (!(await fromStore('findTeam', () => this.config.store.findTeam(teamId))))
      throw bad('teamId', `No team "${teamId}": create the team first.`);
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
  async update(
    id: string,
    body: Record<string, unknown>,
    scope: AdminScope,
  ): Promise<{ record: KeyView }> {
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
    if (!Number.isNaN(at.getTime()) && at.getTime() <= this.config.clock())
      throw bad('validUntil', 'validUntil must be in the future.');
  }

  /** Runs a lifecycle action on a key in scope. */
  async act(
    id: string,
    action: string,
    body: Record<string, unknown>,
    scope: AdminScope,
  ): Promise<{ key?: string; record: KeyView }> {
    const current = await this.#find(id, scope);
    const now = this.config.clock();
    if ((action === 'regenerate' || action === 'rotate') && current.status === 'revoked') {
      throw new KeywardError('conflict', {
        detail: 'The key is revoked: restore it before issuing a new secret.',
      });
    }
    return fromStore(action, () => this.#act(id, action, body, now));
  }

  async #act(
    id: string,
    action: string,
    body: Record<string, unknown>,
    now: number,
  ): Promise<{ key?: string; record: KeyView }> {
    switch (action) {
      case 'revoke':
        return { record: keyView(await this.manager.revoke(id), now, null) };
      case 'restore':
        return { record: keyView(await this.manager.restore(id), now, null) };
      case 'unblock':
        return { record: keyView(await this.manager.unblock(id), now, null) };
      case 'block': {
        const until = new Date(body.until as string);
        if (typeof body.until !== 'string' || Number.isNaN(until.getTime()))
          throw bad('until', 'until must be the date the block ends (ISO 8601).');
        if (until.getTime() <= now) throw bad('until', 'until must be in the future.');
        return { record: keyView(await this.manager.block(id, until), now, null) };
      }
      case 'regenerate': {
        const issued = await this.manager.regenerate(id);
        return { key: issued.key, record: keyView(issued.record, now, null) };
      }
      case 'rotate': {
        const graceMs = body.graceMs;
        if (
          graceMs !== undefined &&
          (typeof graceMs !== 'number' ||
            !Number.isFinite(graceMs) ||
            graceMs < 0 ||
            graceMs > 30 * 86_400_000)
        ) {
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
  async updateTeam(
    id: string,
    body: Record<string, unknown>,
    scope: AdminScope,
  ): Promise<TeamView> {
    if (scope.teamId !== undefined) {
      await this.team(id, scope); // another team stays a 404
      throw new KeywardError('forbidden', {
        detail: "A team's plan, features and limits are changed by the platform's administrators.",
      });
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
    const teams = await fromStore('listTeams', () =>
      (store.listTeams as () => Promise<{ id: string }[]>).call(store),
    );
    return teams.map((t) => t.id).sort();
  }

  async #find(id: string, scope: AdminScope): Promise<ApiKeyRecord> {
    const record = ID.test(id) ? await fromStore('getKey', () => this.manager.get(id)) : null;
    // Another team's key is indistinguishable from a missing one.
    if (!record || (scope.teamId !== undefined && record.teamId !== scope.teamId)) throw notFound();
    return record;
  }
}
