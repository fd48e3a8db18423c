/** The prose of BENCHMARKS.md (method, reading the curves, reproduction); numbers come from results. */

/** `build`: which keyward the throughput servers loaded (from the throughput results). */
export function method(build?: 'dist' | 'src'): string[] {
  const source =
    build === 'dist'
      ? "- **The build, not the sources**: with `--dist` (used for the table below) `bench/run.ts` first bundles `src/index.ts` and `src/redis/index.ts` with esbuild the way tsup builds the published package (ESM, node20, names not kept) and the servers import that bundle, so the figures are what users install. Without it, servers run keyward's TypeScript through tsx, whose transform wraps every closure in `__name()` (an `Object.defineProperty` call) and over-states keyward's cost a little. express and the rival packages are plain JavaScript either way; the server scripts themselves (seeding, the handler) always run through tsx."
      : "- **Source, not the build**: servers and scripts run keyward's TypeScript through tsx, whose esbuild transform keeps function names by wrapping every closure a request creates in `__name()` (an `Object.defineProperty` call). The published build (tsup) does not do that, so these figures over-state keyward's own cost a little (`npm run bench -- --dist` measures a bundle built like the published package); express and the rival packages are plain JavaScript either way.";
  return [
    '## Method',
    '',
    '- **Throughput** (`bench/run.ts`): every variant is its own server process (`node --import tsx bench/server.ts <variant>`) on 127.0.0.1, an ephemeral port, the same JSON handler (`GET /v1/items` → `{"ok":true,"data":[1,2,3]}`). Authenticated variants send a real key created with `KeyManager` in the server process; its limits are high enough that nothing is refused, and refusals/errors are counted anyway (the `non-2xx + errors` column must be 0). autocannon drives one server at a time: one discarded warm-up per variant, then rounds interleaved A B C … A B C … (the starting variant rotating each round), so drift on the machine hits every variant alike. The headline number is the **median of the per-round ratios** to bare Express measured in the same round — not a ratio of medians, and never a comparison across runs.',
    '- **The machine is shared**: these runs happen on a 2-CPU box where other engineers run test suites at the same time, and autocannon itself runs on the same 2 CPUs as the server. Absolute req/s are therefore low and noisy (look at the load average and the per-round ratios); the ratios are the figure to read. On a quiet, larger machine absolute numbers are several times higher, and the fixed per-request cost of keyward is a *larger* share of a faster bare Express.',
    "- **Variants**: `noop` is one pass-through middleware, `(req, res, next) => next()`: what Express's router charges for any middleware at all, the floor under every other row. `passport` (passport + passport-headerapikey, the key compared in the verify callback — no hashing, no store) and `express-rate-limit` (memory store, per IP) are what users would pick instead; they do much less than keyward (no digest, no store, no checks table, no sliding window), which is the point of comparing. `full` is `express.json()` + `requestGuard()` + `apiKeyAuth` + `publicOnly` + `requireFeature` + `rateLimit` on memory stores; `full-redis` the same with `RedisCounterStore` (brute-force checks and rate limits on Redis at 127.0.0.1:6379). A variant that cannot run here (no Redis) is listed as unavailable.",
    source,
    "- **Server CPU per request**: each server reports its own CPU time (user + system, `process.cpuUsage()`) around every timed round; divided by the requests its handler answered, it is the server's cost per request free of the client's share of the 2 CPUs — the steadier figure on a loaded machine. The difference to `bare` is what the middleware adds, kernel time for the larger responses (keyward's `X-Request-Id` and rate-limit headers) included.",
    "- **Hot paths** (`bench/micro.ts`): tinybench; middlewares called directly with minimal fake req/res objects; the median is the figure to read (the mean carries GC pauses and the neighbours' load).",
    '- **requestGuard** (`bench/guard.ts`): detection and false-positive rates over the generated evaluation corpus, then tinybench timings of `inspect()` on realistic JSON bodies of 1 KB to 1 MB, the middleware on a typical 1 KB request, and adversarial inputs (which must grow linearly).',
    '- **Scale curves** (`bench/scale.ts`): the in-process stores filled directly (`MemoryKeyStore.insertKey` with precomputed digests), middlewares called directly; memory is heap after forced GC, divided by the number of keys.',
    '',
  ];
}

export function analysis(): string[] {
  return [
    '## Reading the curves: where cost is not flat, and why',
    '',
    '- **Keys in the store**: lookups are `Map` gets by digest, O(1). The small rise from 1 key to thousands is the CPU cache, not the algorithm: one key keeps every object hot, a thousand keys presented in turn do not.',
    '- **Distinct active keys**: flat while the working set fits the lookup cache (`cache.max`, default 10,000). Above it, keys presented in turn evict each other (an LRU under a cyclic scan misses every time), so each request pays the store lookup and a cache insertion — the step in the curve. Raise `cache: { max }` to the number of keys active within `ttlMs`; a cached key costs the bytes shown under Memory.',
    '- **Teams**: one `Map` get and one cached team per key, flat.',
    "- **Memory per rate-limited key**: besides the counters, `rateLimit` keeps each active key's policies for the month (counter keys, the `RateLimit-Policy` value) next to its cached context, so requests do not rebuild them: that memo is part of the figure under Memory, and goes with the context when the lookup cache drops the key.",
    "- **Limits per key**: linear in the number of limits, by design: each limit is one more counter in the single all-or-nothing `consume` and one more item in the `RateLimit` / `RateLimit-Policy` headers. The step at the third limit is the distinct-IP limit: its counter names the client's address (worked out from `req.ip`), so a key that has one gets its policies built on every request, where other keys reuse theirs for the whole month.",
    "- **Throughput against the micro figures**: a server pays far more per request than the hot loops of `bench/micro.ts` suggest (cold caches between requests, and Express itself): compare each row's server CPU with `noop`'s, not with `bare`'s. Part of it is fixed by the API: Express swaps every request's prototype, after which V8 builds a new hidden class for each property added to the request, and `req.apiKey` is one (keyward's own per-request state lives in a WeakMap for that reason).",
    '- **Hits in the sliding window**: flat. The per-minute window is exact: a ring buffer of admitted hits capped at the limit, so *memory* grows with the hits in the last minute (8 bytes each, up to the limit) while the cost of a check does not. On Redis the same window is a sorted set: `ZADD`/`ZREMRANGEBYSCORE` are O(log n) in the hits kept. A batch that happens to include a doubling of the ring buffer (a copy of every hit kept, megabytes at a million hits) or a major GC of a large heap shows up as an outlier point; the work per check is constant.',
    '',
  ];
}

export function reproduce(): string[] {
  return [
    '## Reproduce',
    '',
    '```sh',
    'redis-server --port 6379 --save "" &         # optional: the full-redis variant and Redis micro',
    'npm run bench -- --dist                      # throughput of the bundled build, ~3 min (flags: --rounds 5 --duration 3 --warmup 2 --connections 10 --only auth,full; without --dist: the sources via tsx)',
    'npm run bench -- --quick                     # smoke test: 2 rounds × 1 s (not part of npm test)',
    'npx tsx bench/micro.ts                       # hot paths (µs/op)',
    'npx tsx bench/scale.ts --max 1000000         # scale curves and memory (~1-2 min at 1M keys)',
    'npm run bench:guard                          # requestGuard detection, false positives, MB/s',
    'npm run bench -- --dist --write && npx tsx bench/micro.ts --write && npx tsx bench/scale.ts --write && npm run bench:guard -- --write',
    'npx tsx scripts/bench-report.ts              # regenerate this file from bench/results/*.json',
    '```',
    '',
    'Profile a variant under load: `BENCH_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=.tmp/prof" npm run bench -- --only auth` writes one `.cpuprofile` per server process (open it in Chrome DevTools).',
    '',
  ];
}
