import { sqlFingerprint, type SqlContext } from './sql-tokenizer.js';

/**
 * Token sequences that are SQL, not prose, wherever they occur (libinjection's idea of
 * fingerprints, written as rules over the token classes of `sql-words.ts`). English that
 * happens to use SQL words ("select a plan", "drop me a line", "order by price") never
 * forms them: they need an operator between literals, a statement's second keyword, or a
 * dangerous call.
 */
const ANYWHERE: readonly string[] = [
  'US', // union [all] select
  'F', // sleep(, benchmark(, extractvalue(, …
  'X', // xp_cmdshell, information_schema, into outfile
  'V', // @@version
  'Wk', // waitfor delay
  'Wn',
  '&1=1', // or 1=1 (not "and 1 < 2": only equality makes a tautology here)
  '&1=s',
  '&s=s', // or 'a'='a
  '&s=1',
  '&(1=1',
  '&(s=s',
  'Sok', // select * from
  'Sf(',
  '(S1',
  '(So',
  '(Sf',
  '(Sv',
  '(Ss',
  '(Snk',
  '(Sn,',
  ';S1',
  ';So',
  ';Sf',
  ';Sv',
  ';Snkn$',
  ';Snknc',
  ';Snkn;',
  ';Snkn&',
  ';Ek', // ; drop table, ; delete from, ; insert into
  ';EnT', // ; update users set
  ';E$',
  ';Ec',
  ';E;',
  ';Ev',
  ';Es',
  ';E(',
];

/** Rules for a value pasted into a quoted string: the fingerprint starts with that string. */
const QUOTED: readonly string[] = [
  '^s&1O',
  '^s&1c',
  '^s&t',
  '^s&1$',
  '^s&1;',
  '^s&sO',
  '^s&sc',
  '^s&nO',
  '^s&nc',
  '^s&f(',
  '^s&(',
  '^s&v',
  '^s&k(',
  '^s&S',
  '^sOs',
  '^sO1',
  '^sOf(',
  '^sO(',
  '^sOv',
  '^sc',
  '^s;E',
  '^s;S',
  '^s)&',
  '^s)U',
  '^s);',
  '^s)c',
  '^s)O',
  '^sB1',
  '^s,',
];

/** Rules for a value used as a bare SQL term, e.g. a numeric id. */
const BARE: readonly string[] = [
  '^1&1=',
  '^1&s=',
  '^1&n=',
  '^1&f(',
  '^1&(',
  '^1&1c',
  '^1&t',
  '^1&v',
  '^1)&',
  '^1)U',
  '^1);',
  '^1)c',
  '^1;E',
  '^1;S',
  '^1B1$',
  '^1B1c',
];

/** `O` in an anchored rule stands for any comparison or operator (`=` or `o`). */
function expand(rules: readonly string[]): readonly string[] {
  return rules.flatMap((rule) =>
    rule.includes('O') ? [rule.replaceAll('O', 'o'), rule.replaceAll('O', '=')] : [rule],
  );
}
/** Rules found anywhere, by the char code of their first token: one pass over the fingerprint. */
const ANYWHERE_BY_FIRST: Array<string[] | undefined> = Array.from({ length: 128 }, () => undefined);
for (const rule of ANYWHERE) (ANYWHERE_BY_FIRST[rule.charCodeAt(0)] ??= []).push(rule);

/** Anchored rules as a set of prefixes, with the prefix lengths to try. */
interface Anchored {
  rules: ReadonlySet<string>;
  lengths: readonly number[];
}
function anchored(rules: readonly string[]): Anchored {
  return { rules: new Set(rules), lengths: [...new Set(rules.map((rule) => rule.length))] };
}
const QUOTED_RULES = anchored(expand(QUOTED));
const BARE_RULES = anchored(expand(BARE));

function matches(fp: string, start: Anchored): boolean {
  for (let i = 0; i < fp.length; i++) {
    const rules = ANYWHERE_BY_FIRST[fp.charCodeAt(i)];
    if (rules) for (const rule of rules) if (fp.startsWith(rule, i)) return true;
  }
  for (const length of start.lengths) {
    if (fp.length >= length && start.rules.has(fp.slice(0, length))) return true;
  }
  return false;
}

/**
 * Whether `;E` can occur: every rule with a statement keyword (`E`) has it right after `;`.
 * Tokenizing from each `;` reads the same tokens the whole text would (the tokenizer keeps no
 * state); a `;` inside a string or comment only makes this say yes where the rules would not.
 */
export function statementMayFollow(text: string): boolean {
  for (let i = text.indexOf(';'); i !== -1; i = text.indexOf(';', i + 1)) {
    if (sqlFingerprint(text.slice(i), 'bare', 2).charAt(2) === 'E') return true;
  }
  return false;
}

/** Whether `Sok` or `Sf(` can follow a `select` (other `S` rules need `(`, `;` or an anchor). */
export function selectMayMatch(text: string): boolean {
  for (let i = text.indexOf('select'); i !== -1; i = text.indexOf('select', i + 1)) {
    const fp = sqlFingerprint(text.slice(i), 'bare', 3);
    if (fp.startsWith('^Sok') || fp.startsWith('^Sf(')) return true;
  }
  return false;
}

const QUOTES = ["'", '"'] as const;
/** The tokens a quoted-context rule can have right after the opening string (`^s&…`, `^so…`). */
const QUOTED_SECOND = new Set([...QUOTED_RULES.rules].map((rule) => rule.charAt(2)));

/**
 * Whether one of the anchored quoted-context rules (`^s…`) can match `text`: it reads only
 * the first tokens after the opening string — two, so that `order by` is already folded
 * into `B`. The rules found anywhere are not considered here.
 */
export function quotedRuleMayMatch(text: string): boolean {
  for (const quote of QUOTES) {
    if (text.includes(quote) && QUOTED_SECOND.has(sqlFingerprint(text, quote, 3).charAt(2))) {
      return true;
    }
  }
  return false;
}

function check(text: string, context: SqlContext): boolean {
  return matches(sqlFingerprint(text, context), context === 'bare' ? BARE_RULES : QUOTED_RULES);
}

/** `text` with `/* … *\/` comments removed, for keywords split by comments (`UN/**\/ION`). */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = text.indexOf('/*', i);
    if (open === -1 || text.charCodeAt(open + 2) === 33) return out + text.slice(i);
    out += text.slice(i, open);
    const close = text.indexOf('*/', open + 2);
    if (close === -1) return out;
    i = close + 2;
  }
}

/**
 * True when normalised `text` reads as SQL injection: tokenized outside any string, and —
 * when it contains the quote — as if it were pasted inside `'…'` and `"…"`; each reading
 * also with `/* *\/` comments removed, since some filters strip them.
 *
 * @example
 * ```ts
 * isSqlInjection("1' or '1'='1"); // true
 * isSqlInjection('select a plan'); // false
 * ```
 */
export function isSqlInjection(text: string): boolean {
  const variants = text.includes('/*') ? [text, withoutComments(text)] : [text];
  for (const variant of variants) {
    if (check(variant, 'bare')) return true;
    if (variant.includes("'") && check(variant, "'")) return true;
    if (variant.includes('"') && check(variant, '"')) return true;
  }
  return false;
}
