/**
 * The SQL vocabulary the tokenizer folds words into. One character per token class, so a
 * token sequence is a short string ("fingerprint") that rules can search:
 *
 * | code | class | examples |
 * |---|---|---|
 * | `U` | union | `union` (a following `all`/`distinct` is folded in) |
 * | `S` | select | `select` |
 * | `E` | other statement | `insert`, `update`, `delete`, `drop`, `exec`, `shutdown` |
 * | `&` | logical operator | `and`, `or`, `xor`, `&&`, `\|\|`, `where`, `having` |
 * | `!` | negation | `not`, `!` |
 * | `=` | equality | `=`, `<>`, `!=`, `like`, `rlike`, `regexp` |
 * | `o` | other operator | `<`, `>`, `+`, `*`, `div` |
 * | `k` | other keyword | `from`, `into`, `table`, `limit`, `in`, `is`, `exists` |
 * | `T` | `set` | `set` |
 * | `B` | `order by` / `group by` | |
 * | `W` | `waitfor` | |
 * | `1` | literal | numbers, `0x41`, `null` |
 * | `t` | boolean | `true`, `false` (apart: "true or false" is English) |
 * | `s` | string | `'…'`, `"…"` |
 * | `n` | bareword | identifiers, ordinary words |
 * | `f` | function call | `char(`, `concat(`, any word directly before `(` |
 * | `F` | dangerous function call | `sleep(`, `benchmark(`, `extractvalue(` |
 * | `X` | dangerous identifier | `xp_cmdshell`, `information_schema` |
 * | `V` / `v` | variable | `@@version` / `@x` |
 * | `c` | comment running to the end | `--`, `#`, unclosed `/*` |
 * | `( ) , ; .` | themselves | |
 */
export const SQL_WORDS: ReadonlyMap<string, string> = new Map([
  ...['union'].map((w) => [w, 'U'] as const),
  ...['select'].map((w) => [w, 'S'] as const),
  ...[
    'insert',
    'update',
    'delete',
    'drop',
    'alter',
    'create',
    'truncate',
    'exec',
    'execute',
    'declare',
    'shutdown',
    'grant',
    'revoke',
    'rename',
    'merge',
  ].map((w) => [w, 'E'] as const),
  ...['and', 'or', 'xor', 'where', 'having'].map((w) => [w, '&'] as const),
  ...['not'].map((w) => [w, '!'] as const),
  ...['like', 'rlike', 'regexp', 'sounds'].map((w) => [w, '='] as const),
  ...['div', 'mod'].map((w) => [w, 'o'] as const),
  ['null', '1'],
  ...['true', 'false'].map((w) => [w, 't'] as const),
  ...[
    'from',
    'into',
    'table',
    'values',
    'limit',
    'offset',
    'in',
    'is',
    'exists',
    'between',
    'as',
    'join',
    'case',
    'when',
    'then',
    'else',
    'end',
    'top',
    'database',
    'procedure',
    'delay',
    'all',
    'distinct',
    'asc',
    'desc',
  ].map((w) => [w, 'k'] as const),
  ['set', 'T'],
  ['waitfor', 'W'],
  ...[
    'xp_cmdshell',
    'sp_executesql',
    'sp_oacreate',
    'sp_makewebtask',
    'information_schema',
    'sysobjects',
    'syscolumns',
    'sqlite_master',
    'pg_shadow',
    'pg_catalog',
    'utl_http',
    'utl_inaddr',
    'dbms_pipe',
    'outfile',
    'dumpfile',
  ].map((w) => [w, 'X'] as const),
]);

/**
 * Functions whose mere call is an attack signal (time delays, file reads, error oracles).
 * Recognised even with whitespace before `(`, as SQL allows; other words only count as a
 * call when `(` follows directly, which keeps "friend (s)" an ordinary word.
 */
export const DANGEROUS_FUNCTIONS: ReadonlySet<string> = new Set([
  'sleep',
  'benchmark',
  'pg_sleep',
  'load_file',
  'extractvalue',
  'updatexml',
  'sys_eval',
  'sys_exec',
  'receive_message',
  'get_host_name',
  'name_const',
  'geometrycollection',
  'multipoint',
  'randomblob',
]);

/** Words after `union` that do not change its meaning. */
export const UNION_MODIFIERS: ReadonlySet<string> = new Set(['all', 'distinct']);
