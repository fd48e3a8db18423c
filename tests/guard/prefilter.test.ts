import { SQL_ANCHOR_WORDS, detect } from '../../src/guard/detect.js';
import { selectMayMatch, statementMayFollow } from '../../src/guard/sql-detector.js';
import { DANGEROUS_FUNCTIONS, SQL_WORDS } from '../../src/guard/sql-words.js';

/** Token classes every non-quoted, non-literal-first SQL rule holds one of (see detect.ts). */
const ANCHOR_CLASSES = new Set(['U', '&', 'X', 'W']);

describe('the SQL pre-filter of detect()', () => {
  const anchors = [
    ...[...SQL_WORDS].filter(([, token]) => ANCHOR_CLASSES.has(token)).map(([word]) => word),
    ...DANGEROUS_FUNCTIONS,
  ];

  it('knows every word that makes an anchor token (keep it in step with sql-words.ts)', () => {
    expect(anchors.filter((word) => !SQL_ANCHOR_WORDS.test(` ${word} `))).toEqual([]);
  });

  it('sees a statement keyword right after a semicolon, and nowhere else', () => {
    const statements = [...SQL_WORDS].filter(([, token]) => token === 'E').map(([word]) => word);
    expect(statements.filter((word) => !statementMayFollow(`x; ${word} y`))).toEqual([]);
    expect(statementMayFollow('at the door; if nobody answers, drop it')).toBe(false);
  });

  it('sees select followed by an operator and a keyword, or a call', () => {
    expect(selectMayMatch('select * from t')).toBe(true);
    expect(selectMayMatch('select char(1)')).toBe(true);
    expect(selectMayMatch('book: select a plan')).toBe(false);
  });

  it('matches those words only as whole words, as the tokenizer reads them', () => {
    expect(SQL_ANCHOR_WORDS.test('an organic order for the brand')).toBe(false);
    expect(SQL_ANCHOR_WORDS.test('drop_table')).toBe(false);
    expect(SQL_ANCHOR_WORDS.test('1 or 1')).toBe(true);
  });

  it.each([
    "1' or '1'='1",
    '1 union select password from users',
    '1; drop table users',
    "x; exec ('cmd')",
    '1) or (1=1',
    'x || 1=1',
    '@@version',
    'sleep(5)',
    '1 order by 3',
    'un/**/ion select 1',
    'select * from users',
    '(select 1)',
  ])('lets %s reach the detector', (attack) => {
    expect(detect(attack)).toContain('sql_injection');
  });

  it.each([
    'file=..',
    '..\\..\\boot.INI',
    'C:\\Windows\\win.ini',
    '/etc/passwd',
    'x/.HTACCESS',
    '~/.ssh/id_rsa',
  ])('lets the path %s reach the traversal detector', (path) => {
    expect(detect(path)).toContain('path_traversal');
  });

  it.each([
    'javascript:alert(1)',
    'java\tscript\t:alert(1)',
    '" onfocus = alert(1) x="',
    "';alert `1`//",
    '<svg/onload=alert(1)>',
  ])('lets the script %s reach the XSS detector', (script) => {
    expect(detect(script)).toContain('xss');
  });
});
