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

/** True when every character is in `[0-9A-Za-z]`. */
export function isBase62(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!ok) return false;
  }
  return true;
}
