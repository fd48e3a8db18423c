/** Edit distance, for "did you mean" hints on misspelt options. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = current;
    }
  }
  return row[b.length] as number;
}

/**
 * Throws when `options` is not a plain object or has a property not in `known`, naming the
 * property and the closest known one: "received an unsupported property, `maxage`. Did you
 * mean to pass `maxAge`?"
 */
export function checkOptions<T extends object>(
  where: string,
  options: unknown,
  known: readonly (keyof T & string)[],
): T {
  if (options === undefined) return {} as T;
  if (typeof options === 'function') {
    throw new TypeError(
      `${where}: received a function as options. Did you write app.use(${where}) instead of app.use(${where}())?`,
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `${where}: options must be an object, received ${options === null ? 'null' : typeof options}.`,
    );
  }
  for (const name of Object.keys(options)) {
    if ((known as readonly string[]).includes(name)) continue;
    const best = [...known].sort((a, b) => distance(name, a) - distance(name, b))[0];
    const hint =
      best !== undefined && distance(name, best) <= 3
        ? ` Did you mean to pass \`${best}\`?`
        : ` Known options: ${known.join(', ')}.`;
    throw new TypeError(`${where}: received an unsupported property, \`${name}\`.${hint}`);
  }
  return options as T;
}

/** A positive finite number (or `Infinity` when allowed), else a construction-time TypeError. */
export function positiveNumber(
  where: string,
  name: string,
  value: unknown,
  allowInfinity = false,
): number {
  if (
    typeof value === 'number' &&
    value > 0 &&
    (Number.isFinite(value) || (allowInfinity && value === Infinity))
  )
    return value;
  throw new TypeError(
    `${where}: \`${name}\` must be a positive number${allowInfinity ? ' or Infinity' : ''}, received ${JSON.stringify(value)}.`,
  );
}

/** Throws at construction when `clock` is present but not a function. */
export function validateClock(where: string, clock: unknown): () => number {
  if (clock === undefined) return Date.now;
  if (typeof clock === 'function') return clock as () => number;
  throw new TypeError(
    `${where}: \`clock\` must be a function returning ms since epoch, e.g. () => Date.now().`,
  );
}
