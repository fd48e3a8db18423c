import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server, to simulate it dying or hanging without touching the
 * shared service: `cut()` stops listening and destroys every connection; `hang()` keeps
 * connections open but forwards nothing (new ones included); `start()` brings it back.
 */
export class TcpProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #port = 0;
  #hanging = false;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.#port;
  }

  /** Listens (on the same port as before after a `cut()`); resolves with the port. */
  async start(): Promise<number> {
    this.#hanging = false;
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    return this.#port;
  }

  /** Stops listening and destroys every open connection, as a crashed server would. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps every connection open but forwards nothing, as a hung server would. */
  hang(): void {
    this.#hanging = true;
    for (const socket of this.#sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  #accept(client: Socket): void {
    this.#sockets.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => this.#sockets.delete(client));
    if (this.#hanging) return;
    const upstream = connect(this.targetPort, this.host);
    this.#sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => (this.#sockets.delete(upstream), client.destroy()));
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
