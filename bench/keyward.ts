/**
 * The keyward under test in the throughput servers: the TypeScript sources through tsx, or —
 * with `BENCH_KEYWARD=dist` (`npm run bench -- --dist`) — a bundle built the way the published
 * package is (esbuild via tsup: ESM, node20, names not kept), so the figures reflect what
 * users install rather than tsx's `__name()` wrappers around every closure.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as KeywardModule from '../src/index.js';
import type * as KeywardRedisModule from '../src/redis/index.js';
import { ROOT } from './stats.js';

type Keyward = typeof KeywardModule;
type KeywardRedis = typeof KeywardRedisModule;

/** Where `buildDist` writes the bundle (git-ignored). */
export const DIST = path.join(ROOT, '.tmp', 'bench-dist');

/** Bundles src/index.ts and src/redis/index.ts into {@link DIST}; shared code in one chunk. */
export async function buildDist(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'src/index.ts', redis: 'src/redis/index.ts' },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

const fromDist = process.env.BENCH_KEYWARD === 'dist';
const entry = (name: string, source: string): string =>
  fromDist ? pathToFileURL(path.join(DIST, `${name}.js`)).href : source;

/** Which build the servers load, for the report. */
export const KEYWARD_BUILD = fromDist ? 'dist' : 'src';

export function loadKeyward(): Promise<Keyward> {
  return import(entry('index', '../src/index.js')) as Promise<Keyward>;
}

export function loadKeywardRedis(): Promise<KeywardRedis> {
  return import(entry('redis', '../src/redis/index.js')) as Promise<KeywardRedis>;
}
