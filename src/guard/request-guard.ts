import type { IncomingMessage, ServerResponse } from 'node:http';
import { emitter } from '../events.js';
import { KeywardError } from '../errors/keyward-error.js';
import { sendError } from '../errors/render.js';
import { clientIp } from '../http/client-ip.js';
import { originalPath } from '../http/request-path.js';
import { requestState } from '../http/request-state.js';
import type { KeywardRequest, Middleware, NextFunction } from '../types.js';
import { exemptionsFor } from './exemptions.js';
import { Inspection } from './inspect.js';
import { parseOptions, type GuardConfig, type RequestGuardOptions } from './options.js';
import { declaredLength, isJsonType, isSecure, queryOf, sendsBody } from './request-parts.js';

type Exempt = Exclude<ReturnType<typeof exemptionsFor>, 'all'>;

/** Path, query and inspected headers: small, bounded by the server's header limit. */
function inspectEnvelope(config: GuardConfig, req: KeywardRequest, exempt: Exempt): Inspection {
  const run = new Inspection(config.envelopeInspection, exempt);
  const path = originalPath(req);
  run.text(path, 'path');
  // Each segment alone too, so anchored SQL rules see a value as the app's router does.
  for (let start = 0; start <= path.length;) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (end > start) run.text(path.slice(start, end), 'path');
    start = end + 1;
  }
  run.value(queryOf(req), 'query');
  for (const name of config.headers) {
    const value = req.headers[name];
    if (typeof value === 'string') run.text(value, `headers.${name}`);
    else if (value !== undefined) for (const item of value) run.text(item, `headers.${name}`);
  }
  return run;
}

/**
 * Blocks SQL injection, XSS and path traversal before the application sees them
 * (SPEC §7): inspects the decoded path, every query key and value, the parsed body (when a
 * body parser ran first) and the configured headers, and answers 400 `request_blocked`
 * with `violations: [{ category, location }]` — never the payload. Also enforces HTTPS
 * (403 `https_required`), JSON bodies (415 `unsupported_media_type`) and a body size cap
 * (413 `payload_too_large`); input nested deeper than `maxDepth` is 400 `bad_request`.
 *
 * @example
 * ```ts
 * app.use(express.json());
 * app.use(requestGuard({ allow: [{ endpoint: 'POST /v1/pages', fields: ['body.html'] }] }));
 * ```
 */
export function requestGuard(options?: RequestGuardOptions): Middleware {
  const config = parseOptions(options);
  const emit = emitter(config.onEvent);
  const render = { errorFormat: config.errorFormat };

  return function requestGuardMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ): void {
    try {
      const request = req as KeywardRequest;
      const state = requestState(req, res, config.errorFormat);
      const refuse = (error: KeywardError): void => sendError(req, res, error, render);
      if (config.requireHttps && !isSecure(request))
        return refuse(new KeywardError('https_required'));
      const length = declaredLength(req);
      // Built only when refusing: an Error captures a stack trace, far too dear per request.
      const tooLarge = (): KeywardError =>
        new KeywardError('payload_too_large', {
          detail: `The request body is larger than the ${config.maxBytes} bytes this API accepts.`,
        });
      if (length !== undefined && length > config.maxBytes && config.overflow === 'refuse') {
        return refuse(tooLarge());
      }
      if (config.requireJson && sendsBody(req) && !isJsonType(req)) {
        return refuse(new KeywardError('unsupported_media_type'));
      }
      const exempt = exemptionsFor(config.allow, req);
      if (exempt === 'all') return next();

      const envelope = inspectEnvelope(config, request, exempt);
      const body = new Inspection(config.bodyInspection, exempt);
      // A GET has no body (undefined, or {} from express.json under Express 4).
      if (request.body !== undefined) body.value(request.body, 'body');
      if (envelope.violations.length > 0 || body.violations.length > 0) {
        const violations = [...envelope.violations, ...body.violations];
        emit({
          type: 'request.blocked',
          at: new Date(config.clock()),
          requestId: state.requestId,
          ip: clientIp(request),
          violations,
        });
        return refuse(new KeywardError('request_blocked', { violations }));
      }
      if (envelope.truncated === 'depth' || body.truncated === 'depth') {
        return refuse(
          new KeywardError('bad_request', {
            detail: `The request nests objects or arrays deeper than ${config.maxDepth} levels.`,
          }),
        );
      }
      if (body.truncated === 'bytes' && config.overflow === 'refuse') return refuse(tooLarge());
      next();
    } catch (err) {
      next(err);
    }
  };
}
