/**
 * The requestGuard evaluation corpus: attacks (templates × obfuscations × encodings) and
 * benign API inputs, generated deterministically. `npx tsx scripts/guard-corpus.ts` writes
 * them to tests/fixtures/guard/; the tests check the committed files still match.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAttacks, type AttackCase } from './guard-corpus-attacks.js';
import { generateBenign } from './guard-corpus-benign.js';

export { generateAttacks, generateBenign, type AttackCase };

/** Where the generated corpus lives (commands run from the repository root). */
export const CORPUS_DIR = join(process.cwd(), 'tests', 'fixtures', 'guard');

/** One JSON value per line. */
export function toJsonLines(items: readonly unknown[]): string {
  return items.map((item) => JSON.stringify(item)).join('\n') + '\n';
}

if (process.argv[1]?.endsWith('guard-corpus.ts')) {
  const attacks = generateAttacks();
  const benign = generateBenign();
  writeFileSync(join(CORPUS_DIR, 'attacks.jsonl'), toJsonLines(attacks));
  writeFileSync(join(CORPUS_DIR, 'benign.jsonl'), toJsonLines(benign));
  const count = (c: AttackCase['category']): number =>
    attacks.filter((a) => a.category === c).length;
  console.log(
    `attacks: ${attacks.length} (sql_injection ${count('sql_injection')}, xss ${count('xss')}, path_traversal ${count('path_traversal')}); benign: ${benign.length}`,
  );
}
