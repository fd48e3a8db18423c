/**
 * Scale curves (`npx tsx bench/scale.ts [--max N] [--write]`): keyward's cost per request as
 * the store and the traffic grow, on the in-process stores, middlewares called directly
 * (bench/fakes.ts). Each point is the median of 5 timed batches. Re-runs itself with
 * `--expose-gc` for the memory figures.
 *
 * 1. keys in the store (1 → --max, default 1,000,000): apiKeyAuth cache hit and cache off
 * 2. distinct active keys against the lookup cache (default max 10,000 entries)
 * 3. teams in the store, apiKeyAuth + rateLimit
 * 4. limits per key (1 → 5 counters in the one consume)
 * 5. hits already in a key's sliding per-minute window (memory counter store)
 * 6. memory per stored key, per active key (auth cache), per rate-limited key (counters)
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { scaleCurves } from './scale-curves.js';
import { machine, numberOption, writeResult } from './stats.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}
const { values } = parseArgs({
  options: { max: { type: 'string' }, write: { type: 'boolean', default: false } },
});
const max = numberOption(values, 'max', 1_000_000);

const result = await scaleCurves(max, gc, (line) => console.log(line));
if (values.write)
  console.log(
    `wrote ${writeResult('scale', { kind: 'scale', machine: machine(), max, ...result })}`,
  );
process.exit(0);
