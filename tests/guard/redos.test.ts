import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import safeRegex from 'safe-regex2';
import ts from 'typescript';

const ENGINE = join(process.cwd(), 'src', 'guard');
/** The engine's sources, plus the endpoint matcher its `allow` option compiles. */
const SOURCES = [
  ...readdirSync(ENGINE)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `guard/${f}`),
  'http/endpoint.ts',
];

/** Every regular-expression literal in the engine's sources, found by the TypeScript scanner. */
function regexLiterals(): Array<{ file: string; source: string; flags: string }> {
  const found: Array<{ file: string; source: string; flags: string }> = [];
  for (const file of SOURCES) {
    const text = readFileSync(join(process.cwd(), 'src', file), 'utf8');
    const scanner = ts.createScanner(
      ts.ScriptTarget.Latest,
      false,
      ts.LanguageVariant.Standard,
      text,
    );
    let token = scanner.scan();
    while (token !== ts.SyntaxKind.EndOfFileToken) {
      if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) {
        // The scanner cannot tell division from a regex without context: ask it to re-read.
        const rescanned = scanner.reScanSlashToken();
        if (rescanned === ts.SyntaxKind.RegularExpressionLiteral) {
          const literal = scanner.getTokenText();
          const end = literal.lastIndexOf('/');
          found.push({ file, source: literal.slice(1, end), flags: literal.slice(end + 1) });
        }
      }
      token = scanner.scan();
    }
  }
  return found;
}

describe('regular expressions in the detection engine', () => {
  const literals = regexLiterals();

  it('are found by the scan (the test is not vacuous)', () => {
    expect(literals.length).toBeGreaterThan(0);
    expect(literals.map((l) => l.file)).toContain('http/endpoint.ts');
  });

  it('are never built at run time from strings the analyser cannot see', () => {
    for (const file of SOURCES) {
      expect([
        file,
        /new RegExp\(|RegExp\(/.test(readFileSync(join(process.cwd(), 'src', file), 'utf8')),
      ]).toEqual([file, false]);
    }
  });

  it('the analysers do flag a catastrophic pattern', () => {
    expect(safeRegex('^(a+)+$')).toBe(false);
    expect(checkSync('^(a+)+$', '').status).toBe('vulnerable');
  });

  it.each(regexLiterals().map((l) => [`${l.file}: /${l.source}/${l.flags}`, l] as const))(
    '%s is safe from catastrophic backtracking (recheck and safe-regex2)',
    (_name, literal) => {
      expect(safeRegex(new RegExp(literal.source, literal.flags))).toBe(true);
      const diagnostics = checkSync(literal.source, literal.flags, { timeout: 10_000 });
      expect(diagnostics.status).toBe('safe');
    },
  );
});
