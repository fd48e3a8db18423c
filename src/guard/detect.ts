import { normalize } from './normalize.js';
import { isPathTraversal } from './path-detector.js';
import {
  isSqlInjection,
  quotedRuleMayMatch,
  selectMayMatch,
  statementMayFollow,
} from './sql-detector.js';
import type { ViolationCategory } from './violation.js';
import { isXss } from './xss-detector.js';

/**
 * Cheap pre-filters: text that fails one cannot match that detector's rules, so the detector
 * is skipped. They read the normalised text and must stay supersets of the rules: a rule
 * that starts needing another token must add what produces it here (tests/guard/
 * prefilter.test.ts checks the word list against sql-words.ts).
 *
 * SQL (sql-detector.ts), derived rule by rule: the anchored quoted-context rules need a quote
 * and one of a few tokens right after the opening string (`quotedRuleMayMatch`); every other
 * rule holds one of the tokens `U F X V W &` — made only by the words below, `@@`, `||` or
 * `&&` — or `;E` (a `;` and a statement word) or `S` with `(`, `;` or an operator token
 * (`Sok`), except the bare `^1)`, `^1;` and `^1B1` (a literal first: a digit or `null`; then
 * `)`, `;` or `by`). `/*` is kept because removing comments can join a keyword.
 */
export const SQL_ANCHOR_WORDS =
  /\b(?:union|and|or|xor|where|having|waitfor|xp_cmdshell|sp_executesql|sp_oacreate|sp_makewebtask|information_schema|sysobjects|syscolumns|sqlite_master|pg_shadow|pg_catalog|utl_http|utl_inaddr|dbms_pipe|outfile|dumpfile|sleep|benchmark|pg_sleep|load_file|extractvalue|updatexml|sys_eval|sys_exec|receive_message|get_host_name|name_const|geometrycollection|multipoint|randomblob)\b/;
const BY_WORD = /\bby\b/;
const NULL_WORD = /\bnull\b/;

/** Character classes of the pre-filters, by char code (ASCII). */
/** From pairs, `/*`, `@@`, `||`, `&&` (and non-ASCII): the SQL detector must run. */
const SQL_CHAR = 1;
const XSS_CHAR = 2;
const PATH_CHAR = 4;
/** Something `normalize` would decode or drop: `%`, `&`, `\`, a null byte. */
const DECODE = 8;
const UPPER = 16;
/** `)` or `;`, which a bare rule may follow a leading literal with. */
const SQL_TAIL = 32;
const DIGIT = 64;
const SEMICOLON = 128;
const QUOTE = 256;
const PAREN = 512;
/** `:`, `=`, `(`, a backtick: script when a letter comes right before. */
const SCRIPT_PUNCT = 1024;
/** The second character of a pair `scan` looks at: `*`, `@`, `|`, `&`, `.`, `i`, `h`, or SCRIPT_PUNCT. */
const PAIRED = 2048;
const CHAR_CLASS = new Uint16Array(128);
function mark(chars: string, bit: number): void {
  for (const ch of chars) CHAR_CLASS[ch.charCodeAt(0)] = (CHAR_CLASS[ch.charCodeAt(0)] ?? 0) | bit;
}
mark('\'"', QUOTE);
mark('(', PAREN);
mark(');', SQL_TAIL);
mark(';', SEMICOLON);
mark('0123456789', DIGIT);
// isXss: a tag needs `<`; everything else a word (a scheme, an event handler, a sink) ending
// in a letter right before `:`, `=`, `(` or a backtick (spaces between): see `scan`.
mark('<', XSS_CHAR);
mark(':=(`', SCRIPT_PUNCT | PAIRED);
mark('*@|&.iIhH', PAIRED);
// isPathTraversal: a separator, `id_rsa`; `..`, `.ini` and `.ht` are found as pairs in `scan`.
mark('/\\_', PATH_CHAR);
mark('%&\\\0', DECODE);
mark('ABCDEFGHIJKLMNOPQRSTUVWXYZ', UPPER);
/** Non-ASCII: `normalize` folds it (NFKC), and every detector reads the result. */
const NON_ASCII = SQL_CHAR | XSS_CHAR | PATH_CHAR | DECODE;

/**
 * One pass over `s`: the union of its characters' classes; the pairs `/*`, `@@`, `||`, `&&`
 * count as SQL, `..`, `.i`, `.h` (any case) as a possible path, and a letter before `:`,
 * `=`, `(` or a backtick (spaces between) as possible script.
 */
function scan(s: string): number {
  let found = 0;
  let previous = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const cls = c < 128 ? (CHAR_CLASS[c] as number) : NON_ASCII;
    found |= cls;
    if ((cls & PAIRED) !== 0) {
      if (
        (previous === 47 && c === 42) ||
        (c === previous && (c === 64 || c === 124 || c === 38))
      ) {
        found |= SQL_CHAR;
      } else if (previous === 46 && (c === 46 || (c | 0x20) === 105 || (c | 0x20) === 104)) {
        // `..`, `.i` (`.ini`), `.h` (`.ht…`), in any case: what a path needs besides a separator.
        found |= PATH_CHAR;
      } else if ((cls & SCRIPT_PUNCT) !== 0 && letterBefore(s, i)) {
        found |= XSS_CHAR;
      }
    }
    previous = c;
  }
  return found;
}

/** Whether the last character before `i` that is not a space (≤ 32) is an ASCII letter. */
function letterBefore(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && s.charCodeAt(j) <= 32) j -= 1;
  return j >= 0 && ((s.charCodeAt(j) | 0x20) - 97) >>> 0 < 26;
}

/** Whether the SQL detector can match normalised `s` with these character classes. */
function maySql(s: string, classes: number): boolean {
  if ((classes & SQL_CHAR) !== 0) return true;
  if (s.length < 2) return false;
  if (SQL_ANCHOR_WORDS.test(s)) return true;
  if ((classes & SEMICOLON) !== 0 && statementMayFollow(s)) return true;
  if (s.includes('select') && ((classes & (PAREN | SEMICOLON)) !== 0 || selectMayMatch(s))) {
    return true;
  }
  // `includes` first: one substring search is cheaper than one more regex pass per string.
  if (
    ((classes & SQL_TAIL) !== 0 || (s.includes('by') && BY_WORD.test(s))) &&
    ((classes & DIGIT) !== 0 || (s.includes('null') && NULL_WORD.test(s)))
  ) {
    return true;
  }
  return (classes & QUOTE) !== 0 && quotedRuleMayMatch(s);
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
  let found = 0;
  if ((!checks || checks.has('sql_injection')) && maySql(s, classes) && isSqlInjection(s)) {
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
