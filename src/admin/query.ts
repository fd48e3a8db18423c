import { KeywardError } from '../errors/keyward-error.js';
import {
  ENVIRONMENTS,
  type ApiKeyRecord,
  type Environment,
  type KeyDisplayStatus,
} from '../types.js';
import { keyView, type KeyView } from './view.js';

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

/** Ids as the admin API accepts them in paths and cursors. */
export const ID = /^[A-Za-z0-9_.:@-]{1,200}$/;

/** A 400 naming the field. */
export function bad(field: string, detail: string): KeywardError {
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
    if (!(ENVIRONMENTS as readonly string[]).includes(env))
      throw bad('environment', `environment must be one of ${ENVIRONMENTS.join(', ')}.`);
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
    if (!Number.isInteger(n) || n < 1 || n > 200)
      throw bad('limit', 'limit must be an integer from 1 to 200.');
    query.limit = n;
  }
  if (scope.teamId !== undefined) {
    // A confined administrator sees one team; asking for another finds nothing.
    if (query.teamId !== undefined && query.teamId !== scope.teamId) query.outOfScope = true;
    query.teamId = scope.teamId;
  }
  return query;
}

/** Whether a record has the derived status the list is filtered by. */
export function matches(
  record: ApiKeyRecord,
  status: StatusFilter | undefined,
  now: number,
): boolean {
  if (!status) return true;
  const view = keyView(record, now, null);
  if (status === 'Blocked') return view.blocked && view.status === 'Active';
  if (status === 'Active') return view.status === 'Active' && !view.blocked;
  return view.status === status;
}

/** A decoded path segment, or '' when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
