const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BIG_62 = 62n;

/** Base62 digits of a non-negative integer, left-padded with `0` to `width`. */
export function toBase62(value: bigint, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = ALPHABET[Number(rest % BIG_62)] + out;
    rest /= BIG_62;
  }
  return out.padStart(width, '0');
}

/** Encodes bytes (big-endian) as base62, left-padded to `width`. */
export function bytesToBase62(bytes: Uint8Array, width: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return toBase62(value, width);
}

/**
 * Whether the base62 digits of `value` (an integer below 2^53), left-padded with `0` to
 * `width`, are exactly `text` from `start`: `toBase62(BigInt(value), width) === text.slice(…)`
 * in integer arithmetic, without a BigInt or a string per call.
 */
export function base62Equals(value: number, width: number, text: string, start: number): boolean {
  let rest = value;
  for (let k = width - 1; k >= 0; k--) {
    if (text.charCodeAt(start + k) !== ALPHABET.charCodeAt(rest % 62)) return false;
    rest = Math.floor(rest / 62);
  }
  return rest === 0;
}

/** True when every character is in `[0-9A-Za-z]` (from `start` when given). */
export function isBase62(text: string, start = 0): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!ok) return false;
  }
  return true;
}
