/**
 * Regenerates BENCHMARKS.md from bench/results/{throughput,micro,scale}.json (written by
 * `npm run bench -- --write`, `npx tsx bench/micro.ts --write`, `npx tsx bench/scale.ts
 * --write`). Every number in BENCHMARKS.md comes from those files: never edit it by hand.
 * Run: `npx tsx scripts/bench-report.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RESULTS, ROOT, type Machine } from '../bench/stats.js';
import { analysis, method, reproduce } from './bench-text.js';

interface Row {
  name: string;
  description: string;
  rps: number;
  p50: number;
  p99: number;
  ratio: number;
  ratios: number[];
  target: number | null;
  met: boolean | null;
  refused: number;
  errors: number;
  redisCommandsPerRequest: number | null;
  /** Server CPU (user + system) per request, µs; absent in results from before it was measured. */
  cpuMicrosPerRequest?: number;
}
interface Throughput {
  machine: Machine;
  /** Which keyward the servers loaded: the bundle (`--dist`) or the sources through tsx. */
  build?: 'dist' | 'src';
  loadAfter: number[];
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  rows: Row[];
  unavailable: Record<string, string>;
}
interface Micro {
  machine: Machine;
  time: number;
  tasks: Array<{
    name: string;
    meanUs: number;
    medianUs: number;
    p99Us: number;
    rmePct: number;
    samples: number;
  }>;
  skipped: Record<string, string>;
}
interface Scale {
  machine: Machine;
  max: number;
  curves: Array<{
    title: string;
    x: string;
    series: Record<string, Array<{ x: number; us: number }>>;
  }>;
  memory: Record<string, number>;
}

interface Guard {
  machine: Machine;
  detection: Array<{ category: string; detected: number; total: number }>;
  falsePositives: { flagged: number; total: number };
  timings: Array<{ name: string; us: number; bytes: number; mbps: number }>;
}

function read<T>(name: string): T | undefined {
  const file = path.join(RESULTS, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const machineLine = (m: Machine) =>
  `${m.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${m.commit}\`, node ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, load average ${m.loadAverage.join(' / ')}`;

function throughputSection(t: Throughput): string[] {
  const out = [
    `## Throughput (\`npm run bench${t.build === 'dist' ? ' -- --dist' : ''}\`)`,
    '',
    `Measured ${machineLine(t.machine)} (load afterwards ${t.loadAfter.join(' / ')}).`,
    `${t.rounds} interleaved rounds × ${t.duration} s per variant after a ${t.warmup} s warm-up, ${t.connections} connections, autocannon in the parent process; keyward loaded from ${t.build === 'dist' ? 'the bundled build (`--dist`)' : 'the TypeScript sources through tsx'}.`,
    '',
    '| variant | what runs | req/s (median) | p50 ms | p99 ms | vs bare Express (median of per-round ratios) | per-round ratios | target | non-2xx + errors | Redis commands / request | server CPU µs / request |',
    '|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|',
  ];
  for (const r of t.rows) {
    const target =
      r.target === null ? '' : `≥ ${r.target * 100}%: ${r.met ? 'met' : '**not met**'}`;
    const redis = r.redisCommandsPerRequest === null ? '' : r.redisCommandsPerRequest.toFixed(2);
    const cpu = r.cpuMicrosPerRequest === undefined ? '' : r.cpuMicrosPerRequest.toFixed(1);
    out.push(
      `| ${r.name} | ${r.description} | ${r.rps} | ${r.p50} | ${r.p99} | ${pct(r.ratio)} | ${r.ratios.map(pct).join(' ')} | ${target} | ${r.refused + r.errors} | ${redis} | ${cpu} |`,
    );
  }
  for (const [name, reason] of Object.entries(t.unavailable))
    out.push(`| ${name} | unavailable: ${reason} | | | | | | | | | |`);
  const bare = t.rows.find((r) => r.name === 'bare');
  const rivals = t.rows.filter((r) => r.name === 'passport' || r.name === 'express-rate-limit');
  const ours = t.rows.filter((r) => r.name === 'auth' || r.name === 'full');
  if (bare && rivals.length && ours.length) {
    const best = Math.max(...rivals.map((r) => r.ratio));
    out.push(
      '',
      ...ours.map(
        (r) =>
          `- \`${r.name}\` ${r.ratio > best ? 'is ahead of' : 'is **not** ahead of'} both rivals measured in the same run (${pct(r.ratio)} against at best ${pct(best)}).`,
      ),
    );
  }
  return [...out, ''];
}

function microSection(m: Micro): string[] {
  const out = [
    '## Hot paths (`npx tsx bench/micro.ts`)',
    '',
    `Measured ${machineLine(m.machine)}; tinybench, ${m.time} ms per task. Middlewares called directly with minimal fake req/res (bench/fakes.ts): no HTTP parsing, no sockets.`,
    '',
    '| task | median µs/op | mean µs/op | p99 µs | ± rme | samples |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const t of m.tasks)
    out.push(
      `| ${t.name} | ${t.medianUs.toFixed(2)} | ${t.meanUs.toFixed(2)} | ${t.p99Us.toFixed(2)} | ${t.rmePct.toFixed(1)}% | ${t.samples} |`,
    );
  for (const [name, reason] of Object.entries(m.skipped))
    out.push(`| ${name} | unavailable: ${reason} | | | | |`);
  return [...out, ''];
}

function guardSection(g: Guard): string[] {
  const out = [
    '## requestGuard (`npm run bench:guard`)',
    '',
    `Measured ${machineLine(g.machine)}; tinybench, mean per operation. Detection over the evaluation corpus (scripts/guard-corpus.ts); targets ≥ 99% per category, ≤ 0.2% false positives.`,
    '',
    '| category | detected | rate |',
    '|---|---:|---:|',
  ];
  for (const d of g.detection)
    out.push(`| ${d.category} | ${d.detected} / ${d.total} | ${pct(d.detected / d.total)} |`);
  const fp = g.falsePositives;
  out.push(
    `| false positives (benign inputs flagged) | ${fp.flagged} / ${fp.total} | ${pct(fp.flagged / fp.total)} |`,
    '',
    '| input | µs / op | KiB | MB/s |',
    '|---|---:|---:|---:|',
  );
  for (const t of g.timings)
    out.push(
      `| ${t.name} | ${t.us.toFixed(1)} | ${(t.bytes / 1024).toFixed(1)} | ${t.mbps.toFixed(1)} |`,
    );
  return [...out, ''];
}

function scaleSection(s: Scale): string[] {
  const out = [
    '## Scale curves (`npx tsx bench/scale.ts`)',
    '',
    `Measured ${machineLine(s.machine)}; each point is the median of 5 batches of 20,000 requests (µs per request).`,
    '',
  ];
  for (const c of s.curves) {
    const names = Object.keys(c.series);
    out.push(
      `### ${c.title}`,
      '',
      `| ${c.x} | ${names.join(' | ')} |`,
      `|---:|${names.map(() => '---:').join('|')}|`,
    );
    const xs = [...new Set(names.flatMap((n) => (c.series[n] ?? []).map((p) => p.x)))];
    for (const x of xs)
      out.push(
        `| ${x.toLocaleString('en-US')} | ${names.map((n) => c.series[n]?.find((p) => p.x === x)?.us.toFixed(2) ?? '').join(' | ')} |`,
      );
    out.push('');
  }
  out.push('### Memory', '', '| what | bytes |', '|---|---:|');
  for (const [k, v] of Object.entries(s.memory)) out.push(`| ${k} | ${v} |`);
  return [...out, ''];
}

/** Writes BENCHMARKS.md from whatever result files exist; returns its path. */
export function writeReport(): string {
  const t = read<Throughput>('throughput');
  const m = read<Micro>('micro');
  const s = read<Scale>('scale');
  const g = read<Guard>('guard');
  const lines = [
    '# keyward benchmarks',
    '',
    '<!-- Generated by scripts/bench-report.ts from bench/results/*.json. Do not edit by hand: re-run the benchmarks. -->',
    '',
    ...method(t?.build),
    ...(t
      ? throughputSection(t)
      : ['## Throughput', '', 'Not measured yet: `npm run bench -- --write`.', '']),
    ...(m
      ? microSection(m)
      : ['## Hot paths', '', 'Not measured yet: `npx tsx bench/micro.ts --write`.', '']),
    ...(g
      ? guardSection(g)
      : ['## requestGuard', '', 'Not measured yet: `npm run bench:guard -- --write`.', '']),
    ...(s
      ? scaleSection(s)
      : ['## Scale curves', '', 'Not measured yet: `npx tsx bench/scale.ts --write`.', '']),
    ...analysis(),
    ...reproduce(),
  ];
  const file = path.join(ROOT, 'BENCHMARKS.md');
  writeFileSync(file, lines.join('\n'));
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  console.log(`wrote ${writeReport()}`);
