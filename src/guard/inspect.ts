import { FOUND_PATH, FOUND_SQL, FOUND_XSS, detectBits } from './detect.js';
import { isViolationCategory, type Violation, type ViolationCategory } from './violation.js';

/** Options of {@link inspect}. */
export interface InspectOptions {
  /**
   * Categories to detect.
   * @defaultValue all: `['sql_injection', 'xss', 'path_traversal']`
   */
  checks?: readonly ViolationCategory[];
  /**
   * Location of `value` itself; nested values extend it with `.key` / `.index`.
   * @defaultValue `''` (a bare string is reported at `''`, `{ a: … }` at `a`)
   */
  location?: string;
  /**
   * Deepest nesting of objects/arrays inspected; deeper values are not read and the result
   * says `truncated: 'depth'`.
   * @defaultValue `32`
   */
  maxDepth?: number;
  /**
   * Characters (keys and string values) inspected at most; the rest is not read and the
   * result says `truncated: 'bytes'`.
   * @defaultValue `1048576` (1 MiB)
   */
  maxBytes?: number;
}

/** What {@link inspect} found. */
export interface InspectionResult {
  /** Distinct (category, location) pairs, in the order found; at most {@link MAX_VIOLATIONS}. */
  violations: Violation[];
  /** Set when a cap stopped the inspection before the whole value was read. */
  truncated?: 'depth' | 'bytes';
}

/** Violations reported at most: enough to act on, never a response larger than the attack. */
export const MAX_VIOLATIONS = 100;

/** Internal, resolved form of {@link InspectOptions}. */
export interface InspectConfig {
  checks: ReadonlySet<ViolationCategory> | undefined;
  maxDepth: number;
  maxBytes: number;
}

/** One walk over a value: a shared budget, so several roots (query, body…) can share it. */
export class Inspection {
  readonly violations: Violation[] = [];
  truncated: 'depth' | 'bytes' | undefined;
  /** Reported (category, location) pairs; created on the first finding. */
  private seen: Set<string> | undefined;
  private budget: number;

  constructor(
    private readonly config: InspectConfig,
    private readonly exempt?: (category: ViolationCategory, location: string) => boolean,
  ) {
    this.budget = config.maxBytes;
  }

  /** Whether the walk should go on: no cap hit and room for more violations. */
  get open(): boolean {
    return this.truncated === undefined && this.violations.length < MAX_VIOLATIONS;
  }

  /** Inspects one string, reporting findings at `location`. */
  text(text: string, location: string): void {
    const found = this.scan(text);
    if (found !== 0) this.reportAll(found, location);
  }

  /** Inspects a parsed value (string, array, object), keys reported at their holder. */
  value(value: unknown, location: string, depth = 0): void {
    if (!this.open) return;
    if (typeof value === 'string') {
      this.text(value, location);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (ArrayBuffer.isView(value) || value instanceof Date) return;
    if (depth >= this.config.maxDepth) {
      this.truncated = 'depth';
      return;
    }
    const prefix = location === '' ? '' : `${location}.`;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && this.open; i++) {
        this.member(value[i], prefix, i, depth + 1);
      }
      return;
    }
    for (const key of Object.keys(value)) {
      if (!this.open) return;
      this.text(key, location);
      this.member((value as Record<string, unknown>)[key], prefix, key, depth + 1);
    }
  }

  /**
   * One element or property: its location (`prefix` + `key`) is only built when it is
   * needed — for a finding, or to descend — not for every scalar of the walk.
   */
  private member(value: unknown, prefix: string, key: string | number, depth: number): void {
    if (typeof value === 'string') {
      const found = this.scan(value);
      if (found !== 0) this.reportAll(found, `${prefix}${key}`);
    } else if (typeof value === 'object' && value !== null) {
      this.value(value, `${prefix}${key}`, depth);
    }
  }

  /** Runs the detectors over `text` within the budget; the categories found, as bits. */
  private scan(text: string): number {
    if (!this.open) return 0;
    let input = text;
    if (input.length > this.budget) {
      input = input.slice(0, this.budget);
      this.truncated = 'bytes';
    }
    this.budget -= input.length;
    return detectBits(input, this.config.checks);
  }

  private reportAll(found: number, location: string): void {
    if ((found & FOUND_SQL) !== 0) this.report('sql_injection', location);
    if ((found & FOUND_XSS) !== 0) this.report('xss', location);
    if ((found & FOUND_PATH) !== 0) this.report('path_traversal', location);
  }

  private report(category: ViolationCategory, location: string): void {
    const id = `${category}\0${location}`;
    this.seen ??= new Set();
    if (this.seen.has(id) || this.violations.length >= MAX_VIOLATIONS) return;
    if (this.exempt?.(category, location)) return;
    this.seen.add(id);
    this.violations.push({ category, location });
  }
}

function positiveOrDefault(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0 && !Number.isNaN(value)) return value;
  throw new TypeError(
    `inspect: \`${name}\` must be a positive number, received ${JSON.stringify(value)}.`,
  );
}

/** Resolves and checks {@link InspectOptions}; throws a TypeError naming a bad option. */
export function resolveInspectOptions(where: string, options: InspectOptions): InspectConfig {
  const { checks } = options;
  if (checks !== undefined && (!Array.isArray(checks) || !checks.every(isViolationCategory))) {
    throw new TypeError(
      `${where}: \`checks\` must be an array of 'sql_injection', 'xss', 'path_traversal', received ${JSON.stringify(checks)}.`,
    );
  }
  return {
    checks: checks === undefined ? undefined : new Set(checks),
    maxDepth: positiveOrDefault('maxDepth', options.maxDepth, 32),
    maxBytes: positiveOrDefault('maxBytes', options.maxBytes, 1024 * 1024),
  };
}

/**
 * The detection engine as a pure function: inspects a string or a parsed value (nested
 * objects and arrays, keys included) for SQL injection, XSS and path traversal. Findings
 * name a category and a location, never the text. A bad object key is reported at the
 * location of the object that holds it. Never throws on any input; throws a TypeError
 * only for bad options.
 *
 * @example
 * ```ts
 * inspect({ q: "1' or '1'='1", tags: ['<svg onload=alert(1)>'] }, { location: 'body' });
 * // { violations: [{ category: 'sql_injection', location: 'body.q' },
 * //                { category: 'xss', location: 'body.tags.0' }] }
 * inspect("O'Brien").violations; // []
 * ```
 */
export function inspect(value: unknown, options: InspectOptions = {}): InspectionResult {
  const run = new Inspection(resolveInspectOptions('inspect', options));
  run.value(value, options.location ?? '');
  return run.truncated === undefined
    ? { violations: run.violations }
    : { violations: run.violations, truncated: run.truncated };
}
