/** Raised when a store call takes longer than the component's `timeoutMs`. */
export class StoreTimeoutError extends Error {
  constructor(operation: string, ms: number) {
    super(`${operation} timed out after ${ms} ms`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * Runs a store call with a deadline, turning a synchronous throw into a rejection, so a hung
 * or broken store answers in bounded time and never escapes as an uncaught error.
 */
export function callStore<T>(
  operation: string,
  timeoutMs: number,
  call: () => Promise<T>,
  inProcess = false,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  // An in-process store cannot hang on I/O; a timer per call would only cost time.
  if (inProcess || !Number.isFinite(timeoutMs)) return pending;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreTimeoutError(operation, timeoutMs)), timeoutMs);
    // A deadline must not keep the process alive on its own (the request's socket does).
    timer.unref?.();
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A short, secret-free description of a store error for events: class and code, never the message. */
export function describeStoreError(err: unknown): string {
  if (err instanceof StoreTimeoutError) return 'timeout';
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${err.name} ${code}` : err.name;
  }
  return typeof err;
}

/**
 * Tracks a store's health for one component so `store.error` is reported on each failure and
 * `store.recovered` once when it works again.
 */
export class StoreHealth {
  #failing = false;
  constructor(private readonly onRecover: () => void) {}
  failed(): void {
    this.#failing = true;
  }
  succeeded(): void {
    if (this.#failing) {
      this.#failing = false;
      this.onRecover();
    }
  }
}
