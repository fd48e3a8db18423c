import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError, validateErrorFormat } from '../errors/render.js';
import { requestState } from '../http/request-state.js';
import type { ApiKeyContext, KeywardRequest, Middleware, NextFunction } from '../types.js';
import type { AccessOptions } from './public-only.js';
import { missingScopes } from './scopes.js';

/** Splits trailing options off a rest list of names and validates both. */
function parseArgs(
  where: string,
  args: ReadonlyArray<string | AccessOptions>,
): { names: string[]; render: AccessOptions } {
  const names: string[] = [];
  let options: AccessOptions = {};
  for (const arg of args) {
    if (typeof arg === 'string' && arg.trim() !== '') names.push(arg.trim());
    else if (arg && typeof arg === 'object' && !Array.isArray(arg)) options = arg;
    else
      throw new TypeError(
        `${where}: received ${JSON.stringify(arg)}; pass names as strings, e.g. ${where}('companies:read').`,
      );
  }
  if (names.length === 0)
    throw new TypeError(
      `${where}: name at least one requirement, e.g. ${where}('${where === 'requireScope' ? 'companies:read' : 'enterprise'}').`,
    );
  return {
    names,
    render: {
      errorFormat: validateErrorFormat(where, options.errorFormat),
      typeBase: options.typeBase,
    },
  };
}

function requirement(
  where: string,
  args: ReadonlyArray<string | AccessOptions>,
  missing: (apiKey: ApiKeyContext, names: readonly string[]) => KeywardError | null,
): Middleware {
  const { names, render } = parseArgs(where, args);
  const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
    requestState(req, res, render.errorFormat);
    const apiKey = (req as KeywardRequest).apiKey;
    // Fail closed: without an authenticated key nothing is granted.
    if (!apiKey)
      return sendError(
        req,
        res,
        new KeywardError('missing_token', {
          headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
        }),
        render,
      );
    const error = missing(apiKey, names);
    if (error) return sendError(req, res, error, render);
    next();
  };
  Object.defineProperty(middleware, 'name', { value: `${where}Middleware` });
  return middleware;
}

/**
 * Requires every listed scope (`*` and `prefix:*` grants apply). 403 `insufficient_scope`
 * with the missing ones in `scopes`; 401 `missing_token` without an authenticated key.
 * A trailing options object sets `errorFormat` / `typeBase`.
 *
 * @example
 * ```ts
 * app.get('/v1/companies', requireScope('companies:read'), listCompanies);
 * ```
 */
export function requireScope(...scopes: Array<string | AccessOptions>): Middleware {
  return requirement('requireScope', scopes, (apiKey, names) => {
    const missing = missingScopes(apiKey.scopes, names);
    return missing.length === 0
      ? null
      : new KeywardError('insufficient_scope', { scopes: missing });
  });
}

/**
 * Requires every listed plan feature of the key's team. 403 `feature_required` with the
 * missing ones in `features`; 401 `missing_token` without an authenticated key.
 *
 * @example
 * ```ts
 * app.get('/v1/reports', requireFeature('enterprise'), reports);
 * ```
 */
export function requireFeature(...features: Array<string | AccessOptions>): Middleware {
  return requirement('requireFeature', features, (apiKey, names) => {
    const missing = names.filter((f) => !apiKey.features.includes(f));
    if (missing.length === 0) return null;
    const list = missing.map((f) => `'${f}'`).join(', ');
    const detail = `Your subscription does not include the ${list} feature${missing.length > 1 ? 's' : ''}.`;
    return new KeywardError('feature_required', { detail, features: missing });
  });
}
