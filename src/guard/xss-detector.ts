import {
  ACTIVE_DATA_TYPES,
  BREAKOUT_CHARS,
  DANGEROUS_TAGS,
  EVENT_HANDLERS,
  SCRIPT_GLOBALS,
  SCRIPT_SCHEMES,
  SCRIPT_SINKS,
  STYLE_SCRIPT,
  URL_ATTRIBUTES,
} from './xss-words.js';

function isSpace(c: number): boolean {
  return c <= 32;
}

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isIdentChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i += 1;
  return i;
}

/** True when `s` from `i` holds a script call or global access (`alert(`, `document.`). */
function scriptAhead(s: string, i: number, end: number): boolean {
  let j = i;
  while (j < end) {
    if (!isLetter(s.charCodeAt(j))) {
      j += 1;
      continue;
    }
    const start = j;
    while (j < end && isIdentChar(s.charCodeAt(j))) j += 1;
    const word = s.slice(start, j);
    const next = s.charCodeAt(skipSpaces(s, j));
    if (SCRIPT_SINKS.has(word) && (next === 40 || next === 96)) return true;
    if (SCRIPT_GLOBALS.has(word) && (next === 46 || next === 91)) return true;
  }
  return false;
}

/**
 * The URL scheme of a value starting at `i` as a browser reads it: leading spaces and
 * controls skipped, tabs and newlines inside the scheme ignored. Returns [scheme, index
 * after the colon] or null.
 */
function schemeAt(s: string, i: number, end: number): [string, number] | null {
  let j = skipSpaces(s, i);
  let scheme = '';
  for (; j < end && scheme.length <= 12; j++) {
    const c = s.charCodeAt(j);
    if (c === 58) return scheme ? [scheme, j + 1] : null;
    if (c === 9 || c === 10 || c === 13) continue;
    if (!isLetter(c) && c !== 43 && c !== 45 && c !== 46) return null;
    scheme += s[j];
  }
  return null;
}

/** True when a URL value at `i` would run script or render an active document. */
function dangerousUrl(s: string, i: number, end: number, strict: boolean): boolean {
  const found = schemeAt(s, i, end);
  if (!found) return false;
  const [scheme, after] = found;
  if (scheme === 'data') {
    const type = s.slice(skipSpaces(s, after), Math.min(end, after + 40));
    return ACTIVE_DATA_TYPES.some((t) => type.startsWith(t));
  }
  if (!SCRIPT_SCHEMES.has(scheme)) return false;
  // In free text "JavaScript: The Good Parts" is a title: demand code after the colon.
  return (
    strict || !isSpace(s.charCodeAt(after)) || scriptAhead(s, after, Math.min(end, after + 256))
  );
}

/** Reads the attributes of a tag from `i`; returns [isDangerous, index to resume at]. */
function scanAttributes(s: string, i: number): [boolean, number] {
  let j = i;
  for (;;) {
    while (j < s.length && (isSpace(s.charCodeAt(j)) || s.charCodeAt(j) === 47)) j += 1;
    const c = s.charCodeAt(j);
    if (j >= s.length || c === 62) return [false, j + 1];
    if (c === 60) return [false, j];
    const nameStart = j;
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if (isSpace(d) || d === 47 || d === 62 || d === 61 || d === 60) break;
      j += 1;
    }
    const name = s.slice(nameStart, j);
    if (name.length > 2 && name.startsWith('on')) return [true, j];
    j = skipSpaces(s, j);
    if (s.charCodeAt(j) !== 61) continue;
    j = skipSpaces(s, j + 1);
    const quote = s.charCodeAt(j);
    let valueStart = j;
    let valueEnd: number;
    if (quote === 34 || quote === 39 || quote === 96) {
      valueStart = j + 1;
      const close = s.indexOf(String.fromCharCode(quote), valueStart);
      valueEnd = close === -1 ? s.length : close;
      j = close === -1 ? s.length : close + 1;
    } else {
      while (j < s.length && !isSpace(s.charCodeAt(j)) && s.charCodeAt(j) !== 62) j += 1;
      valueEnd = j;
    }
    if (URL_ATTRIBUTES.has(name) && dangerousUrl(s, valueStart, valueEnd, true)) {
      return [true, j];
    }
    if (name === 'srcdoc') return [true, j];
    if (name === 'style') {
      const value = s.slice(valueStart, valueEnd);
      if (STYLE_SCRIPT.some((needle) => value.includes(needle))) return [true, j];
    }
  }
}

/** HTML tags: dangerous elements, event handlers, script URLs, scripted styles. */
function hasDangerousTag(s: string): boolean {
  let i = s.indexOf('<');
  while (i !== -1 && i < s.length) {
    let j = i + 1;
    if (s.charCodeAt(j) === 47) j += 1;
    if (!isLetter(s.charCodeAt(j))) {
      i = s.indexOf('<', i + 1);
      continue;
    }
    const nameStart = j;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (isSpace(c) || c === 47 || c === 62 || c === 60) break;
      j += 1;
    }
    const name = s.slice(nameStart, j);
    if (DANGEROUS_TAGS.has(name)) return true;
    if (nameStart === i + 2) {
      i = s.indexOf('<', j);
      continue;
    }
    const [dangerous, resume] = scanAttributes(s, j);
    if (dangerous) return true;
    i = s.indexOf('<', resume);
  }
  return false;
}

/** Identifiers outside tags: `" onfocus=…` break-outs and `';alert(1)//` script calls. */
function hasScriptOutsideTags(s: string): boolean {
  let j = 0;
  while (j < s.length) {
    if (!isLetter(s.charCodeAt(j))) {
      j += 1;
      continue;
    }
    const start = j;
    while (j < s.length && isIdentChar(s.charCodeAt(j))) j += 1;
    const next = s.charCodeAt(skipSpaces(s, j));
    // Only a word before `=`, `:`, `(` or a backtick can matter: slice no other.
    if (next !== 61 && next !== 58 && next !== 40 && next !== 96) continue;
    const word = s.slice(start, j);
    if (next === 61 && EVENT_HANDLERS.has(word)) return true;
    if (next === 58 && (SCRIPT_SCHEMES.has(word) || word === 'data')) {
      if (dangerousUrl(s, start, s.length, false)) return true;
    }
    if ((next === 40 || next === 96) && SCRIPT_SINKS.has(word)) {
      let k = start - 1;
      while (k >= 0 && isSpace(s.charCodeAt(k))) k -= 1;
      if (k >= 0 && BREAKOUT_CHARS.has(s.charCodeAt(k))) return true;
    }
  }
  return false;
}

/**
 * True when normalised `text` carries cross-site scripting: a script-capable element, an
 * event handler or script URL in a tag, an attribute break-out, a `javascript:` URL, or a
 * script call right after a string/markup break-out. "1 < 2", "<3", `<b>` and e-mail
 * addresses in angle brackets are ordinary text.
 *
 * @example
 * ```ts
 * isXss('<img src=x onerror=alert(1)>'); // true
 * isXss('i <3 this, and 1 < 2'); // false
 * ```
 */
export function isXss(text: string): boolean {
  // A whole value that is a URL, read the browser's way (`java\tscript:` included).
  if (dangerousUrl(text, 0, text.length, false)) return true;
  return hasDangerousTag(text) || hasScriptOutsideTags(text);
}
