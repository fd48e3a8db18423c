/**
 * Files and stream wrappers that only a traversal or file-inclusion attempt asks for.
 * Compared with `\` already turned into `/`.
 */
const SENSITIVE_PATHS: readonly string[] = [
  'etc/passwd',
  'etc/shadow',
  'etc/group',
  'etc/hosts',
  'etc/issue',
  'proc/self/',
  'proc/version',
  'win.ini',
  'boot.ini',
  'system.ini',
  'windows/system32',
  'web-inf/',
  '.htpasswd',
  '.htaccess',
  '.ssh/',
  'id_rsa',
  '.git/config',
  '/.env',
  'var/log/',
  'file://',
  'php://',
  'phar://',
  'zip://',
  'expect://',
  'glob://',
];

/**
 * The names grouped under substrings several of them share: a group is searched only when
 * its substring occurs (every name in it contains it), so a URL costs a few searches, not
 * one per name.
 */
const SHARED = ['://', 'etc/', 'proc/', '.ini', '.ht'];
const GROUPS = SHARED.map((part) => ({
  part,
  names: SENSITIVE_PATHS.filter((name) => name.includes(part)),
}));
const UNGROUPED = SENSITIVE_PATHS.filter((name) => !SHARED.some((part) => name.includes(part)));

function namesSensitivePath(text: string): boolean {
  for (const { part, names } of GROUPS) {
    if (text.includes(part) && names.some((name) => text.includes(name))) return true;
  }
  return UNGROUPED.some((name) => text.includes(name));
}

function isSeparator(c: number): boolean {
  return c === 47 || c === 92;
}

/** True when `s` has a `..` path segment (or a longer run of dots used as one, `....//`). */
function hasDotSegment(s: string): boolean {
  let i = s.indexOf('..');
  while (i !== -1) {
    let end = i;
    while (s.charCodeAt(end) === 46) end += 1;
    const before = i === 0 ? -1 : s.charCodeAt(i - 1);
    const after = end >= s.length ? -1 : s.charCodeAt(end);
    // `file=../x`: a value that carries its own parameter name.
    const leftBound = before === -1 || isSeparator(before) || before === 61;
    // `..;/` is how Tomcat and Spring accept a dot segment with a path parameter.
    const rightBound = after === -1 || isSeparator(after) || after === 59;
    if (leftBound && rightBound && (before !== -1 || after !== -1)) return true;
    i = s.indexOf('..', end);
  }
  return false;
}

/**
 * True when normalised `text` tries to leave a directory (`../`, `..\`, `....//`, `..;/`)
 * or names a file or stream wrapper that only an attacker asks for (`/etc/passwd`,
 * `c:\windows\win.ini`, `php://filter`). "Wait..." and "v1.2.3" are ordinary text; a lone
 * `..` is too, but `../` anywhere is not, relative Markdown links included.
 *
 * @example
 * ```ts
 * isPathTraversal('..%2f..%2fetc%2fpasswd'.replaceAll('%2f', '/')); // true
 * isPathTraversal('see the docs...'); // false
 * ```
 */
export function isPathTraversal(text: string): boolean {
  if (text.includes('..') && hasDotSegment(text)) return true;
  // Every sensitive name holds a separator, `.ini`, `.ht` or `id_rsa`: skip text without.
  const candidate =
    text.includes('/') ||
    text.includes('\\') ||
    text.includes('.ini') ||
    text.includes('.ht') ||
    text.includes('id_rsa');
  if (!candidate) return false;
  const slashed = text.includes('\\') ? text.replaceAll('\\', '/') : text;
  return namesSensitivePath(slashed);
}
