/**
 * `npm run bench`: throughput of keyward against bare Express and the packages users would
 * pick instead. Each variant is its own server process on 127.0.0.1; after one discarded
 * warm-up per variant, rounds are interleaved (A B C … A B C …, the starting variant rotating
 * each round) so machine drift hits all alike; the headline figure per variant is the median
 * of its per-round ratios to bare Express measured in the same round.
 *
 * Flags: --rounds N (5), --duration S (3), --warmup S (2), --connections N (10),
 * --only a,b (variants; bare is always added), --quick (2 rounds × 1 s: a smoke test),
 * --json FILE, --write (bench/results/throughput.json + regenerate BENCHMARKS.md),
 * --dist (servers load a bundle built like the published package instead of the sources).
 * Environment: BENCH_ROUNDS, BENCH_DURATION, BENCH_CONNECTIONS override the defaults.
 */
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer, type Server } from './processes.js';
import { buildDist } from './keyward.js';
import { machine, median, numberOption, writeResult } from './stats.js';
import { VARIANTS } from './variants.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS },
    duration: { type: 'string', default: process.env.BENCH_DURATION },
    warmup: { type: 'string' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    write: { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const rounds = numberOption(values, 'rounds', quick ? 2 : 5);
const duration = numberOption(values, 'duration', quick ? 1 : 3);
const warmup = numberOption(values, 'warmup', quick ? 0.5 : 2);
const connections = numberOption(values, 'connections', 10);
const wanted = values.only
  ? ['bare', ...values.only.split(',').filter((v) => v !== 'bare')]
  : Object.keys(VARIANTS);

/** Targets from the issues, as fractions of bare Express. */
const TARGETS: Record<string, number> = {
  auth: 0.95,
  'auth-ratelimit': 0.85,
  full: 0.9,
  'full-redis': 0.7,
};

interface Samples {
  rps: number[];
  p50: number[];
  p99: number[];
  ratios: number[];
  refused: number;
  errors: number;
  requests: number;
  handled: number;
  redisCommands: number;
  cpuMicros: number;
}

function drive(s: Server, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${s.port}/v1/items`,
    connections,
    duration: seconds,
    headers: { 'x-api-key': s.key },
  });
}

const before = machine();
console.log(
  `keyward benchmark (${values.dist ? 'bundled build' : 'sources via tsx'}): ${rounds} rounds × ${duration} s (+${warmup} s warm-up), ${connections} connections, node ${before.node}, ${before.cpus} CPUs (${before.cpuModel}), load ${before.loadAverage.join(' ')}`,
);
if (values.dist) {
  await buildDist();
  process.env.BENCH_KEYWARD = 'dist'; // inherited by the forked servers
}
const build = values.dist ? 'dist' : 'src';
const started = await Promise.all(wanted.map((name) => startServer(name)));
const unavailable: Record<string, string> = {};
const servers: Server[] = [];
for (const s of started) {
  if ('reason' in s) {
    unavailable[s.name] = s.reason;
    console.log(`  ${s.name}: unavailable — ${s.reason}`);
  } else servers.push(s);
}
if (!servers.some((s) => s.name === 'bare'))
  throw new Error('bare Express did not start: no baseline');

const samples = new Map<string, Samples>();
for (const s of servers) {
  await drive(s, warmup); // warm-up: JIT, caches, sockets — discarded
  samples.set(s.name, {
    rps: [],
    p50: [],
    p99: [],
    ratios: [],
    refused: 0,
    errors: 0,
    requests: 0,
    handled: 0,
    redisCommands: 0,
    cpuMicros: 0,
  });
}
for (let r = 0; r < rounds; r++) {
  const order = servers.map((_, i) => servers[(i + r) % servers.length] as Server);
  const rps = new Map<string, number>();
  for (const s of order) {
    const statsBefore = await s.stats();
    const result = await drive(s, duration);
    const statsAfter = await s.stats();
    const e = samples.get(s.name) as Samples;
    e.rps.push(result.requests.average);
    e.p50.push(result.latency.p50);
    e.p99.push(result.latency.p99);
    e.refused += result.non2xx;
    e.errors += result.errors + result.timeouts;
    e.requests += result.requests.total;
    e.handled += statsAfter.handled - statsBefore.handled;
    e.redisCommands += statsAfter.redisCommands - statsBefore.redisCommands;
    e.cpuMicros += statsAfter.cpuMicros - statsBefore.cpuMicros;
    rps.set(s.name, result.requests.average);
  }
  for (const [name, value] of rps)
    samples.get(name)?.ratios.push(value / (rps.get('bare') as number));
  console.log(
    `  round ${r + 1}/${rounds}: ${[...rps].map(([n, v]) => `${n} ${Math.round(v)}`).join(', ')}`,
  );
}
await Promise.all(servers.map((s) => s.stop()));

const rows = Object.keys(VARIANTS)
  .filter((name) => samples.has(name))
  .map((name) => {
    const e = samples.get(name) as Samples;
    const ratio = median(e.ratios);
    const target = TARGETS[name];
    return {
      name,
      description: VARIANTS[name] as string,
      rps: Math.round(median(e.rps)),
      p50: median(e.p50),
      p99: median(e.p99),
      ratio,
      ratios: e.ratios.map((x) => Math.round(x * 1000) / 1000),
      target: target ?? null,
      met: target === undefined ? null : ratio >= target,
      refused: e.refused,
      errors: e.errors,
      handled: e.handled,
      // The server's own CPU per request: what keyward adds, free of the client's share.
      cpuMicrosPerRequest: e.cpuMicros / Math.max(1, e.handled),
      redisCommandsPerRequest:
        e.redisCommands > 0
          ? e.redisCommands / Math.max(1, e.handled)
          : name.endsWith('redis')
            ? 0
            : null,
    };
  });

console.log(
  '\n| variant | req/s (median) | p50 ms | p99 ms | vs bare (median of per-round ratios) | target | non-2xx | Redis commands/req | server CPU µs/req |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const target = r.target === null ? '' : `≥ ${r.target * 100}% ${r.met ? 'met' : 'NOT met'}`;
  const redis = r.redisCommandsPerRequest === null ? '' : r.redisCommandsPerRequest.toFixed(2);
  console.log(
    `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${(r.ratio * 100).toFixed(1)}% | ${target} | ${r.refused + r.errors} | ${redis} | ${r.cpuMicrosPerRequest.toFixed(1)} |`,
  );
}
for (const [name, reason] of Object.entries(unavailable))
  console.log(`| ${name} | unavailable: ${reason} | | | | | | |`);

const result = {
  kind: 'throughput',
  machine: before,
  loadAfter: machine().loadAverage,
  build,
  rounds,
  duration,
  warmup,
  connections,
  rows,
  unavailable,
};
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
if (values.write) {
  console.log(`\nwrote ${writeResult('throughput', result)}`);
  const { writeReport } = await import('../scripts/bench-report.js');
  console.log(`wrote ${writeReport()}`);
}
process.exit(0);
