import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeywardRequest } from '../types.js';
import { originalPath } from '../http/request-path.js';
import { requestState } from '../http/request-state.js';
import type { KeywardError } from './keyward-error.js';
import { buildProblem } from './problem-document.js';

/** The body keyward would send for an error, handed to a custom formatter. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** The RFC 9457 problem document keyward would send by default. */
  problem: Record<string, unknown>;
  error: KeywardError;
}

/**
 * A custom error renderer: gets the error and the problem document keyward built and writes
 * the response itself (status and `X-Request-Id` are already set).
 */
export type ErrorFormatter = (
  response: ErrorResponse,
  req: IncomingMessage,
  res: ServerResponse,
) => void;

/**
 * How errors are rendered: `'problem'` (RFC 9457, `application/problem+json`), `'envelope'`
 * (`{ "error": { "code", "message", "status" } }`, `application/json`) or a function.
 *
 * @defaultValue `'problem'` (or the format chosen by the first keyward middleware for the request)
 */
export type ErrorFormat = 'problem' | 'envelope' | ErrorFormatter;

/** Default base of the `type` URIs of problems; the code is appended. */
export const DEFAULT_TYPE_BASE = 'https://keyward.dev/errors/';

/** Options every keyward component that renders errors accepts. */
export interface RenderOptions {
  errorFormat?: ErrorFormat | undefined;
  /** Base URI of problem `type`s. @defaultValue `'https://keyward.dev/errors/'` */
  typeBase?: string | undefined;
}

/** Throws at construction when `errorFormat` is not a known value. */
export function validateErrorFormat(where: string, value: unknown): ErrorFormat | undefined {
  if (value === undefined || value === 'problem' || value === 'envelope') return value;
  if (typeof value === 'function') return value as ErrorFormatter;
  throw new TypeError(
    `${where}: received an unsupported \`errorFormat\`, ${JSON.stringify(value)}. ` +
      `Use 'problem', 'envelope' or a function (response, req, res) => void.`,
  );
}

/** Builds the problem document of `error` for `req`. */
export function problemOf(
  error: KeywardError,
  req: KeywardRequest,
  requestId: string,
  typeBase = DEFAULT_TYPE_BASE,
): Record<string, unknown> {
  return buildProblem(
    {
      type: typeBase + error.code,
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance: originalPath(req),
    },
    { code: error.code, requestId, ...error.extensions },
  );
}

/**
 * Answers `req` with `error` in the request's error format. Never throws: when the response
 * has already started it can only end it.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: KeywardError,
  options: RenderOptions = {},
): void {
  const state = requestState(req, res, options.errorFormat);
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const format = options.errorFormat ?? state.errorFormat ?? 'problem';
  const problem = problemOf(error, req, state.requestId, options.typeBase);
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  if (typeof format === 'function') {
    try {
      format({ status: error.status, headers: { ...error.headers }, problem, error }, req, res);
      return;
    } catch {
      // A broken custom formatter falls back to the standard problem document below.
      if (res.headersSent) {
        if (!res.writableEnded) res.end();
        return;
      }
    }
  }
  let body: string;
  if (format === 'envelope' && typeof format !== 'function') {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    body = JSON.stringify({
      error: { code: error.code, message: error.detail, status: error.status },
    });
  } else {
    res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    body = JSON.stringify(problem);
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}
