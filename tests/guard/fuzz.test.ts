import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../scripts/guard-corpus.js';
import request from 'supertest';
import { detect } from '../../src/guard/detect.js';
import { inspect } from '../../src/guard/inspect.js';
import { guardedApp } from './helpers.js';

/** Fragments that steer random strings toward the detectors' edge cases. */
const FRAGMENTS = [
  "'",
  '"',
  '`',
  '<',
  '>',
  '/*',
  '*/',
  '--',
  '#',
  '%',
  '%25',
  '%c0',
  '%u',
  '&#',
  '&lt;',
  '\\x',
  '\\u',
  '\\',
  '..',
  '/',
  ';',
  '(',
  ')',
  '=',
  'or',
  'union',
  'select',
  'sleep(',
  '<script',
  'onerror=',
  'javascript:',
  '\0',
  '\u{1F600}',
  '\uD800',
];
const mutated = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));
/** Corpus attacks with random characters inserted and cut: mutated real payloads. */
const ATTACKS: string[] = readFileSync(join(CORPUS_DIR, 'attacks.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .filter((_line, i) => i % 50 === 0)
  .map((line) => (JSON.parse(line) as { payload: string }).payload);
const mutatedAttack = fc
  .tuple(
    fc.constantFrom(...ATTACKS),
    fc.nat(),
    fc.nat({ max: 5 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
  )
  .map(([payload, at, cut, insert]) => {
    const i = at % (payload.length + 1);
    return payload.slice(0, i) + insert + payload.slice(i + cut);
  });
const text = fc.oneof(
  mutatedAttack,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  mutated,
);

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as on the wire). */
const percent = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

describe('fuzz', () => {
  it('detect and inspect never throw and always return well-formed results', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.jsonValue()), (value) => {
        if (typeof value === 'string') {
          for (const c of detect(value))
            expect(['sql_injection', 'xss', 'path_traversal']).toContain(c);
        }
        const result = inspect(value, { location: 'body' });
        for (const v of result.violations) expect(v.location.startsWith('body')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('the middleware answers 200 or a well-formed problem, never hangs', async () => {
    const { app } = guardedApp();
    await fc.assert(
      fc.asyncProperty(text, fc.jsonValue(), async (q, body) => {
        const res = await request(app)
          .post(`/v1/${percent(q.slice(0, 50))}?q=${percent(q)}`)
          .set('User-Agent', q.replace(/[^\t\x20-\x7e]/g, ''))
          .send({ body })
          .timeout(5000);
        if (res.status === 200) return;
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'request_blocked',
          status: 400,
          violations: expect.any(Array),
        });
        for (const v of res.body.violations) {
          expect(['sql_injection', 'xss', 'path_traversal']).toContain(v.category);
          expect(v.location).toMatch(/^(path|query|body|headers\.user-agent)/);
        }
      }),
      { numRuns: 250 },
    );
  });
});
