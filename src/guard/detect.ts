import { normalize } from './normalize.js';
import { isPathTraversal } from './path-detector.js';
import { isSqlInjection } from './sql-detector.js';
import type { ViolationCategory } from './violation.js';
import { isXss } from './xss-detector.js';

/**
 * Cheap pre-filters: text that fails one cannot match that detector's rules, so the detector
 * is skipped. They read the normalised text and must stay supersets of the rules: a rule
 * that starts needing another character or word must add it here.
 *
 * SQL (sql-detector.ts), derived rule by rule: every quoted-context rule needs a quote;
 * `F`, `f`, `(`, `)`, `;`, `V`/`v` and comment tokens need one of `;()@#`, `--` or `/*`.
 * Without those, only these fingerprints remain possible: `US`, `Sok` (`union`, `select`),
 * `X` and `W` (their words), `&1=1` / `^1&1=` / `^1&n=` / `^1&t` (an equality — `=`, `<>`,
 * `like`, `regexp`, `sounds` — or a boolean) and `^1B1` (`by` after a literal: a digit or
 * `null`).
 */
const SQL_SIGNAL_WORDS =
  /union|select|waitfor|xp_|sp_|information_schema|sysobjects|syscolumns|sqlite_master|pg_|utl_|dbms_|outfile|dumpfile|like|regexp|sounds|true|false/;
const DIGIT_OR_NULL = /[0-9]|null/;

/** Character classes of the pre-filters, by char code (ASCII). */
const SQL_CHAR = 1;
const XSS_CHAR = 2;
const PATH_CHAR = 4;
/** Something `normalize` would decode or drop: `%`, `&`, `\`, a null byte. */
const DECODE = 8;
const UPPER = 16;
const CHAR_CLASS = new Uint8Array(128);
function mark(chars: string, bit: number): void {
  for (const ch of chars) CHAR_CLASS[ch.charCodeAt(0)] = (CHAR_CLASS[ch.charCodeAt(0)] ?? 0) | bit;
}
mark('\'";()@#=<', SQL_CHAR);
// isXss: a URL scheme needs `:`, a tag `<`; script outside tags `=`, `:`, `(` or a backtick.
mark(':<=(`', XSS_CHAR);
// isPathTraversal: `..`, a separator, `.ini`, `.ht` or `id_rsa`.
mark('./\\_', PATH_CHAR);
mark('%&\\\0', DECODE);
mark('ABCDEFGHIJKLMNOPQRSTUVWXYZ', UPPER);
/** Non-ASCII: `normalize` folds it (NFKC), and every detector reads the result. */
const NON_ASCII = SQL_CHAR | XSS_CHAR | PATH_CHAR | DECODE;

/** One pass over `s`: the union of its characters' classes; `--` and `/*` count as SQL. */
function scan(s: string): number {
  let found = 0;
  let previous = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    found |= c < 128 ? (CHAR_CLASS[c] as number) : NON_ASCII;
    if ((previous === 45 && c === 45) || (previous === 47 && c === 42)) found |= SQL_CHAR;
    previous = c;
  }
  return found;
}

/** Bits of {@link detectBits}, in the order `detect` reports categories. */
export const FOUND_SQL = 1;
export const FOUND_XSS = 2;
export const FOUND_PATH = 4;

/** Categories to run; `undefined` means all three. */
export type CheckSet = ReadonlySet<ViolationCategory> | undefined;

/**
 * {@link detect} as bits (`FOUND_SQL`, `FOUND_XSS`, `FOUND_PATH`), without an array per
 * string. Text that needs no decoding is only lower-cased (what `normalize` would do to it),
 * and each detector runs only when its pre-filter lets it.
 */
export function detectBits(text: string, checks?: CheckSet): number {
  if (text.length === 0) return 0;
  let classes = scan(text);
  let s: string;
  if ((classes & DECODE) !== 0) {
    s = normalize(text);
    classes = scan(s);
  } else {
    s = (classes & UPPER) !== 0 ? text.toLowerCase() : text;
  }
  if ((classes & SQL_CHAR) === 0 && s.length >= 3) {
    if (SQL_SIGNAL_WORDS.test(s) || (s.includes('by') && DIGIT_OR_NULL.test(s))) {
      classes |= SQL_CHAR;
    }
  }
  let found = 0;
  if ((classes & SQL_CHAR) !== 0 && (!checks || checks.has('sql_injection')) && isSqlInjection(s)) {
    found |= FOUND_SQL;
  }
  if ((classes & XSS_CHAR) !== 0 && (!checks || checks.has('xss')) && isXss(s)) found |= FOUND_XSS;
  if (
    (classes & PATH_CHAR) !== 0 &&
    (!checks || checks.has('path_traversal')) &&
    isPathTraversal(s)
  ) {
    found |= FOUND_PATH;
  }
  return found;
}

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
  const bits = detectBits(text, checks);
  const found: ViolationCategory[] = [];
  if ((bits & FOUND_SQL) !== 0) found.push('sql_injection');
  if ((bits & FOUND_XSS) !== 0) found.push('xss');
  if ((bits & FOUND_PATH) !== 0) found.push('path_traversal');
  return found;
}
