import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError, validateErrorFormat, type ErrorFormat } from '../errors/render.js';
import { requestState } from '../http/request-state.js';
import type { KeywardRequest, Middleware, NextFunction } from '../types.js';
import { checkOptions } from '../util/options.js';
import { compileEndpointMatcher, type EndpointMatcher } from '../http/endpoint.js';

/** Options shared by `publicOnly`, `requireScope` and `requireFeature`. */
export interface AccessOptions {
  /** @defaultValue the format chosen by the first keyward middleware for the request */
  errorFormat?: ErrorFormat;
  /** Base URI of problem `type`s. @defaultValue `'https://keyward.dev/errors/'` */
  typeBase?: string;
}

/**
 * Lets requests authenticated by an API key reach only the listed endpoints (403
 * `endpoint_not_available` elsewhere). Requests authenticated another way (no `req.apiKey`,
 * e.g. a web session) pass through untouched.
 *
 * @example
 * ```ts
 * app.use('/v1', apiKeyAuth(keys), publicOnly(['GET /v1/companies', 'GET /v1/companies/:id']));
 * ```
 */
export function publicOnly(endpoints: EndpointMatcher, options?: AccessOptions): Middleware {
  const isPublic = compileEndpointMatcher(endpoints, 'publicOnly');
  const o = checkOptions<AccessOptions>('publicOnly', options, ['errorFormat', 'typeBase']);
  const render = {
    errorFormat: validateErrorFormat('publicOnly', o.errorFormat),
    typeBase: o.typeBase,
  };
  return function publicOnlyMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ): void {
    const request = req as KeywardRequest;
    requestState(req, res, render.errorFormat);
    if (!request.apiKey) return next();
    let allowed: boolean;
    try {
      allowed = isPublic(request);
    } catch (err) {
      return next(err);
    }
    if (allowed) return next();
    sendError(req, res, new KeywardError('endpoint_not_available'), render);
  };
}
