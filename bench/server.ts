/**
 * One benchmark server: `node --import tsx bench/server.ts <variant>`, started by bench/run.ts
 * with an IPC channel. Seeds a team and a key with `KeyManager` (limits high enough that the
 * bench is never refused), listens on 127.0.0.1 on an ephemeral port and sends
 * `{ ready, port, key }` — or `{ unavailable, reason }` when the variant cannot run yet.
 * Answers `{ stats: true }` with the handler and Redis command counts so far.
 */
import type { AddressInfo } from 'node:net';
import { loadKeyward } from './keyward.js';
import { Unavailable, buildVariant } from './variants.js';

const { KeyManager, MemoryKeyStore } = await loadKeyward();

const name = process.argv[2] ?? 'bare';
const send = (message: object): void => {
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
};

const keys = new MemoryKeyStore();
await keys.saveTeam({
  id: 'team_bench',
  plan: 'pro',
  features: ['pro'],
  subscription: { status: 'active' },
});
const { key } = await new KeyManager(keys).create({
  teamId: 'team_bench',
  name: 'bench',
  environment: 'production',
  scopes: ['*'],
  limits: { perMinute: 1_000_000_000, monthly: 1_000_000_000_000 },
});

try {
  const variant = await buildVariant(name, keys, key);
  const server = variant.app.listen(0, '127.0.0.1', () => {
    send({ ready: true, port: (server.address() as AddressInfo).port, key });
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (message: { stats?: boolean; stop?: boolean }) => {
    if (message.stats) send({ stats: variant.stats() });
    if (message.stop) {
      server.close();
      server.closeAllConnections();
      void variant.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
} catch (err) {
  if (!(err instanceof Unavailable)) throw err;
  send({ unavailable: true, reason: err.message });
  process.exit(0);
}
