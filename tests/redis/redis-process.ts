import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A spare TCP port on loopback (bound, then released). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(300, () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(false));
    s.on('data', (d) => (s.destroy(), resolve(String(d).startsWith('+PONG'))));
    s.write('PING\r\n');
  });
}

/**
 * A redis-server of our own on a spare port (never the shared one), so tests can kill it
 * mid-load and start it again on the same port.
 */
export class RedisProcess {
  #child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const r = new RedisProcess(await sparePort());
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      {
        stdio: 'ignore',
      },
    );
    this.#child = child;
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with ${child.exitCode} on port ${this.port}`);
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  /** Kills the server abruptly (SIGKILL: no goodbye to clients) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
