import { isSqlInjection } from '../../src/guard/sql-detector.js';
import { sqlFingerprint } from '../../src/guard/sql-tokenizer.js';

describe('sqlFingerprint', () => {
  it.each([
    ["admin' or 1=1--", "'", '^s&1=1c$'],
    ['1 union all select null,null', 'bare', '^1US1,1$'],
    ['un/**/ion sel/**/ect', 'bare', '^nnnn$'],
    ['/*!50000union*/ /*!50000select*/ 1', 'bare', '^US1$'],
    ["1' order by 3#", "'", '^sB1c$'],
    ['select a plan', 'bare', '^Snn$'],
    ['sleep (5)', 'bare', '^F(1)$'],
    ['friend (s)', 'bare', '^n(n)$'],
    ['x @@version @a', 'bare', '^nVv$'],
    ["'it''s' \"q\\\"\" `id`", 'bare', '^ssn$'],
  ] as const)('%j in context %s → %s', (input, context, fingerprint) => {
    expect(sqlFingerprint(input, context)).toBe(fingerprint);
  });
});

describe('isSqlInjection', () => {
  it.each([
    "' or '1'='1",
    "admin'--",
    "admin' #",
    "') or ('a'='a",
    '" or ""="',
    '1 or 1=1',
    '1) or (1=1',
    '1 union all select 1,2,3--',
    '-1 union select username, password from users',
    '1; drop table users',
    "'; exec xp_cmdshell('dir')--",
    "'; waitfor delay '0:0:5'--",
    "' and sleep(5)--",
    '1 and sleep (5)',
    "' and extractvalue(1,concat(0x7e,version()))--",
    "1' order by 3--",
    '1 order by 10',
    '1 or true',
    "' or true--",
    'un/**/ion sel/**/ect 1,2',
    'union/**/select/**/1',
    '/*!50000union*/ /*!50000select*/ 1',
    "' and 1 in (select @@version)--",
    '1 and (select count(*) from users) > 0',
  ])('flags %j', (input) => {
    expect(isSqlInjection(input)).toBe(true);
  });

  it.each([
    "o'brien",
    "l'oréal",
    'select a plan',
    'drop me a line',
    'thanks; drop me a line',
    'order by price',
    'union station',
    '1 < 2',
    'price < 100',
    'i <3 this, and 1 < 2',
    '1 or 2 rooms',
    'null and void',
    'is it true or false?',
    "it's 5 o'clock",
    "rock 'n' roll",
    "i'm 6'2\" and 180 lbs",
    '{"a": 1, "b": "x"}',
    'nice work -- see you tomorrow',
    'item #3 -- see notes',
    'please confirm (yes)',
    'mozilla/5.0 (windows nt 10.0; win64; x64) applewebkit/537.36 (khtml, like gecko)',
    "'in' my opinion",
    'delete from my cart the blue one',
    '1.0.0-beta+exp.sha.5114f85',
  ])('lets %j through', (input) => {
    expect(isSqlInjection(input)).toBe(false);
  });
});
