import { isPathTraversal } from '../../src/guard/path-detector.js';

describe('isPathTraversal', () => {
  it.each([
    '../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '/var/www/../../etc/shadow',
    '....//....//etc/passwd',
    '..;/..;/admin',
    'file=../config.php',
    '../.env',
    'uploads/..',
    '/etc/passwd',
    'c:\\windows\\win.ini',
    'file:///etc/passwd',
    'php://filter/convert.base64-encode/resource=index.php',
    '/proc/self/environ',
  ])('flags %j', (input) => {
    expect(isPathTraversal(input)).toBe(true);
  });

  it.each([
    'wait...',
    '..',
    '...',
    'v1.2.3',
    'a.b.c',
    './docs/setup.md',
    'https://example.com/a/b/./c',
    '/home/anna/notes.txt',
    'c:\\users\\anna\\documents\\report.docx',
    'loading... please wait',
    'and/or',
  ])('lets %j through', (input) => {
    expect(isPathTraversal(input)).toBe(false);
  });
});
