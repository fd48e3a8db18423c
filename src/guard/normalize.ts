import { decodeEscapes } from './decode-escapes.js';
import { percentDecode } from './decode-url.js';

/**
 * Decoding rounds applied at most. Each round is linear, so normalising costs at most this
 * many passes; four rounds undo double and triple URL encoding mixed with entities/escapes.
 */
export const MAX_DECODE_ROUNDS = 4;

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * The normalisation pass every detector reads: repeated percent decoding (`%XX`, `%uXXXX`,
 * overlong UTF-8), HTML references and JS/CSS escapes until nothing changes (bounded by
 * {@link MAX_DECODE_ROUNDS}), null bytes dropped, Unicode compatibility forms folded (NFKC
 * turns fullwidth `＜` into `<`), then lower case. Comment and whitespace folding is the
 * SQL tokenizer's job, since it depends on SQL syntax.
 *
 * @example
 * ```ts
 * normalize('%253Cscript%253E'); // '<script>'
 * normalize('&#x27; OR 1=1'); // "' or 1=1"
 * ```
 */
export function normalize(input: string): string {
  let s = input;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    let next = decodeEscapes(percentDecode(s));
    if (next.includes('\0')) next = next.replaceAll('\0', '');
    if (next === s) break;
    s = next;
  }
  if (hasNonAscii(s)) s = s.normalize('NFKC');
  return s.toLowerCase();
}
