import type { IncomingMessage, ServerResponse } from 'node:http';
import { isKeywardError, KeywardError } from '../errors/keyward-error.js';
import { sendError } from '../errors/render.js';
import { emitter } from '../events.js';
import { KeyManager, type KeyManagerOptions } from '../keys/manager.js';
import { describeStoreError } from '../stores/store-call.js';
import { requestState } from '../http/request-state.js';
import type { Middleware, NextFunction } from '../types.js';
import { AdminApi } from './api.js';
import { StoreFailure } from './failures.js';
import { decodeSegment, parseListQuery, type AdminScope } from './query.js';
import { ASSETS } from './assets.js';
import {
  checkSameOrigin,
  mountPath,
  readJsonBody,
  sendHtml,
  sendJson,
  setSecurityHeaders,
} from './http.js';
import { parseAdminOptions, type KeyAdminOptions } from './options.js';
import { listPage } from './page.js';
import { teamPage } from './team-page.js';

export type { AdminAuthorization, KeyAdminOptions } from './options.js';
export type { KeyView, KeyUsage, TeamView } from './view.js';
export type { KeyPage, StatusFilter } from './query.js';
export { CONTENT_SECURITY_POLICY } from './http.js';

/**
 * The API Keys page and its JSON API, as one mountable middleware (Express 4/5, Connect, or a
 * plain `http` server at the root). Administrators list, create, regenerate, rotate, revoke,
 * restore, block and unblock keys; a new secret is shown once and is in no URL, cache or log.
 *
 * Every request but the static script and stylesheet passes `authorize(req)` first; it fails
 * closed (falsy → 403 `forbidden`, a throw → 401 `unauthorized`). `{ teamId }` confines the
 * administrator to one team: other teams' keys answer 404. Mutations are refused cross-site
 * (403) and must be `application/json`.
 *
 * JSON API under the mount: `GET api/keys` (`?environment=&status=&team=&limit=&before=`),
 * `POST api/keys`, `GET api/keys/:id`, `PATCH api/keys/:id` (name, scopes, limits, expiry,
 * customer), `POST api/keys/:id/(revoke|restore|regenerate|rotate|block|unblock)`,
 * `GET api/teams/:id`, `PATCH api/teams/:id` (plan, features, subscription, limits; not for
 * team-confined administrators).
 * Only the answers of create, regenerate and rotate carry a secret (`key`).
 *
 * @example
 * ```ts
 * import { keyAdmin } from 'keyward/admin';
 * app.use('/admin/api-keys', keyAdmin({ store, counters, authorize: (req) => req.user?.isAdmin === true }));
 * ```
 */
export function keyAdmin(options: KeyAdminOptions): Middleware {
  const config = parseAdminOptions(options);
  const managerOptions: KeyManagerOptions = { clock: config.clock };
  if (config.prefix !== undefined) managerOptions.prefix = config.prefix;
  if (config.pepper !== undefined) managerOptions.pepper = config.pepper;
  if (config.onEvent !== undefined) managerOptions.onEvent = config.onEvent;
  const manager = new KeyManager(config.store, managerOptions);
  const api = new AdminApi(config, manager);
  const emit = emitter(config.onEvent);
  const render = { errorFormat: config.errorFormat };

  async function authorize(req: IncomingMessage): Promise<AdminScope> {
    let verdict: unknown;
    try {
      verdict = await config.authorize(req);
    } catch (err) {
      if (isKeywardError(err)) throw err;
      throw new KeywardError('unauthorized', {
        detail: 'Sign in as an administrator to manage API keys.',
      });
    }
    if (verdict === true) return { teamId: undefined };
    if (verdict && typeof verdict === 'object') {
      const teamId = (verdict as { teamId?: unknown }).teamId;
      if (teamId === undefined) return { teamId: undefined };
      if (typeof teamId === 'string' && teamId !== '') return { teamId };
    }
    throw new KeywardError('forbidden', { detail: 'You are not allowed to manage API keys.' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requestState(req, res, config.errorFormat); // X-Request-Id on every answer
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const segments = path.split('/').filter(Boolean).map(decodeSegment);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');

    const asset =
      segments.length === 2 && segments[0] === 'assets' ? ASSETS.get(segments[1] ?? '') : undefined;
    if (asset && method === 'GET') {
      setSecurityHeaders(res, true);
      res.statusCode = 200;
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Content-Length', Buffer.byteLength(asset.body));
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }

    setSecurityHeaders(res, false);
    const scope = await authorize(req);
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const base = mountPath(req, path);
    const [first, second, third, fourth] = segments;
    /** The body of a mutation, after the CSRF check (403) and the media-type check (415). */
    const mutation = () => {
      checkSameOrigin(req, config.trustedOrigins);
      return readJsonBody(req);
    };

    if (method === 'GET' && segments.length === 0) {
      const query = parseListQuery(params, scope);
      const [page, teams] = await Promise.all([api.list(query), api.teamIds(scope)]);
      sendHtml(
        req,
        res,
        listPage({
          title: config.title,
          base,
          query,
          page,
          teams,
          confinedTo: scope.teamId,
          usage: config.counters !== undefined,
        }),
      );
      return;
    }
    if (method === 'GET' && first === 'teams' && second !== undefined && segments.length === 2) {
      sendHtml(
        req,
        res,
        teamPage(
          config.title,
          base,
          await api.team(second, scope),
          config.clock(),
          scope.teamId === undefined,
        ),
      );
      return;
    }
    if (first === 'api' && second === 'keys') {
      if (method === 'GET' && segments.length === 2)
        return sendJson(req, res, 200, await api.list(parseListQuery(params, scope)));
      if (method === 'GET' && segments.length === 3)
        return sendJson(req, res, 200, await api.get(third ?? '', scope));
      if (method === 'PATCH' && segments.length === 3) {
        return sendJson(req, res, 200, await api.update(third ?? '', await mutation(), scope));
      }
      if (method === 'POST' && (segments.length === 2 || segments.length === 4)) {
        const body = await mutation();
        if (segments.length === 2) return sendJson(req, res, 201, await api.create(body, scope));
        return sendJson(req, res, 200, await api.act(third ?? '', fourth ?? '', body, scope));
      }
    }
    if (first === 'api' && second === 'teams' && segments.length === 3) {
      if (method === 'GET') return sendJson(req, res, 200, await api.team(third ?? '', scope));
      if (method === 'PATCH') {
        return sendJson(req, res, 200, await api.updateTeam(third ?? '', await mutation(), scope));
      }
    }
    throw new KeywardError('not_found', {
      detail: 'No admin page or API route for this method and path.',
    });
  }

  return function keywardAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    _next: NextFunction,
  ): void {
    handle(req, res).catch((err: unknown) => {
      if (isKeywardError(err)) return sendError(req, res, err, render);
      if (err instanceof StoreFailure) {
        emit({
          type: 'store.error',
          at: new Date(config.clock()),
          store: 'keys',
          operation: err.operation,
          policy: 'fail-closed',
          error: describeStoreError(err.cause),
        });
        return sendError(
          req,
          res,
          new KeywardError('store_unavailable', {
            detail: 'The key store did not answer. Try again in a moment.',
          }),
          render,
        );
      }
      // A bug, not an outage: a 500 that shows nothing of the error.
      sendError(req, res, new KeywardError('internal_error'), render);
    });
  };
}
