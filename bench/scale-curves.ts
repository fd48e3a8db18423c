/** The measurements behind bench/scale.ts. */
import { randomBytes } from 'node:crypto';
import {
  apiKeyAuth,
  MemoryCounterStore,
  MemoryKeyStore,
  rateLimit,
  type ApiKeyRecord,
  type CounterSpec,
  type KeyLimits,
  type Team,
} from '../src/index.js';
import { digestKey } from '../src/keys/digest.js';
import { DEFAULT_KEY_PREFIX, generateKey } from '../src/keys/format.js';
import { fakePair, runMiddleware } from './fakes.js';
import { median } from './stats.js';

export interface Point {
  x: number;
  us: number;
}
export interface Curve {
  title: string;
  x: string;
  series: Record<string, Point[]>;
}
type Mw = Parameters<typeof runMiddleware>[0];

const team = (id: string, limits?: Team['limits']): Team => ({
  id,
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active' },
  ...(limits ? { limits } : {}),
});

function record(hash: string, teamId: string, limits?: KeyLimits): ApiKeyRecord {
  return {
    id: `key_${randomBytes(12).toString('hex')}`,
    hash,
    prefix: 'kw_live_abcd',
    name: 'scale',
    teamId,
    environment: 'production',
    scopes: ['*'],
    customerId: null,
    status: 'active',
    validUntil: null,
    blockedUntil: null,
    ...(limits ? { limits } : {}),
    createdAt: new Date(),
    lastUsedAt: null,
    lastUsedIp: null,
    previous: null,
  };
}

/** A store of `total` keys over `teams` teams; returns the plaintext of the first `live` keys. */
async function seed(
  total: number,
  live: number,
  teams = 1,
  limits?: KeyLimits,
  teamLimits?: Team['limits'],
): Promise<{ store: MemoryKeyStore; keys: string[] }> {
  const store = new MemoryKeyStore();
  for (let t = 0; t < teams; t++) await store.saveTeam(team(`team_${t}`, teamLimits));
  const keys: string[] = [];
  for (let i = 0; i < total; i++) {
    const teamId = `team_${i % teams}`;
    if (i < live) {
      const { key } = generateKey(DEFAULT_KEY_PREFIX, 'production');
      keys.push(key);
      await store.insertKey(record(digestKey(key), teamId, limits));
    } else {
      // Filler keys nobody presents: only their digest matters to the lookup.
      await store.insertKey(record(digestKey(`filler-${i}`), teamId, limits));
    }
  }
  return { store, keys };
}

/** µs per request through `chain`, cycling over `keys`: median of 5 batches after a warm-up. */
async function timePerRequest(chain: Mw[], keys: string[], ops = 20_000): Promise<number> {
  const once = async (i: number) => {
    const pair = fakePair(keys[i % keys.length], `10.0.${(i >> 8) & 255}.${i & 255}`);
    for (const mw of chain) await runMiddleware(mw, pair);
  };
  for (let i = 0; i < Math.min(ops, keys.length * 2); i++) await once(i);
  (globalThis as { gc?: () => void }).gc?.(); // start timing without the seeding's garbage
  const batches: number[] = [];
  let i = 0;
  for (let b = 0; b < 5; b++) {
    const start = process.hrtime.bigint();
    for (let n = 0; n < ops; n++) await once(i++);
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / ops);
  }
  return Math.round(median(batches) * 100) / 100;
}

function heap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export async function scaleCurves(max: number, gc: () => void, log: (line: string) => void) {
  const curves: Curve[] = [];
  const memory: Record<string, number> = {};
  const sizes = [1, 1_000, 10_000, 100_000, 1_000_000].filter((n) => n <= max);

  const byKeys: Curve = {
    title: 'Keys in the store (1,000 of them presented, cyclically)',
    x: 'keys in store',
    series: { 'apiKeyAuth, cache hit': [], 'apiKeyAuth, cache off': [] },
  };
  for (const n of sizes) {
    const before = heap(gc);
    const { store, keys } = await seed(n, Math.min(n, 1000));
    if (n >= 100_000)
      memory['MemoryKeyStore, bytes per stored key'] = Math.round((heap(gc) - before) / n);
    const hit = await timePerRequest([apiKeyAuth(store)], keys);
    const off = await timePerRequest([apiKeyAuth(store, { cache: false })], keys);
    byKeys.series['apiKeyAuth, cache hit']?.push({ x: n, us: hit });
    byKeys.series['apiKeyAuth, cache off']?.push({ x: n, us: off });
    log(`keys in store ${n}: cache hit ${hit} µs, cache off ${off} µs`);
  }
  curves.push(byKeys);

  const active = [100, 1_000, 10_000, 20_000, 100_000].filter((n) => n <= max);
  const byActive: Curve = {
    title: 'Distinct keys presented in turn (lookup cache max 10,000)',
    x: 'distinct active keys',
    series: { 'apiKeyAuth, default cache': [] },
  };
  const big = await seed(Math.max(...active), Math.max(...active));
  for (const n of active) {
    const us = await timePerRequest([apiKeyAuth(big.store)], big.keys.slice(0, n));
    byActive.series['apiKeyAuth, default cache']?.push({ x: n, us });
    log(`active keys ${n}: ${us} µs`);
  }
  curves.push(byActive);
  {
    const n = Math.min(10_000, max);
    const { store, keys } = await seed(n, n, 1, { perMinute: 1e12, monthly: 1e12 });
    const counters = new MemoryCounterStore();
    const auth = apiKeyAuth(store, { counters });
    const limited = rateLimit(counters);
    const before = heap(gc);
    for (let i = 0; i < n; i++) await runMiddleware(auth, fakePair(keys[i], '10.1.1.1'));
    memory['apiKeyAuth: bytes per active key (lookup cache + last-used tracker)'] = Math.round(
      (heap(gc) - before) / n,
    );
    const mid = heap(gc);
    for (let i = 0; i < n; i++) {
      const pair = fakePair(keys[i], '10.1.1.1');
      await runMiddleware(auth, pair);
      await runMiddleware(limited, pair);
    }
    memory[
      'rateLimit on MemoryCounterStore: bytes per active key (per-minute log + monthly counter, 1 hit)'
    ] = Math.round((heap(gc) - mid) / n);
  }

  const byTeams: Curve = {
    title: 'Teams in the store (1,000 keys presented, spread over the teams)',
    x: 'teams',
    series: { 'apiKeyAuth + rateLimit (memory)': [] },
  };
  for (const t of [1, 100, 10_000, 100_000].filter((n) => n <= max)) {
    const { store, keys } = await seed(
      Math.max(1000, t),
      1000,
      t,
      { perMinute: 1e12, monthly: 1e12 },
      { perMinute: 1e12, monthly: 1e12 },
    );
    const counters = new MemoryCounterStore();
    const us = await timePerRequest([apiKeyAuth(store, { counters }), rateLimit(counters)], keys);
    byTeams.series['apiKeyAuth + rateLimit (memory)']?.push({ x: t, us });
    log(`teams ${t}: ${us} µs`);
  }
  curves.push(byTeams);

  const limitSets: KeyLimits[] = [
    { perMinute: 1e12 },
    { perMinute: 1e12, monthly: 1e12 },
    { perMinute: 1e12, monthly: 1e12, ipsPerMonth: 1e9 },
  ];
  const byLimits: Curve = {
    title: 'Limits per key (counters in the one consume)',
    x: 'limits',
    series: { 'apiKeyAuth + rateLimit (memory)': [] },
  };
  const limitCases: Array<[number, KeyLimits, Team['limits'] | undefined]> = [
    [0, {}, undefined],
    ...limitSets.map((l, i) => [i + 1, l, undefined] as [number, KeyLimits, undefined]),
    [4, limitSets[2] as KeyLimits, { perMinute: 1e12 }],
    [5, limitSets[2] as KeyLimits, { perMinute: 1e12, monthly: 1e12 }],
  ];
  for (const [count, limits, teamLimits] of limitCases) {
    const { store, keys } = await seed(1000, 1000, 10, limits, teamLimits);
    const counters = new MemoryCounterStore();
    const us = await timePerRequest([apiKeyAuth(store, { counters }), rateLimit(counters)], keys);
    byLimits.series['apiKeyAuth + rateLimit (memory)']?.push({ x: count, us });
    log(`limits ${count}: ${us} µs`);
  }
  curves.push(byLimits);

  const byWindow: Curve = {
    title: "Hits already in the key's sliding per-minute window",
    x: 'hits in window',
    series: { 'MemoryCounterStore.consume (per-minute + monthly)': [] },
  };
  for (const hits of [0, 1_000, 100_000, 1_000_000].filter((n) => n <= max)) {
    const counters = new MemoryCounterStore();
    const specs: CounterSpec[] = [
      { kind: 'sliding', key: 'rl:key:k:minute', limit: 1e12, windowMs: 60_000 },
      { kind: 'fixed', key: 'rl:key:k:month', limit: 1e12, resetAt: Date.UTC(2100, 0) },
    ];
    const t0 = Date.UTC(2026, 2, 10, 12);
    for (let i = 0; i < hits; i++)
      await counters.consume(specs, t0 + (i * 30_000) / Math.max(1, hits));
    let now = t0 + 30_000;
    heap(gc); // start each point without the garbage of the previous ones
    const batches: number[] = [];
    for (let b = 0; b < 5; b++) {
      const start = process.hrtime.bigint();
      for (let n = 0; n < 20_000; n++) await counters.consume(specs, (now += 0.001));
      batches.push(Number(process.hrtime.bigint() - start) / 1000 / 20_000);
    }
    const us = Math.round(median(batches) * 100) / 100;
    byWindow.series['MemoryCounterStore.consume (per-minute + monthly)']?.push({ x: hits, us });
    log(`hits in window ${hits}: ${us} µs`);
  }
  curves.push(byWindow);
  for (const [k, v] of Object.entries(memory)) log(`${k}: ${v}`);
  return { curves, memory };
}
