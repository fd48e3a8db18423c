import { createHash, createHmac } from 'node:crypto';
import { digestKey } from '../../src/keys/digest.js';
import { generateKey, parseKey } from '../../src/keys/format.js';
import { KeyManager, MemoryKeyStore, keyDisplayStatus } from '../../src/index.js';
import { fakeClock } from '../helpers/clock.js';

describe('key format', () => {
  it.each([
    ['production', 'live'],
    ['staging', 'stg'],
    ['development', 'dev'],
  ] as const)('%s keys look like <prefix>_%s_<22 random><6 checksum>', (env, tag) => {
    const { key, displayPrefix } = generateKey('kw', env);
    expect(key).toMatch(new RegExp(`^kw_${tag}_[0-9A-Za-z]{28}$`));
    expect(displayPrefix).toBe(key.slice(0, `kw_${tag}_`.length + 4));
    expect(parseKey(key, 'kw')).toEqual({ prefix: 'kw', environment: env });
  });

  it('rejects every single-character typo through the checksum', () => {
    const { key } = generateKey('kw', 'production');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let accepted = 0;
    for (let i = 'kw_live_'.length; i < key.length; i++) {
      for (const c of alphabet) {
        if (c === key[i]) continue;
        if (parseKey(key.slice(0, i) + c + key.slice(i + 1), 'kw')) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it('rejects another prefix, an unknown env tag, wrong lengths and hostile input', () => {
    const { key } = generateKey('tic', 'production');
    expect(parseKey(key, 'tic')).not.toBeNull();
    expect(parseKey(key, 'kw')).toBeNull();
    expect(parseKey(key.replace('_live_', '_prod_'), 'tic')).toBeNull();
    expect(parseKey(key + 'A', 'tic')).toBeNull();
    expect(parseKey(key.slice(0, -1), 'tic')).toBeNull();
    expect(parseKey('x'.repeat(1_000_000), 'tic')).toBeNull();
    expect(parseKey('', 'tic')).toBeNull();
  });

  it('keys are unique and carry 128 random bits', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateKey('kw', 'production').key));
    expect(seen.size).toBe(2000);
  });

  it('digests are lowercase hex SHA-256, or HMAC-SHA-256 with a pepper', () => {
    const key = 'kw_live_abc';
    expect(digestKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(digestKey(key, 'pepper-pepper-pepper')).toBe(
      createHmac('sha256', 'pepper-pepper-pepper').update(key).digest('hex'),
    );
  });
});

describe('KeyManager', () => {
  it('create returns the plaintext once and stores only its digest', async () => {
    const store = new MemoryKeyStore();
    const manager = new KeyManager(store, { prefix: 'tic' });
    const { key, record } = await manager.create({
      teamId: 't1',
      name: ' CI ',
      environment: 'staging',
      scopes: 'a:read, b:*,a:read',
    });
    expect(key.startsWith('tic_stg_')).toBe(true);
    expect(record).toMatchObject({
      name: 'CI',
      teamId: 't1',
      environment: 'staging',
      scopes: ['a:read', 'b:*'],
      status: 'active',
    });
    expect(record.hash).toBe(digestKey(key));
    expect(record.prefix).toBe(key.slice(0, 12));
    const stored = await store.getKey(record.id);
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key.slice(12));
  });

  it('validates input with bad_request errors that name the field', async () => {
    const manager = new KeyManager(new MemoryKeyStore());
    await expect(
      manager.create({ teamId: 't', name: '', environment: 'production' }),
    ).rejects.toMatchObject({ code: 'bad_request', extensions: { field: 'name' } });
    await expect(
      manager.create({ teamId: 't', name: 'n', environment: 'prod' as never }),
    ).rejects.toMatchObject({ code: 'bad_request', extensions: { field: 'environment' } });
    await expect(
      manager.create({ teamId: 't', name: 'n', environment: 'production', scopes: ['bad scope'] }),
    ).rejects.toMatchObject({ extensions: { field: 'scopes' } });
    await expect(
      manager.create({
        teamId: 't',
        name: 'n',
        environment: 'production',
        limits: { perMinute: -1 },
      }),
    ).rejects.toMatchObject({ extensions: { field: 'limits.perMinute' } });
    await expect(manager.revoke('key_missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists newest first with filters', async () => {
    const manager = new KeyManager(new MemoryKeyStore());
    const a = await manager.create({ teamId: 't1', name: 'a', environment: 'production' });
    const b = await manager.create({ teamId: 't1', name: 'b', environment: 'staging' });
    await manager.create({ teamId: 't2', name: 'c', environment: 'production' });
    expect((await manager.list({ teamId: 't1' })).map((r) => r.name)).toEqual(['b', 'a']);
    expect(
      (await manager.list({ teamId: 't1', environment: 'production' })).map((r) => r.id),
    ).toEqual([a.record.id]);
    expect((await manager.list({ before: b.record.id })).map((r) => r.id)).toEqual([a.record.id]);
    expect(await manager.get('nope')).toBeNull();
  });

  it('derives the display status', () => {
    const clock = fakeClock();
    const now = clock.now();
    expect(keyDisplayStatus({ status: 'revoked', validUntil: null }, now)).toBe('Inactive');
    expect(keyDisplayStatus({ status: 'active', validUntil: new Date(now) }, now)).toBe('Expired');
    expect(keyDisplayStatus({ status: 'active', validUntil: new Date(now + 1) }, now)).toBe(
      'Active',
    );
  });

  it('emits lifecycle events without secrets', async () => {
    const events: unknown[] = [];
    const manager = new KeyManager(new MemoryKeyStore(), { onEvent: (e) => void events.push(e) });
    const { key, record } = await manager.create({
      teamId: 't1',
      name: 'a',
      environment: 'production',
    });
    const rotated = await manager.rotate(record.id);
    const regenerated = await manager.regenerate(record.id);
    await manager.revoke(record.id);
    await manager.restore(record.id);
    await manager.block(record.id, new Date(Date.now() + 1000));
    await manager.unblock(record.id);
    expect(events.map((e) => (e as { type: string }).type)).toEqual([
      'key.created',
      'key.rotated',
      'key.regenerated',
      'key.revoked',
      'key.restored',
      'key.blocked',
      'key.unblocked',
    ]);
    const text = JSON.stringify(events);
    for (const secret of [key, rotated.key, regenerated.key]) expect(text).not.toContain(secret);
  });
});
