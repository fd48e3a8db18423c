/**
 * True when `granted` covers `required`: an exact match, `*`, or `prefix:*` covering
 * `prefix:anything` (but not `prefixother:…`). Wildcards nest: `a:*` covers `a:b:c`.
 */
export function scopeCovers(granted: string, required: string): boolean {
  if (granted === '*' || granted === required) return true;
  if (granted.endsWith(':*')) {
    const base = granted.slice(0, -1); // keeps the colon: "a:"
    return required.length > base.length && required.startsWith(base);
  }
  return false;
}

/** The required scopes none of `granted` covers. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((r) => !granted.some((g) => scopeCovers(g, r)));
}
