/** Starts bench/server.ts child processes and talks to them over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { ROOT } from './stats.js';
import type { VariantStats } from './variants.js';

export interface Server {
  name: string;
  port: number;
  key: string;
  child: ChildProcess;
  stats(): Promise<VariantStats>;
  stop(): Promise<void>;
}

interface Message {
  ready?: boolean;
  port?: number;
  key?: string;
  unavailable?: boolean;
  reason?: string;
  stats?: VariantStats;
}

/**
 * Forks one server for `name`. `BENCH_NODE_OPTIONS` adds node flags to the child (e.g.
 * `--cpu-prof --cpu-prof-dir=.tmp/prof` to profile every variant under load).
 */
export function startServer(name: string): Promise<Server | { name: string; reason: string }> {
  const execArgv = [
    '--import',
    'tsx',
    ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
  ];
  const child = fork('bench/server.ts', [name], {
    cwd: ROOT,
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve({ name, reason: 'did not start within 30 s' });
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = stderr
        .split('\n')
        .find((l) => /Error/.test(l))
        ?.trim();
      resolve({ name, reason: `exited with code ${code}${line ? `: ${line}` : ''}` });
    });
    child.once('message', (m: Message) => {
      clearTimeout(timer);
      if (m.unavailable) return resolve({ name, reason: m.reason ?? 'unavailable' });
      resolve({
        name,
        port: m.port as number,
        key: m.key as string,
        child,
        stats: () =>
          new Promise((ok) => {
            child.once('message', (r: Message) =>
              ok(r.stats ?? { handled: 0, redisCommands: 0, cpuMicros: 0 }),
            );
            child.send({ stats: true });
          }),
        stop: () =>
          new Promise((ok) => {
            child.once('exit', () => ok());
            child.send({ stop: true });
          }),
      });
    });
  });
}
