/**
 * Tests keyward as users get it: the tsup build (ESM + CJS + .d.ts/.d.cts), resolved through
 * the package's `exports` map from a CommonJS and an ES module consumer, plus publint.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let fixture = '';

function node(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: fixture, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  execFileSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'pipe' });
  fixture = mkdtempSync(path.join(os.tmpdir(), 'keyward-consumer-'));
  mkdirSync(path.join(fixture, 'node_modules'));
  symlinkSync(root, path.join(fixture, 'node_modules', 'keyward'), 'dir');
}, 180_000);

afterAll(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

describe('the built package', () => {
  it('ships ESM, CJS and both kinds of declarations for every entry point', () => {
    for (const entry of ['index', 'redis', 'postgres', 'admin']) {
      for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts']) {
        expect(existsSync(path.join(root, 'dist', entry + ext))).toBe(true);
      }
    }
  });

  it('loads from CommonJS without loading pg or ioredis', () => {
    writeFileSync(
      path.join(fixture, 'cjs.cjs'),
      `
      const k = require('keyward');
      const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/(pg|ioredis)\\//.test(f));
      const admin = require('keyward/admin');
      console.log(JSON.stringify({ auth: typeof k.apiKeyAuth, manager: typeof k.KeyManager, err: new k.KeywardError('not_found').status, admin: typeof admin.keyAdmin, loaded }));
    `,
    );
    expect(JSON.parse(node('cjs.cjs'))).toEqual({
      auth: 'function',
      manager: 'function',
      err: 404,
      admin: 'function',
      loaded: [],
    });
  });

  it('loads every subpath from ES modules', () => {
    writeFileSync(
      path.join(fixture, 'esm.mjs'),
      `
      const core = await import('keyward');
      const redis = await import('keyward/redis');
      const postgres = await import('keyward/postgres');
      const admin = await import('keyward/admin');
      console.log(JSON.stringify([typeof core.apiKeyAuth, Object.keys(redis).length > 0, Object.keys(postgres).length > 0, typeof admin.keyAdmin]));
    `,
    );
    expect(JSON.parse(node('esm.mjs'))).toEqual(['function', true, true, 'function']);
  });

  it('ships the CLI as an executable ES module with a shebang', () => {
    const cli = readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('type-checks in a TypeScript consumer with module nodenext, from ESM and from CJS', () => {
    const consumer = `
      import { apiKeyAuth, KeyManager, MemoryKeyStore, MemoryCounterStore, rateLimit, KeywardError, type ApiKeyRecord } from 'keyward';
      import { keyAdmin, type KeyView } from 'keyward/admin';
      import { RedisCounterStore } from 'keyward/redis';
      import { PostgresKeyStore } from 'keyward/postgres';
      const store = new MemoryKeyStore();
      const counters = new MemoryCounterStore();
      export const chain = [apiKeyAuth(store, { counters }), rateLimit(counters), keyAdmin({ store, counters, authorize: () => true })];
      export const manager = new KeyManager(store);
      export const status: number = new KeywardError('not_found').status;
      export type Both = [ApiKeyRecord, KeyView, typeof RedisCounterStore, typeof PostgresKeyStore];
    `;
    writeFileSync(path.join(fixture, 'consumer.mts'), consumer);
    writeFileSync(path.join(fixture, 'consumer.cts'), consumer);
    writeFileSync(
      path.join(fixture, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [path.join(root, 'node_modules', '@types')],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = spawnSync(process.execPath, [tsc, '-p', fixture], { encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it('resolves types for node16 (ESM and CJS) and bundlers (are-the-types-wrong)', () => {
    const out = spawnSync(
      'npx',
      ['attw', '--pack', '.', '--profile', 'node16', '--format', 'json'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.status).toBe(0);
    // node10 (`moduleResolution: "node"`, deprecated in TS 6) cannot see `exports` subpaths.
    const report = JSON.parse(out.stdout) as {
      analysis: { problems: { resolutionKind?: string }[] };
    };
    expect(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10')).toEqual([]);
    expect(report.analysis.problems.length).toBeLessThanOrEqual(3);
  });

  it('passes publint', () => {
    const out = execFileSync('npx', ['publint', '--strict'], { cwd: root, encoding: 'utf8' });
    expect(out).not.toMatch(/error|warning/i);
  });
});
