import { DANGEROUS_FUNCTIONS, SQL_WORDS, UNION_MODIFIERS } from './sql-words.js';

/** Where the input is assumed to start: outside any string, or inside a quoted one. */
export type SqlContext = 'bare' | "'" | '"';

function isSpace(c: number): boolean {
  return c <= 32 || c === 0x7f || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 36 ||
    (c >= 65 && c <= 90) ||
    (c > 0x7f && !isSpace(c))
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Comparisons a tautology is built from; `<`, `>` and arithmetic stay `o`. */
const EQUALITY = new Set(['=', '==', '<>', '!=', '<=>', ':=']);

const OPERATOR_CHARS = new Set([...'=<>!|&+-*/%^~:'].map((ch) => ch.charCodeAt(0)));

/** End of a quoted string opened before `i` with `quote` (backslash and doubled escapes). */
function stringEnd(s: string, i: number, quote: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 92) j += 2;
    else if (c === quote) {
      if (s.charCodeAt(j + 1) !== quote) return j + 1;
      j += 2;
    } else j += 1;
  }
  return s.length;
}

/** End of a numeric literal at `i`, or -1 when the word is not a number ("3rd", "2fa"). */
function numberEnd(s: string, i: number): number {
  let j = i;
  const x = s.charCodeAt(i + 1) | 0x20;
  if (s.charCodeAt(i) === 48 && (x === 120 || x === 98)) {
    j += 2;
    while (
      j < s.length &&
      /* hex digits and letters are checked below */ isWordChar(s.charCodeAt(j))
    )
      j += 1;
    return j;
  }
  while (isDigit(s.charCodeAt(j))) j += 1;
  if (s.charCodeAt(j) === 46) {
    j += 1;
    while (isDigit(s.charCodeAt(j))) j += 1;
  }
  if ((s.charCodeAt(j) | 0x20) === 101) {
    let k = j + 1;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) k += 1;
    if (isDigit(s.charCodeAt(k))) {
      j = k;
      while (isDigit(s.charCodeAt(j))) j += 1;
    }
  }
  return isWordChar(s.charCodeAt(j)) ? -1 : j;
}

/**
 * Collects tokens, folding runs that mean the same thing. The last token is kept apart, so
 * folding never reads the growing string (which would flatten it on every token).
 */
class Fingerprint {
  private text = '^';
  private last = '^';
  private lastWord = '';
  push(token: string, word = ''): void {
    const prev = this.lastWord;
    this.lastWord = word;
    if ((token === '(' || token === ')' || token === '&') && this.last === token) return;
    if (token === '!' && this.last === '&') return;
    if (this.last === 'U' && UNION_MODIFIERS.has(word)) return;
    if (word === 'by' && (prev === 'order' || prev === 'group')) {
      this.text = this.text.slice(0, -1) + 'B';
      this.last = 'B';
      return;
    }
    this.text += token;
    this.last = token;
  }
  /** Tokens so far, `^` not counted. */
  get size(): number {
    return this.text.length - 1;
  }
  done(): string {
    return this.text + '$';
  }
}

/** Index of a word's character in {@link KNOWN_STARTS}: `a`–`z`, `_`; -1 for any other. */
function letterIndex(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  return c === 95 ? 26 : -1;
}

/** {@link KNOWN_STARTS} slot of the first three characters of a word (the third may be absent or any). */
function startSlot(a: number, b: number, c: number): number {
  return (a * 27 + b) * 28 + (c === -1 ? 27 : c);
}

/**
 * The first three characters of every word the tokenizer or `Fingerprint` reads by name
 * (`SQL_WORDS`, `DANGEROUS_FUNCTIONS`, `UNION_MODIFIERS`, `order` / `group` / `by`); a
 * two-letter word has "none" as its third. Any other word is a plain name — `n`, or `f`
 * before `(` — and is never sliced or looked up: most words of prose are filtered here.
 */
const KNOWN_STARTS = new Uint8Array(27 * 27 * 28);
const LONGEST_KNOWN = Math.max(
  ...[...SQL_WORDS.keys(), ...DANGEROUS_FUNCTIONS, ...UNION_MODIFIERS, 'order', 'group', 'by'].map(
    (word) => {
      const third = word.length > 2 ? letterIndex(word.charCodeAt(2)) : -1;
      KNOWN_STARTS[
        startSlot(letterIndex(word.charCodeAt(0)), letterIndex(word.charCodeAt(1)), third)
      ] = 1;
      return word.length;
    },
  ),
);

/** Whether `s.slice(start, end)` may be a word read by name (see {@link KNOWN_STARTS}). */
function mayBeKnown(s: string, start: number, end: number): boolean {
  if (end - start < 2 || end - start > LONGEST_KNOWN) return false;
  const a = letterIndex(s.charCodeAt(start));
  const b = letterIndex(s.charCodeAt(start + 1));
  if (a === -1 || b === -1) return false;
  // A third character that is not a letter or `_` (a digit, `$`…) is read as "none".
  const c = end - start > 2 ? letterIndex(s.charCodeAt(start + 2)) : -1;
  return KNOWN_STARTS[startSlot(a, b, c)] === 1;
}

/** Class of the word `word` ending at `end` (its next character decides a function call). */
function wordToken(s: string, word: string, end: number): string {
  const known = SQL_WORDS.get(word);
  if (known !== undefined) return known;
  const next = s.charCodeAt(end);
  // Only `(`, a space or a comment can lead to a call; most words end otherwise.
  if (next !== 40 && next !== 42 && next !== 47 && !isSpace(next)) return 'n';
  return callToken(s, end, DANGEROUS_FUNCTIONS.has(word));
}

/** `f` (or `F` for a dangerous name) when a call's `(` follows the word ending at `end`. */
function callToken(s: string, end: number, dangerous: boolean): string {
  let j = end;
  for (;;) {
    // The `*/` closing a MySQL executable comment never separates a name from its `(`.
    if (s.charCodeAt(j) === 42 && s.charCodeAt(j + 1) === 47) j += 2;
    else if (dangerous && isSpace(s.charCodeAt(j))) j += 1;
    else if (dangerous && s.charCodeAt(j) === 47 && s.charCodeAt(j + 1) === 42) {
      const close = s.indexOf('*/', j + 2);
      if (close === -1 || close - j > 64) break;
      j = close + 2;
    } else break;
  }
  if (s.charCodeAt(j) !== 40) return 'n';
  return dangerous ? 'F' : 'f';
}

/**
 * Tokenizes `s` (already normalised, lower case) as SQL and returns its fingerprint: `^`,
 * one character per token (see `SQL_WORDS`), `$`. In a quoted context the text up to the
 * first closing quote is one string token — the position of a value pasted into `'…'`.
 * `/* … *\/` comments separate tokens; MySQL's executable `/*!50000 … *\/` are read as code.
 * With `maxTokens`, tokenizing stops once that many tokens are in (still ending in `$`).
 *
 * @example
 * ```ts
 * sqlFingerprint("admin' or 1=1--", "'"); // "^s&1o1c$"
 * ```
 */
export function sqlFingerprint(s: string, context: SqlContext, maxTokens = Infinity): string {
  const fp = new Fingerprint();
  let i = 0;
  if (context !== 'bare') {
    i = stringEnd(s, 0, context.charCodeAt(0));
    fp.push('s');
  }
  while (i < s.length && fp.size < maxTokens) {
    const c = s.charCodeAt(i);
    const d = s.charCodeAt(i + 1);
    if (isSpace(c)) {
      i += 1;
    } else if (c === 47 && d === 42) {
      if (s.charCodeAt(i + 2) === 33) {
        i += 3;
        while (isDigit(s.charCodeAt(i))) i += 1;
        continue;
      }
      const close = s.indexOf('*/', i + 2);
      if (close === -1) {
        fp.push('c');
        break;
      }
      i = close + 2;
    } else if (c === 42 && d === 47) {
      i += 2;
    } else if ((c === 45 && d === 45) || (c === 35 && (i + 1 >= s.length || isSpace(d)))) {
      fp.push('c');
      const nl = s.indexOf('\n', i);
      i = nl === -1 ? s.length : nl + 1;
    } else if (c === 39 || c === 34) {
      i = stringEnd(s, i + 1, c);
      fp.push('s');
    } else if (c === 96) {
      const close = s.indexOf('`', i + 1);
      i = close === -1 ? s.length : close + 1;
      fp.push('n');
    } else if (isDigit(c) || (c === 46 && isDigit(d))) {
      const end = numberEnd(s, i);
      if (end !== -1) {
        fp.push('1');
        i = end;
      } else {
        // Always advance: a '.' that starts ".5f" is not itself a word character.
        let j = i + 1;
        while (isWordChar(s.charCodeAt(j))) j += 1;
        fp.push('n');
        i = j;
      }
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (isWordChar(s.charCodeAt(j))) j += 1;
      if (mayBeKnown(s, i, j)) {
        const word = s.slice(i, j);
        fp.push(wordToken(s, word, j), word);
      } else {
        fp.push(callToken(s, j, false));
      }
      i = j;
    } else if (c === 64) {
      const system = d === 64;
      let j = i + (system ? 2 : 1);
      const start = j;
      while (isWordChar(s.charCodeAt(j))) j += 1;
      if (j > start) fp.push(system ? 'V' : 'v');
      i = Math.max(j, i + 1);
    } else if (OPERATOR_CHARS.has(c)) {
      let j = i + 1;
      while (j < s.length && OPERATOR_CHARS.has(s.charCodeAt(j))) {
        const e = s.charCodeAt(j + 1);
        const here = s.charCodeAt(j);
        if ((here === 45 && e === 45) || (here === 47 && e === 42)) break;
        j += 1;
      }
      const op = s.slice(i, j);
      fp.push(op === '||' || op === '&&' ? '&' : op === '!' ? '!' : EQUALITY.has(op) ? '=' : 'o');
      i = j;
    } else if (c === 40 || c === 41 || c === 44 || c === 59 || c === 46) {
      fp.push(s[i] as string);
      i += 1;
    } else {
      i += 1;
    }
  }
  return fp.done();
}
