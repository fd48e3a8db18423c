/**
 * requestGuard benchmark: detection and false-positive rates over the evaluation corpus,
 * inspection throughput on realistic JSON bodies, µs per typical 1 KB request, growth
 * from 1 KB to 1 MB, and adversarial inputs. `npm run bench:guard` (`-- --write` also saves
 * bench/results/guard.json for BENCHMARKS.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { generateAttacks, generateBenign } from '../scripts/guard-corpus.js';
import { prng } from '../scripts/guard-corpus-encodings.js';
import { detect } from '../src/guard/detect.js';
import { inspect } from '../src/guard/inspect.js';
import { requestGuard } from '../src/guard/request-guard.js';
import { VIOLATION_CATEGORIES } from '../src/guard/violation.js';
import { machine, writeResult } from './stats.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });

const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;

interface Rates {
  detection: Array<{ category: string; detected: number; total: number }>;
  falsePositives: { flagged: number; total: number };
}

function rates(): Rates {
  const attacks = generateAttacks();
  const benign = generateBenign();
  const detection: Rates['detection'] = [];
  console.log('## Detection (evaluation corpus, scripts/guard-corpus.ts)\n');
  for (const category of VIOLATION_CATEGORIES) {
    const cases = attacks.filter((a) => a.category === category);
    const hit = cases.filter((a) => detect(a.payload).includes(category)).length;
    detection.push({ category, detected: hit, total: cases.length });
    console.log(
      `${category.padEnd(15)} ${pct(hit / cases.length).padStart(8)}  (${hit}/${cases.length})`,
    );
  }
  const flagged = benign.filter((text) => detect(text).length > 0).length;
  console.log(
    `false positives ${pct(flagged / benign.length).padStart(8)}  (${flagged}/${benign.length} benign inputs)\n`,
  );
  return { detection, falsePositives: { flagged, total: benign.length } };
}

/** A realistic JSON API body of about `bytes`: customer orders written with benign-corpus text. */
function realisticBody(bytes: number): { value: unknown; size: number } {
  const benign = generateBenign();
  const random = prng(42);
  const text = (): string => benign[Math.floor(random() * benign.length)] as string;
  const orders: unknown[] = [];
  let size = 2;
  let id = 1;
  while (size < bytes) {
    const order = {
      id: `ord_${(id++).toString(36).padStart(8, '0')}`,
      customer: { name: text(), email: `customer${id}@example.com`, address: text() },
      createdAt: new Date(1_700_000_000_000 + id * 60_000).toISOString(),
      items: [
        { sku: `SKU-${id}`, title: text(), qty: 1 + (id % 3), price: 9.99 },
        { sku: `SKU-${id + 1}`, title: text(), qty: 1, price: 24.5 },
      ],
      note: text(),
      tags: ['priority', 'gift'],
    };
    size += JSON.stringify(order).length + 1;
    orders.push(order);
  }
  const value = { orders };
  return { value, size: Buffer.byteLength(JSON.stringify(value)) };
}

function fakeRequest(body: unknown, size: number): IncomingMessage {
  return {
    method: 'POST',
    url: '/v1/orders?page=2&sort=created_at&q=select+a+plan',
    originalUrl: '/v1/orders?page=2&sort=created_at&q=select+a+plan',
    headers: {
      'content-type': 'application/json',
      'content-length': String(size),
      'user-agent':
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      referer: 'https://app.example.com/orders?tab=open',
    },
    query: { page: '2', sort: 'created_at', q: 'select a plan' },
    body,
    socket: { remoteAddress: '203.0.113.9' },
  } as unknown as IncomingMessage;
}

function fakeResponse(): ServerResponse {
  const headers = new Map<string, unknown>();
  return {
    headersSent: false,
    setHeader: (k: string, v: unknown) => headers.set(k.toLowerCase(), v),
    hasHeader: (k: string) => headers.has(k.toLowerCase()),
  } as unknown as ServerResponse;
}

interface Timing {
  name: string;
  us: number;
  bytes: number;
  mbps: number;
}

async function timings(): Promise<Timing[]> {
  const bench = new Bench({ time: 300, iterations: 5, warmup: true });
  const sizes = [
    ['1 KB', 1024],
    ['100 KB', 100 * 1024],
    ['1 MB', 1000 * 1024],
  ] as const;
  const bodies = sizes.map(([label, bytes]) => ({ label, ...realisticBody(bytes) }));
  for (const body of bodies)
    bench.add(
      `inspect() realistic JSON ${body.label}`,
      () => void inspect(body.value, { maxBytes: Infinity }),
    );
  const guard = requestGuard();
  const small = bodies[0];
  if (!small) throw new Error('no 1 KB body');
  const req = fakeRequest(small.value, small.size);
  bench.add('requestGuard middleware, typical 1 KB request', () => {
    guard(req, fakeResponse(), () => undefined);
  });
  const adversarial: Array<[string, string]> = [
    ["20,000 × '", "'".repeat(20_000)],
    ['20,000 × <', '<'.repeat(20_000)],
    ['20,000 × /*', '/*'.repeat(20_000)],
    ['20,000 × <a', '<a'.repeat(20_000)],
    ['20,000 × %25', '%25'.repeat(20_000)],
    ['20,000 × ../', '../'.repeat(20_000)],
    ['20,000 × &#', '&#'.repeat(20_000)],
    ["20,000 × ' or ", "' or ".repeat(20_000)],
    ['20,000 × javascript:', 'javascript:'.repeat(20_000)],
    // Ten times longer: time should grow ten times, not a hundred.
    ["200,000 × '", "'".repeat(200_000)],
    ['200,000 × <a', '<a'.repeat(200_000)],
    ['200,000 × ../', '../'.repeat(200_000)],
  ];
  for (const [label, text] of adversarial)
    bench.add(`adversarial ${label}`, () => void detect(text));
  await bench.run();

  const bytesOf = new Map<string, number>([
    ...bodies.map((b) => [`inspect() realistic JSON ${b.label}`, b.size] as const),
    ...adversarial.map(([label, text]) => [`adversarial ${label}`, text.length] as const),
    ['requestGuard middleware, typical 1 KB request', small.size],
  ]);
  console.log('## Timing (mean per operation)\n');
  const out: Timing[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      console.log(`${task.name}: ${result.state}`);
      continue;
    }
    const ms = result.period;
    const bytes = bytesOf.get(task.name) ?? 0;
    const mbps = bytes / 1e6 / (ms / 1000);
    out.push({ name: task.name, us: ms * 1000, bytes, mbps });
    console.log(
      `${task.name.padEnd(48)} ${(ms * 1000).toFixed(1).padStart(10)} µs  ${(bytes / 1024).toFixed(1).padStart(8)} KiB  ${mbps.toFixed(1).padStart(7)} MB/s`,
    );
  }
  return out;
}

const found = rates();
const timed = await timings();
if (values.write) {
  console.log(
    `\nwrote ${writeResult('guard', { kind: 'guard', machine: machine(), ...found, timings: timed })}`,
  );
}
