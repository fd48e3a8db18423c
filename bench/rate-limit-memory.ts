/**
 * Memory of the exact sliding window: heap after a forced GC for N active keys with perMinute
 * 100, each having sent `hits` requests in the current minute.
 * Run: `node --expose-gc --import tsx bench/rate-limit-memory.ts [keys] [hits]`.
 */
import { MemoryCounterStore, type CounterSpec } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const keys = Number(process.argv[2] ?? 100_000);
const hits = Number(process.argv[3] ?? 100);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};
const store = new MemoryCounterStore();
const before = heap();
let now = Date.parse('2026-03-10T12:00:00Z');
for (let h = 0; h < hits; h++) {
  now += Math.floor(59_000 / hits);
  for (let k = 0; k < keys; k++) {
    const spec: CounterSpec = {
      kind: 'sliding',
      key: `rl:key:key_${k.toString(16).padStart(24, '0')}:minute`,
      limit: 100,
      windowMs: 60_000,
    };
    await store.consume([spec], now);
  }
}
const after = heap();
const perKey = (after - before) / keys;
console.log(
  `${keys} keys × ${hits} admitted hits in the window (perMinute 100): ${((after - before) / 2 ** 20).toFixed(1)} MiB, ${perKey.toFixed(0)} bytes/key, ${(perKey - 8 * Math.min(hits, 100)).toFixed(0)} bytes/key of bookkeeping beyond 8 bytes/hit`,
);
store.sweep(now + 60_001);
console.log(
  `after the window passes and a sweep: ${store.stats().sliding} live entries, heap delta ${((heap() - before) / 2 ** 20).toFixed(1)} MiB`,
);
