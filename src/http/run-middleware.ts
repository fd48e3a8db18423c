import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction } from '../types.js';

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void | Promise<void>;
type OnError = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
  err: unknown,
) => void;

/**
 * Runs a middleware body that answers synchronously on its fast path and returns a promise
 * otherwise, sending a throw or a rejection to `onError` (Express 4 would leave a rejected
 * promise unhandled). No closure is allocated per request.
 */
export function runMiddleware(
  handler: Handler,
  onError: OnError,
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
): void {
  let pending: void | Promise<void>;
  try {
    pending = handler(req, res, next);
  } catch (err) {
    onError(req, res, next, err);
    return;
  }
  if (pending) pending.catch((err: unknown) => onError(req, res, next, err));
}
