/** The attack classes `requestGuard` and {@link inspect} detect (SPEC §7). */
export type ViolationCategory = 'sql_injection' | 'xss' | 'path_traversal';

/** Every category, in report order. */
export const VIOLATION_CATEGORIES: readonly ViolationCategory[] = [
  'sql_injection',
  'xss',
  'path_traversal',
];

/**
 * One finding: what was detected and where. Never carries the offending text, so a
 * violation can be logged or sent back to the client without echoing the payload.
 *
 * @example
 * ```ts
 * const v: Violation = { category: 'sql_injection', location: 'query.q' };
 * ```
 */
export interface Violation {
  category: ViolationCategory;
  /** Dotted path: `path`, `query.<name>`, `body.<a>.<b>` (array indexes as numbers), `headers.<name>`. */
  location: string;
}

/** True when `value` names a category. */
export function isViolationCategory(value: unknown): value is ViolationCategory {
  return value === 'sql_injection' || value === 'xss' || value === 'path_traversal';
}
