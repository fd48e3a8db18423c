import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORPUS_DIR,
  generateAttacks,
  generateBenign,
  toJsonLines,
  type AttackCase,
} from '../../scripts/guard-corpus.js';
import { detect } from '../../src/guard/detect.js';
import { VIOLATION_CATEGORIES } from '../../src/guard/violation.js';

const read = (name: string): string => readFileSync(join(CORPUS_DIR, name), 'utf8');
const attacks: AttackCase[] = read('attacks.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const benign: string[] = read('benign.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

describe('evaluation corpus', () => {
  it('is what scripts/guard-corpus.ts generates (regenerate with `npx tsx scripts/guard-corpus.ts`)', () => {
    expect(read('attacks.jsonl')).toBe(toJsonLines(generateAttacks()));
    expect(read('benign.jsonl')).toBe(toJsonLines(generateBenign()));
  });

  it('has thousands of attacks in every category and thousands of benign inputs', () => {
    for (const category of VIOLATION_CATEGORIES) {
      expect([category, attacks.filter((a) => a.category === category).length > 2000]).toEqual([
        category,
        true,
      ]);
    }
    expect(benign.length).toBeGreaterThanOrEqual(2000);
  });

  it.each(VIOLATION_CATEGORIES.map((c) => [c]))('detects >= 99%% of %s attacks', (category) => {
    const cases = attacks.filter((a) => a.category === category);
    const missed = cases.filter((a) => !detect(a.payload).includes(category));
    const rate = 1 - missed.length / cases.length;
    // On failure, show a few misses to start from.
    expect({ rate: rate >= 0.99, sample: rate >= 0.99 ? [] : missed.slice(0, 5) }).toEqual({
      rate: true,
      sample: [],
    });
  });

  it('flags <= 0.2% of the benign corpus', () => {
    const flagged = benign.filter((text) => detect(text).length > 0);
    expect({ ok: flagged.length / benign.length <= 0.002, flagged }).toEqual({
      ok: true,
      flagged: expect.any(Array),
    });
  });
});
