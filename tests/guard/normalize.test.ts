import { decodeEscapes } from '../../src/guard/decode-escapes.js';
import { percentDecode } from '../../src/guard/decode-url.js';
import { MAX_DECODE_ROUNDS, normalize } from '../../src/guard/normalize.js';

describe('percentDecode', () => {
  it.each([
    ['%27%20or%201%3D1', "' or 1=1"],
    ['%c0%ae%c0%ae%c0%af', '../'], // overlong UTF-8
    ['%e0%80%ae', '.'], // three-byte overlong
    ['%u003cscript%u003e', '<script>'],
    ['caf%C3%A9', 'café'],
    ['100%', '100%'],
    ['50%off', '50%off'],
    ['%zz%4', '%zz%4'],
    ['%c0', '\u00c0'], // a lone lead byte is kept as a character, not dropped
  ])('%j → %j', (input, expected) => {
    expect(percentDecode(input)).toBe(expected);
  });

  it('returns the very same string when there is nothing to decode', () => {
    const s = 'plain text';
    expect(percentDecode(s)).toBe(s);
  });
});

describe('decodeEscapes', () => {
  it.each([
    ['&lt;script&gt;', '<script>'],
    ['&#60;&#x3C;&#x3c', '<<<'],
    ['&#0000060;', '<'],
    ['&#x00003c;img', '<img'],
    ['java&Tab;script&colon;', 'java\tscript:'],
    ['\\x3csvg\\u003e\\u{2f}', '<svg>/'],
    ['\\3c img', '<img'],
    ['AT&T and R&D', 'AT&T and R&D'],
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['C:\\boot.ini', 'C:\\boot.ini'], // CSS escapes only produce printable ASCII
    ['C:\\dev\\abc', 'C:\\dev\\abc'],
    ['&#99999999999;', '&#99999999999;'],
  ])('%j → %j', (input, expected) => {
    expect(decodeEscapes(input)).toBe(expected);
  });
});

describe('normalize', () => {
  it('undoes up to MAX_DECODE_ROUNDS layers of mixed encodings', () => {
    expect(MAX_DECODE_ROUNDS).toBe(4);
    expect(normalize('%25253Cscript%25253E')).toBe('<script>');
    expect(normalize('%26lt%3Bimg%26gt%3B')).toBe('<img>');
    expect(normalize('%2525253C')).toBe('<'); // four layers
    expect(normalize('%252525253C')).toBe('%3c'); // a fifth is left alone
  });

  it('drops null bytes, folds compatibility forms and case', () => {
    expect(normalize('<SCR\0IPT>')).toBe('<script>');
    expect(normalize('＜ｓｃｒｉｐｔ＞')).toBe('<script>');
    expect(normalize('&#0;x')).toBe('x');
  });

  it('leaves ordinary text readable', () => {
    expect(normalize("O'Brien")).toBe("o'brien");
    expect(normalize('L’Oréal 50% off')).toBe('l’oréal 50% off');
  });
});
