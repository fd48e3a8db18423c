/**
 * Obfuscations and encodings the attack corpus applies to its base payloads, all driven by
 * a seeded PRNG so the corpus is the same on every run.
 */

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export type Transform = (payload: string, random: Random) => string;

const pick = <T>(items: readonly T[], random: Random): T =>
  items[Math.floor(random() * items.length)] as T;

const isAlnum = (ch: string): boolean => /^[A-Za-z0-9]$/.test(ch);
const hex2 = (code: number): string => code.toString(16).padStart(2, '0');

/** Characters an attacker encodes: everything but letters and digits. */
function encodeSpecial(
  payload: string,
  encode: (ch: string, random: Random) => string,
  random: Random,
): string {
  return [...payload].map((ch) => (isAlnum(ch) ? ch : encode(ch, random))).join('');
}

function utf8Percent(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `%${hex2(b).toUpperCase()}`).join('');
}

/** Overlong two-byte UTF-8 of an ASCII character (`'` → `%c0%a7`). */
function overlong(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code > 0x7f) return utf8Percent(ch);
  return `%${hex2(0xc0 | (code >> 6))}%${hex2(0x80 | (code & 0x3f))}`;
}

const ENTITY_NAMES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '&': '&amp;',
  '(': '&lpar;',
  ')': '&rpar;',
  '/': '&sol;',
  ':': '&colon;',
  '=': '&equals;',
};

export const ENCODINGS: Readonly<Record<string, Transform>> = {
  plain: (p) => p,
  url: (p, r) => encodeSpecial(p, utf8Percent, r),
  urlAll: (p) => [...p].map(utf8Percent).join(''),
  doubleUrl: (p, r) => encodeSpecial(p, (ch) => utf8Percent(ch).replaceAll('%', '%25'), r),
  tripleUrl: (p, r) => encodeSpecial(p, (ch) => utf8Percent(ch).replaceAll('%', '%2525'), r),
  percentU: (p, r) =>
    encodeSpecial(p, (ch) => `%u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`, r),
  overlongUtf8: (p, r) => encodeSpecial(p, overlong, r),
  htmlDecimal: (p, r) => encodeSpecial(p, (ch) => `&#${ch.charCodeAt(0)};`, r),
  htmlHexPadded: (p, r) =>
    encodeSpecial(p, (ch) => `&#x${ch.charCodeAt(0).toString(16).padStart(6, '0')};`, r),
  htmlNamed: (p, r) => encodeSpecial(p, (ch) => ENTITY_NAMES[ch] ?? `&#${ch.charCodeAt(0)};`, r),
  jsHex: (p, r) => encodeSpecial(p, (ch) => `\\x${hex2(ch.charCodeAt(0))}`, r),
  jsUnicode: (p, r) =>
    encodeSpecial(p, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`, r),
  mixed: (p, r) =>
    encodeSpecial(
      p,
      (ch, random) =>
        pick(
          [
            ch,
            utf8Percent(ch),
            utf8Percent(ch).replaceAll('%', '%25'),
            `&#${ch.charCodeAt(0)};`,
            `&#x${ch.charCodeAt(0).toString(16)};`,
            `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
          ],
          random,
        ),
      r,
    ),
};

/** Mixed case, letter by letter: `UnIoN sElEcT`. */
export const randomCase: Transform = (p, r) =>
  [...p].map((ch) => (r() < 0.5 ? ch.toUpperCase() : ch.toLowerCase())).join('');

/** Spaces replaced by other whitespace a parser accepts. */
export const otherWhitespace: Transform = (p, r) =>
  p.replaceAll(' ', () => pick(['\t', '\n', '\r\n', '  ', '\f', '\v'], r));
