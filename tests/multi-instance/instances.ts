import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A running app instance (a child process) and its base URL. */
export interface Instance {
  url: string;
  child: ChildProcess;
}

const SERVER = path.join(__dirname, 'server.ts');

/** Starts `server.ts` in a child process with `env` and waits for its port. */
export function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`instance did not start in 20 s: ${err}`)),
      20_000,
    );
    child.stderr?.on('data', (d: Buffer) => (err += String(d)));
    child.stdout?.on('data', (d: Buffer) => {
      out += String(d);
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}`, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}: ${err}`));
    });
  });
}

export async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGKILL');
  await exited;
}
