/**
 * Percent-decoding as an attacker hopes the application does it: `%XX` byte runs decoded as
 * UTF-8 *including* overlong forms (`%c0%ae` is `.`, `%e0%80%af` is `/`), IIS-style `%uXXXX`,
 * and anything undecodable left as it was. One linear pass; the caller repeats it for
 * double encoding.
 */

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** The byte of `%XX` at `i`, or -1. */
function byteAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 37 || i + 2 >= s.length) return -1;
  const hi = hexValue(s.charCodeAt(i + 1));
  const lo = hexValue(s.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** `%uXXXX` at `i` → code unit, or -1. */
function unicodeEscapeAt(s: string, i: number): number {
  if (i + 5 >= s.length || (s.charCodeAt(i + 1) | 0x20) !== 117) return -1;
  let value = 0;
  for (let k = 2; k < 6; k++) {
    const h = hexValue(s.charCodeAt(i + k));
    if (h < 0) return -1;
    value = (value << 4) | h;
  }
  return value;
}

/** Lead-byte length of a UTF-8 sequence (overlong leads C0/C1/E0/F0 accepted on purpose). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc0 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  return 1;
}

/** Decodes one percent-encoded sequence starting at `i`; returns [text, next index]. */
function decodeSequence(s: string, i: number, lead: number): [string, number] {
  const length = sequenceLength(lead);
  if (length === 1) return [String.fromCharCode(lead), i + 3];
  let code = lead & (0xff >> (length + 1));
  let j = i + 3;
  for (let k = 1; k < length; k++) {
    const b = byteAt(s, j);
    if (b < 0 || (b & 0xc0) !== 0x80) return [String.fromCharCode(lead), i + 3];
    code = (code << 6) | (b & 0x3f);
    j += 3;
  }
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return [String.fromCharCode(lead), i + 3];
  }
  return [String.fromCodePoint(code), j];
}

/**
 * Percent-decodes `s` once. Returns `s` itself when it holds no escape.
 *
 * @example
 * ```ts
 * percentDecode('%2e%2e%c0%af'); // '../'
 * ```
 */
export function percentDecode(s: string): string {
  let i = s.indexOf('%');
  if (i === -1) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const code = s.charCodeAt(i);
    if (code !== 37) {
      const next = s.indexOf('%', i);
      const end = next === -1 ? s.length : next;
      out += s.slice(i, end);
      i = end;
      continue;
    }
    const b = byteAt(s, i);
    if (b >= 0) {
      const [text, next] = decodeSequence(s, i, b);
      out += text;
      i = next;
      continue;
    }
    const u = unicodeEscapeAt(s, i);
    if (u >= 0) {
      out += String.fromCharCode(u);
      i += 6;
      continue;
    }
    out += '%';
    i += 1;
  }
  return out;
}
