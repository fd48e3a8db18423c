import express from 'express';
import { type Redis } from 'ioredis';
import request from 'supertest';
import {
  apiKeyAuth,
  KeyManager,
  MemoryKeyStore,
  notifyKeyChange,
  type KeyStore,
} from '../../src/index.js';
import { redisKeyInvalidation, type KeyInvalidationHandle } from '../../src/redis/index.js';
import { connect, describeWithRedis, testPrefix } from './support.js';

const TEAM = { id: 'team_acme', features: [], subscription: { status: 'active' as const } };

/** A second "instance" over the same data: another store object, as two processes on one database. */
function sameDatabase(store: MemoryKeyStore): KeyStore {
  return { findByHash: (h) => store.findByHash(h), findTeam: (t) => store.findTeam(t) };
}

function appOn(store: KeyStore) {
  let ran = 0;
  const app = express();
  app.use(apiKeyAuth(store, { bruteForce: false }));
  app.get('/', (_req, res) => {
    ran++;
    res.json({ ok: true });
  });
  return { app, ran: () => ran };
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`not within ${ms} ms`);
}

describe('redisKeyInvalidation options', () => {
  const store = new MemoryKeyStore();
  const client = {
    publish: () => Promise.resolve(0),
    subscribe: () => Promise.resolve(),
    unsubscribe: () => Promise.resolve(),
    on() {},
    off() {},
  } as never;
  it('refuses a missing store, a missing publisher, a shared subscriber and unknown options', async () => {
    await expect(
      redisKeyInvalidation({ publisher: client, subscriber: client } as never),
    ).rejects.toThrow('`store` must be the KeyStore');
    await expect(redisKeyInvalidation({ store, subscriber: client } as never)).rejects.toThrow(
      '`publisher` must be an ioredis client',
    );
    await expect(
      redisKeyInvalidation({ store, publisher: client, subscriber: client }),
    ).rejects.toThrow('`subscriber` must be a dedicated ioredis client');
    await expect(
      redisKeyInvalidation({ store, publisher: client, subscriber: client, chanel: 'x' } as never),
    ).rejects.toThrow('Did you mean to pass `channel`?');
  });
});

describeWithRedis('redisKeyInvalidation across instances', () => {
  let clients: Redis[];
  let handles: KeyInvalidationHandle[];
  let channel: string;
  const open = () => {
    const c = connect();
    clients.push(c);
    return c;
  };
  beforeEach(() => {
    clients = [];
    handles = [];
    channel = `${testPrefix()}changes`;
  });
  afterEach(async () => {
    await Promise.all(handles.map((h) => h.close()));
    await Promise.all(clients.map((c) => c.quit()));
  });

  async function twoInstances(invalidate: boolean) {
    const data = new MemoryKeyStore();
    await data.saveTeam(TEAM);
    const other = sameDatabase(data);
    const manager = new KeyManager(data);
    const { key, record } = await manager.create({
      teamId: TEAM.id,
      name: 'k',
      environment: 'production',
    });
    const a = appOn(data);
    const b = appOn(other);
    const published: string[] = [];
    if (invalidate) {
      handles.push(
        await redisKeyInvalidation({ store: data, publisher: open(), subscriber: open(), channel }),
      );
      handles.push(
        await redisKeyInvalidation({
          store: other,
          publisher: open(),
          subscriber: open(),
          channel,
        }),
      );
      const spy = open();
      spy.on('message', (_ch: string, m: string) => void published.push(m));
      await spy.subscribe(channel);
    }
    // Both instances have the key cached.
    expect((await request(a.app).get('/').set('x-api-key', key)).status).toBe(200);
    expect((await request(b.app).get('/').set('x-api-key', key)).status).toBe(200);
    return { manager, key, record, a, b, published };
  }

  it('control: without it, the other instance keeps serving a revoked key from its cache', async () => {
    const { manager, key, record, a, b } = await twoInstances(false);
    await manager.revoke(record.id);
    await new Promise((r) => setTimeout(r, 150));
    expect((await request(a.app).get('/').set('x-api-key', key)).status).toBe(401);
    expect((await request(b.app).get('/').set('x-api-key', key)).status).toBe(200);
  });

  it('a key revoked on one instance is refused on the other within 100 ms, with no echo and no secret', async () => {
    const { manager, key, record, b, published } = await twoInstances(true);
    const ranBefore = b.ran();
    await manager.revoke(record.id);
    const ms = await waitFor(
      async () => (await request(b.app).get('/').set('x-api-key', key)).status === 401,
      100,
    );
    expect(ms).toBeLessThan(100);
    expect(b.ran()).toBe(ranBefore);
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toHaveLength(1); // the receiving instance did not publish it back
    const message = JSON.parse(published[0] as string);
    expect(Object.keys(message).sort()).toEqual(['from', 'hashes', 'keyId', 'teamId', 'v']);
    expect(message).toMatchObject({ v: 1, keyId: record.id, teamId: TEAM.id });
    expect(message.hashes).toContain(record.hash);
    expect(published[0]).not.toContain(key);
    expect(published[0]).not.toContain(key.slice(8));
  });

  it('ignores its own messages and malformed ones', async () => {
    const data = new MemoryKeyStore();
    const seen: unknown[] = [];
    const { onKeyChange } = await import('../../src/index.js');
    onKeyChange(data, (c) => void seen.push(c));
    const handle = await redisKeyInvalidation({
      store: data,
      publisher: open(),
      subscriber: open(),
      channel,
    });
    handles.push(handle);
    const pub = open();
    for (const m of [
      'not json',
      'null',
      '{"v":2,"from":"x","keyId":"k"}',
      '{"v":1,"from":"x"}',
      `{"v":1,"from":"${handle.instanceId}","keyId":"k"}`,
      '{"v":1,"from":"x","hashes":[1]}',
    ]) {
      await pub.publish(channel, m);
    }
    await pub.publish(
      channel,
      '{"v":1,"from":"other","keyId":"key_1","teamId":"t","hashes":["ab"],"extra":"dropped"}',
    );
    await waitFor(() => Promise.resolve(seen.length > 0), 1000);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([{ keyId: 'key_1', teamId: 't', hashes: ['ab'] }]);
  });

  it('reports a failed publish and stops on close', async () => {
    const data = new MemoryKeyStore();
    const errors: unknown[] = [];
    const publisher = { publish: () => Promise.reject(new Error('down')) };
    const handle = await redisKeyInvalidation({
      store: data,
      publisher: publisher,
      subscriber: open(),
      channel,
      onError: (e) => void errors.push(e),
    });
    notifyKeyChange(data, { keyId: 'k' });
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    await handle.close();
    notifyKeyChange(data, { keyId: 'k' });
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
  });
});
