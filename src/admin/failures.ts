import { isKeywardError, KeywardError } from '../errors/keyward-error.js';

/** A store call that failed (not a keyward error): answered 503, its message never shown. */
export class StoreFailure extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`key store ${operation} failed`);
    this.name = 'StoreFailure';
  }
}

/** Runs a store call, labelling any failure that is not a keyward error as a {@link StoreFailure}. */
export async function fromStore<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isKeywardError(err)) throw err;
    throw new StoreFailure(operation, err);
  }
}

/** Refuses fields outside `allowed`, naming the first unknown one. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field))
      throw new KeywardError('bad_request', {
        field,
        detail: `Unknown field "${field}". Known fields: ${allowed.join(', ')}.`,
      });
  }
}

/** A 404 in the error model. */
export function notFound(what = 'API key'): KeywardError {
  return new KeywardError('not_found', { detail: `No ${what} with this id.` });
}
