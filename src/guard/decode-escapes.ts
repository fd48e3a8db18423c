/**
 * HTML character references and JavaScript/CSS escapes, decoded the lenient way browsers
 * and interpreters accept them (`&#x3c` without `;`, `&#0000060;`, `\x3c`, `\u003c`,
 * `\u{3c}`, CSS `\3c `). One linear pass; the normaliser repeats it for nested encodings.
 */

const NAMED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
  ['tab', '\t'],
  ['newline', '\n'],
  ['colon', ':'],
  ['sol', '/'],
  ['bsol', '\\'],
  ['lpar', '('],
  ['rpar', ')'],
  ['equals', '='],
  ['period', '.'],
  ['semi', ';'],
  ['grave', '`'],
  ['num', '#'],
  ['excl', '!'],
  ['percnt', '%'],
  ['plus', '+'],
  ['comma', ','],
  ['lsqb', '['],
  ['rsqb', ']'],
  ['lcub', '{'],
  ['rcub', '}'],
  ['ast', '*'],
  ['hyphen', '-'],
  ['dash', '-'],
]);
const LONGEST_NAME = 7;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 97 && lower <= 122;
}

/** A code point worth substituting: not a surrogate, in range. `0` becomes a null byte, which the normaliser drops like a raw one. */
function usable(code: number): boolean {
  return code >= 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
}

/** `&…` at `i` → [decoded text, next index], or null when it is not a reference. */
function entityAt(s: string, i: number): [string, number] | null {
  let j = i + 1;
  if (s.charCodeAt(j) === 35) {
    j += 1;
    const hex = (s.charCodeAt(j) | 0x20) === 120;
    if (hex) j += 1;
    const start = j;
    let value = 0;
    // Bounded: leading zeros are skipped, at most 8 significant digits are read.
    while (s.charCodeAt(j) === 48) j += 1;
    let digits = 0;
    for (; j < s.length && digits < 8; j++, digits++) {
      const d = hex ? hexValue(s.charCodeAt(j)) : s.charCodeAt(j) - 48;
      if (d < 0 || d > (hex ? 15 : 9)) break;
      value = value * (hex ? 16 : 10) + d;
    }
    if (j === start || !usable(value)) return null;
    if (s.charCodeAt(j) === 59) j += 1;
    return [String.fromCodePoint(value), j];
  }
  const start = j;
  while (j < s.length && j - start < LONGEST_NAME && isAsciiLetter(s.charCodeAt(j))) j += 1;
  const text = NAMED.get(s.slice(start, j).toLowerCase());
  if (text === undefined) return null;
  if (s.charCodeAt(j) === 59) j += 1;
  return [text, j];
}

/** `\…` at `i` → [decoded text, next index], or null when it is not an escape we decode. */
function escapeAt(s: string, i: number): [string, number] | null {
  const kind = s.charCodeAt(i + 1) | 0x20;
  if (kind === 120 || kind === 117) {
    const braces = kind === 117 && s.charCodeAt(i + 2) === 123;
    let j = i + (braces ? 3 : 2);
    const want = braces ? 6 : kind === 120 ? 2 : 4;
    let value = 0;
    let digits = 0;
    for (; digits < want; j++, digits++) {
      const d = hexValue(s.charCodeAt(j));
      if (d < 0) break;
      value = (value << 4) | d;
    }
    if (braces) {
      if (digits === 0 || s.charCodeAt(j) !== 125) return null;
      j += 1;
    } else if (digits !== want) {
      return null;
    }
    return usable(value) ? [String.fromCodePoint(value), j] : null;
  }
  // CSS: 1–6 hex digits and one optional space. Only printable ASCII is substituted, so
  // Windows paths such as C:\boot.ini or C:\dev keep their backslashes.
  let j = i + 1;
  let value = 0;
  while (j - i <= 6) {
    const d = hexValue(s.charCodeAt(j));
    if (d < 0) break;
    value = (value << 4) | d;
    j += 1;
  }
  if (j === i + 1 || value < 0x20 || value > 0x7e) return null;
  if (s.charCodeAt(j) === 32) j += 1;
  return [String.fromCharCode(value), j];
}

/**
 * Decodes HTML references and JS/CSS escapes in `s` once. Returns `s` itself when there is
 * nothing to decode.
 *
 * @example
 * ```ts
 * decodeEscapes('&#x3c;svg onload=alert&lpar;1&rpar;&gt;'); // '<svg onload=alert(1)>'
 * decodeEscapes('\\u003cscript\\x3e'); // '<script>'
 * ```
 */
export function decodeEscapes(s: string): string {
  const amp = s.indexOf('&');
  const backslash = s.indexOf('\\');
  if (amp === -1 && backslash === -1) return s;
  let i = amp === -1 ? backslash : backslash === -1 ? amp : Math.min(amp, backslash);
  let out = s.slice(0, i);
  let copied = i;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    const found = code === 38 ? entityAt(s, i) : code === 92 ? escapeAt(s, i) : null;
    if (found) {
      out += s.slice(copied, i) + found[0];
      i = found[1];
      copied = i;
    } else {
      i += 1;
    }
  }
  return out + s.slice(copied);
}
