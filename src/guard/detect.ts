import { normalize } from './normalize.js';
import { isPathTraversal } from './path-detector.js';
import { isSqlInjection } from './sql-detector.js';
import type { ViolationCategory } from './violation.js';
import { isXss } from './xss-detector.js';

/**
 * A cheap pre-filter: every SQL rule (sql-detector.ts) needs one of these characters or
 * words, so text with none of them cannot match and skips the tokenizer. Keep in step
 * with the rules: a rule made only of words must add its word here.
 */
const SQL_SIGNAL_CHARS = new Set([...'\'"();=<>!|&+-*/%^~:@#'].map((ch) => ch.charCodeAt(0)));
const SQL_SIGNAL_WORDS = [
  'union', // US
  'by', // ^1B1 (order by / group by)
  'true', // ^1&t
  'false',
  'waitfor', // Wk
  'xp_', // X
  'sp_',
  'information_schema',
  'sys',
  'pg_',
  'utl_',
  'dbms_',
  'outfile',
  'dumpfile',
  'sqlite_master',
];

function mayBeSql(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (SQL_SIGNAL_CHARS.has(s.charCodeAt(i))) return true;
  return SQL_SIGNAL_WORDS.some((word) => s.includes(word));
}

/** Categories to run; `undefined` means all three. */
export type CheckSet = ReadonlySet<ViolationCategory> | undefined;

/**
 * Runs the detectors over one string: normalises it once (`normalize`), then asks each
 * enabled detector. Linear in the length of `text`.
 *
 * @example
 * ```ts
 * detect('%3Cscript%3Ealert(1)%3C/script%3E'); // ['xss']
 * detect("O'Brien"); // []
 * ```
 */
export function detect(text: string, checks?: CheckSet): ViolationCategory[] {
  const found: ViolationCategory[] = [];
  if (text.length === 0) return found;
  const s = normalize(text);
  if ((!checks || checks.has('sql_injection')) && mayBeSql(s) && isSqlInjection(s)) {
    found.push('sql_injection');
  }
  if ((!checks || checks.has('xss')) && isXss(s)) found.push('xss');
  if ((!checks || checks.has('path_traversal')) && isPathTraversal(s)) found.push('path_traversal');
  return found;
}
