import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorMiddleware, NextFunction } from '../types.js';
import { checkOptions } from '../util/options.js';
import type { ErrorCode } from './catalog.js';
import { KeywardError, isKeywardError } from './keyward-error.js';
import { sendError, validateErrorFormat, type ErrorFormat } from './render.js';

/** Options of {@link problemHandler}. */
export interface ProblemHandlerOptions {
  /** @defaultValue the format chosen by the first keyward middleware for the request */
  errorFormat?: ErrorFormat;
  /** Base URI of problem `type`s. @defaultValue `'https://keyward.dev/errors/'` */
  typeBase?: string;
  /**
   * Called with every error that becomes a 500 (its message is never sent to the client):
   * the place to log it.
   */
  onInternalError?: (err: unknown, req: IncomingMessage) => void;
}

/** body-parser / raw-body error types and the codes they become. */
const BODY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  'entity.parse.failed': 'malformed_body',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'request.size.invalid': 'malformed_body',
  'request.aborted': 'malformed_body',
  'stream.encoding.set': 'internal_error',
};

/** Exposed client errors of other libraries (http-errors style) and the codes they become. */
const STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps any thrown value to a KeywardError without ever carrying its message over. */
export function toKeywardError(err: unknown): KeywardError {
  if (isKeywardError(err)) return err;
  if (err && typeof err === 'object') {
    const { type, status, statusCode, expose } = err as {
      type?: unknown;
      status?: unknown;
      statusCode?: unknown;
      expose?: unknown;
    };
    if (typeof type === 'string' && BODY_ERRORS[type])
      return new KeywardError(BODY_ERRORS[type], { cause: err });
    const code =
      typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
    if (code !== undefined && expose === true && STATUS_CODES[code])
      return new KeywardError(STATUS_CODES[code], { cause: err });
  }
  return new KeywardError('internal_error', { cause: err });
}

/**
 * The error handler that makes one API speak one error language: renders `KeywardError`s
 * (from keyward or host code), turns body-parser failures into `malformed_body` /
 * `payload_too_large`, and any other error into a 500 `internal_error` that leaks nothing.
 * Mount it last.
 *
 * @example
 * ```ts
 * app.use(problemHandler({ onInternalError: (err) => logger.error(err) }));
 * ```
 */
export function problemHandler(options?: ProblemHandlerOptions): ErrorMiddleware {
  const o = checkOptions<ProblemHandlerOptions>('problemHandler', options, [
    'errorFormat',
    'typeBase',
    'onInternalError',
  ]);
  const render = {
    errorFormat: validateErrorFormat('problemHandler', o.errorFormat),
    typeBase: o.typeBase,
  };
  const onInternalError = o.onInternalError;
  return function problemHandlerMiddleware(
    err: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ): void {
    if (res.headersSent) return next(err);
    const error = toKeywardError(err);
    if (error.code === 'internal_error' && onInternalError) {
      try {
        onInternalError(err, req);
      } catch {
        // The logger failing must not turn a 500 into a crash.
      }
    }
    sendError(req, res, error, render);
  };
}
