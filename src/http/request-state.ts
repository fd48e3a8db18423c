import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorFormat } from '../errors/render.js';

/** Per-request bookkeeping shared by every keyward middleware that sees the request. */
export interface RequestState {
  requestId: string;
  /** The error format chosen by the first keyward middleware that ran (SPEC §5). */
  errorFormat: ErrorFormat | undefined;
}

const STATE = Symbol.for('keyward.requestState');
type WithState = IncomingMessage & { [STATE]?: RequestState };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A fresh request id: a v4 UUID. `randomUUID` draws from a cached entropy pool, where
 * `randomBytes(16)` asked the system RNG on every request (15% of a cached auth in profiles).
 */
export function newRequestId(): string {
  return randomUUID();
}

function incomingRequestId(req: IncomingMessage): string | undefined {
  const raw = req.headers['x-request-id'];
  return typeof raw === 'string' && REQUEST_ID.test(raw) ? raw : undefined;
}

/**
 * Returns the request's keyward state, creating it on first use: picks the request id (the
 * incoming `X-Request-Id` when well-formed, else a new one) and sets it on the response.
 * The first middleware to call this fixes the request's error format.
 */
export function requestState(
  req: IncomingMessage,
  res: ServerResponse,
  errorFormat?: ErrorFormat,
): RequestState {
  const holder = req as WithState;
  let state = holder[STATE];
  if (!state) {
    state = { requestId: incomingRequestId(req) ?? newRequestId(), errorFormat };
    holder[STATE] = state;
  } else if (state.errorFormat === undefined && errorFormat !== undefined) {
    state.errorFormat = errorFormat;
  }
  if (!res.headersSent && !res.hasHeader('x-request-id')) {
    res.setHeader('X-Request-Id', state.requestId);
  }
  return state;
}

/** The request id keyward assigned, if any middleware ran. */
export function peekRequestId(req: IncomingMessage): string | undefined {
  return (req as WithState)[STATE]?.requestId;
}
