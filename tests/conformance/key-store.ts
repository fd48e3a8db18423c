import express from 'express';
import request from 'supertest';
import {
  apiKeyAuth,
  KeyManager,
  onKeyChange,
  problemHandler,
  type ApiKeyRecord,
  type KeyAdminStore,
  type KeyChange,
  type Team,
} from '../../src/index.js';
import { digestKey } from '../../src/keys/digest.js';
import { fakeClock } from '../helpers/clock.js';

/** What a runner hands the suite for each test: a fresh, empty store. */
export interface KeyStoreHarness {
  store: KeyAdminStore;
  /** Writes buffered `touch` updates (stores that batch them). */
  flush?: () => Promise<void>;
  /** Releases what the harness opened and deletes what the store wrote. */
  close: () => Promise<void>;
}

const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
const hex = (n: number) => n.toString(16).padStart(64, '0');

/** A complete record: every optional field set, so a round trip checks each column. */
function fullRecord(n: number, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_${n}`,
    hash: hex(n),
    prefix: `kw_live_${n}`,
    name: `Key ${n} — "quoted" 'name'; DROP TABLE x; --`,
    teamId: 'team_a',
    environment: 'production',
    scopes: ['companies:read', 'licenses:*'],
    customerId: 'cus_1',
    status: 'active',
    validUntil: new Date(T0 + 30 * 24 * HOUR),
    blockedUntil: new Date(T0 + HOUR),
    limits: { perMinute: 100, monthly: Infinity, ipsPerMonth: 3 },
    createdAt: new Date(T0 + n),
    lastUsedAt: new Date(T0 - HOUR),
    lastUsedIp: '2001:db8::1',
    previous: { hash: hex(1_000_000 + n), expiresAt: new Date(T0 + 24 * HOUR) },
    metadata: { owner: 'ops', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null } },
    ...overrides,
  };
}

/** A record as `KeyManager` creates it: nullable fields null, optional ones absent. */
function plainRecord(n: number, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_${n}`,
    hash: hex(n),
    prefix: `kw_live_${n}`,
    name: `Key ${n}`,
    teamId: 'team_a',
    environment: 'production',
    scopes: [],
    customerId: null,
    status: 'active',
    validUntil: null,
    blockedUntil: null,
    createdAt: new Date(T0 + n),
    lastUsedAt: null,
    lastUsedIp: null,
    previous: null,
    ...overrides,
  };
}

const ids = (records: ApiKeyRecord[]) => records.map((r) => r.id);

/**
 * The `KeyStore` / `KeyAdminStore` contract (src/stores/key-store.ts), run against every
 * implementation, with `KeyManager` and `apiKeyAuth` on top.
 */
export function keyStoreConformance(name: string, factory: () => Promise<KeyStoreHarness>): void {
  describe(`${name}: KeyStore conformance`, () => {
    let h: KeyStoreHarness;
    let store: KeyAdminStore;
    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('records', () => {
      it('round-trips every field through insertKey, getKey and findByHash (current and previous digest)', async () => {
        const record = fullRecord(1);
        await store.insertKey(record);
        expect(await store.getKey('key_1')).toEqual(record);
        expect(await store.findByHash(hex(1))).toEqual(record);
        expect(await store.findByHash(hex(1_000_001))).toEqual(record);
        const plain = plainRecord(2);
        await store.insertKey(plain);
        expect(await store.getKey('key_2')).toEqual(plain);
      });

      it('answers null for misses and never throws for them', async () => {
        await store.insertKey(plainRecord(1));
        expect(await store.findByHash(hex(9))).toBeNull();
        expect(await store.getKey('key_9')).toBeNull();
        expect(await store.updateKey('key_9', { name: 'x' })).toBeNull();
        expect(await store.findTeam('team_none')).toBeNull();
      });

      it('rejects a duplicate id or digest and keeps the original', async () => {
        await store.insertKey(plainRecord(1));
        await expect(store.insertKey(plainRecord(1, { hash: hex(2) }))).rejects.toThrow(Error);
        await expect(store.insertKey(plainRecord(3, { hash: hex(1) }))).rejects.toThrow(Error);
        expect(await store.getKey('key_3')).toBeNull();
        expect(await store.findByHash(hex(2))).toBeNull();
        expect((await store.findByHash(hex(1)))?.id).toBe('key_1');
      });

      it('updateKey applies the patch, keeps other fields and re-indexes digests', async () => {
        const original = fullRecord(1);
        await store.insertKey(original);
        const updated = await store.updateKey('key_1', {
          hash: hex(5),
          previous: null,
          name: 'Renamed',
          scopes: ['*'],
          limits: {},
          blockedUntil: null,
        });
        const expected = {
          ...original,
          hash: hex(5),
          previous: null,
          name: 'Renamed',
          scopes: ['*'],
          limits: {},
          blockedUntil: null,
        };
        expect(updated).toEqual(expected);
        expect(await store.getKey('key_1')).toEqual(expected);
        expect(await store.findByHash(hex(1))).toBeNull();
        expect(await store.findByHash(hex(1_000_001))).toBeNull();
        expect((await store.findByHash(hex(5)))?.id).toBe('key_1');
        const rotated = await store.updateKey('key_1', {
          hash: hex(6),
          previous: { hash: hex(5), expiresAt: new Date(T0 + HOUR) },
        });
        expect(rotated?.previous).toEqual({ hash: hex(5), expiresAt: new Date(T0 + HOUR) });
        expect((await store.findByHash(hex(5)))?.hash).toBe(hex(6));
        expect((await store.findByHash(hex(6)))?.id).toBe('key_1');
      });

      it('hands out copies: mutating a returned record changes nothing stored', async () => {
        await store.insertKey(fullRecord(1));
        const got = (await store.getKey('key_1')) as ApiKeyRecord;
        got.scopes.push('admin');
        got.createdAt.setTime(0);
        (got.limits as { perMinute?: number }).perMinute = 1;
        expect(await store.getKey('key_1')).toEqual(fullRecord(1));
      });
    });

    describe('listKeys', () => {
      async function seed(): Promise<void> {
        // Inserted out of creation order: listing follows createdAt, newest first.
        const specs: [number, Partial<ApiKeyRecord>][] = [
          [3, { teamId: 'team_a', environment: 'production' }],
          [1, { teamId: 'team_a', environment: 'staging' }],
          [2, { teamId: 'team_b', environment: 'production', status: 'revoked' }],
          [5, { teamId: 'team_a', environment: 'production', status: 'revoked' }],
          [4, { teamId: 'team_b', environment: 'development' }],
        ];
        for (const [n, o] of specs) await store.insertKey(plainRecord(n, o));
      }

      it('lists newest first, revoked keys included, with filters', async () => {
        await seed();
        expect(ids(await store.listKeys())).toEqual(['key_5', 'key_4', 'key_3', 'key_2', 'key_1']);
        expect(ids(await store.listKeys({ teamId: 'team_a' }))).toEqual([
          'key_5',
          'key_3',
          'key_1',
        ]);
        expect(ids(await store.listKeys({ environment: 'production' }))).toEqual([
          'key_5',
          'key_3',
          'key_2',
        ]);
        expect(ids(await store.listKeys({ status: 'revoked' }))).toEqual(['key_5', 'key_2']);
        expect(ids(await store.listKeys({ teamId: 'team_b', status: 'active' }))).toEqual([
          'key_4',
        ]);
        expect(await store.listKeys({ teamId: 'team_none' })).toEqual([]);
      });

      it('pages with limit and keyset `before`, each key once', async () => {
        await seed();
        expect(ids(await store.listKeys({ limit: 2 }))).toEqual(['key_5', 'key_4']);
        expect(ids(await store.listKeys({ limit: 2, before: 'key_4' }))).toEqual([
          'key_3',
          'key_2',
        ]);
        expect(ids(await store.listKeys({ limit: 2, before: 'key_2' }))).toEqual(['key_1']);
        expect(ids(await store.listKeys({ before: 'key_1' }))).toEqual([]);
        expect(ids(await store.listKeys({ teamId: 'team_a', before: 'key_5' }))).toEqual([
          'key_3',
          'key_1',
        ]);
        expect(await store.listKeys({ before: 'key_unknown' })).toEqual([]);
        expect(await store.listKeys({ limit: 0 })).toEqual([]);
      });

      it('orders keys created in the same millisecond by insertion, newest first', async () => {
        for (const n of [1, 2, 3])
          await store.insertKey(plainRecord(n, { createdAt: new Date(T0) }));
        expect(ids(await store.listKeys())).toEqual(['key_3', 'key_2', 'key_1']);
        expect(ids(await store.listKeys({ before: 'key_3', limit: 1 }))).toEqual(['key_2']);
      });

      it('returns at most 100 records by default', async () => {
        for (let n = 1; n <= 101; n++) await store.insertKey(plainRecord(n));
        const page = await store.listKeys();
        expect(page).toHaveLength(100);
        expect(page[0]?.id).toBe('key_101');
      });
    });

    describe('teams', () => {
      const pro: Team = {
        id: 'team_a',
        plan: 'pro',
        features: ['pro', 'enterprise'],
        subscription: { status: 'active', expiresAt: new Date(T0 + 24 * HOUR) },
        limits: { perMinute: Infinity, monthly: 10_000 },
      };

      it('round-trips teams with dates, null and canceled subscriptions', async () => {
        const none: Team = { id: 'team_b', features: [], subscription: null };
        const canceled: Team = {
          id: "team_'c",
          plan: 'free',
          features: ['free'],
          subscription: { status: 'canceled', expiresAt: null },
        };
        for (const team of [pro, none, canceled]) await store.saveTeam(team);
        expect(await store.findTeam('team_a')).toEqual(pro);
        expect(await store.findTeam('team_b')).toEqual(none);
        expect(await store.findTeam("team_'c")).toEqual(canceled);
        const listed = (await store.listTeams?.()) ?? [];
        expect(listed.map((t) => t.id).sort()).toEqual(['team_a', 'team_b', "team_'c"].sort());
      });

      it('saveTeam replaces the whole team and tells change listeners', async () => {
        const changes: KeyChange[] = [];
        const off = onKeyChange(store, (c) => void changes.push(c));
        await store.saveTeam(pro);
        await store.saveTeam({ id: 'team_a', features: ['free'], subscription: null });
        off();
        const team = await store.findTeam('team_a');
        expect(team).toEqual({ id: 'team_a', features: ['free'], subscription: null });
        expect(team?.plan).toBeUndefined();
        expect(team?.limits).toBeUndefined();
        expect(changes).toEqual([{ teamId: 'team_a' }, { teamId: 'team_a' }]);
      });
    });

    describe('touch', () => {
      it('records last use of a known key and ignores an unknown one', async () => {
        await store.insertKey(plainRecord(1));
        await store.touch?.('key_1', new Date(T0 + 5_000), '192.0.2.7');
        await store.touch?.('key_unknown', new Date(T0), '192.0.2.8');
        await h.flush?.();
        expect(await store.getKey('key_1')).toMatchObject({
          lastUsedAt: new Date(T0 + 5_000),
          lastUsedIp: '192.0.2.7',
        });
        expect(await store.getKey('key_unknown')).toBeNull();
      });
    });

    describe('KeyManager on top', () => {
      const clock = fakeClock(T0);
      const managerOf = () => new KeyManager(store, { clock, pepper: 'a-pepper-of-16-bytes!' });
      const digest = (key: string) => digestKey(key, 'a-pepper-of-16-bytes!');
      const input = {
        teamId: 'team_a',
        name: 'CI',
        environment: 'production' as const,
        scopes: 'companies:read, licenses:*',
      };

      it('create → found by the digest of the secret, never the secret itself', async () => {
        const manager = managerOf();
        const { key, record } = await manager.create({
          ...input,
          limits: { perMinute: 60 },
          validUntil: '2027-01-01T00:00:00Z',
          customerId: 'cus_9',
        });
        expect(await store.findByHash(digest(key))).toEqual(record);
        expect(await manager.get(record.id)).toEqual(record);
        expect(JSON.stringify(await store.listKeys())).not.toContain(key);
        expect(record).toMatchObject({
          scopes: ['companies:read', 'licenses:*'],
          limits: { perMinute: 60 },
          validUntil: new Date('2027-01-01T00:00:00Z'),
        });
      });

      it('rotate → both secrets found during the grace period; regenerate → old ones gone at once', async () => {
        const manager = managerOf();
        const first = await manager.create(input);
        const second = await manager.rotate(first.record.id, { graceMs: HOUR });
        expect(second.record.previous).toEqual({
          hash: digest(first.key),
          expiresAt: new Date(T0 + HOUR),
        });
        expect((await store.findByHash(digest(first.key)))?.hash).toBe(digest(second.key));
        expect((await store.findByHash(digest(second.key)))?.id).toBe(first.record.id);
        const third = await manager.regenerate(first.record.id);
        expect(await store.findByHash(digest(first.key))).toBeNull();
        expect(await store.findByHash(digest(second.key))).toBeNull();
        expect(await store.findByHash(digest(third.key))).toMatchObject({
          id: first.record.id,
          name: 'CI',
          previous: null,
        });
      });

      it('revoke keeps the key (history), restore, block and unblock', async () => {
        const manager = managerOf();
        const { key, record } = await manager.create(input);
        await manager.revoke(record.id);
        expect(await store.findByHash(digest(key))).toMatchObject({
          id: record.id,
          status: 'revoked',
        });
        expect(ids(await manager.list({ status: 'revoked' }))).toEqual([record.id]);
        expect((await manager.restore(record.id)).status).toBe('active');
        const until = new Date(T0 + 2 * HOUR);
        expect((await manager.block(record.id, until)).blockedUntil).toEqual(until);
        expect((await store.getKey(record.id))?.blockedUntil).toEqual(until);
        expect((await manager.unblock(record.id)).blockedUntil).toBeNull();
        await expect(manager.revoke('key_unknown')).rejects.toMatchObject({ code: 'not_found' });
      });

      it('apiKeyAuth on the store: rotation grace, then revoke refused at once', async () => {
        await store.saveTeam({
          id: 'team_a',
          plan: 'pro',
          features: ['pro'],
          subscription: { status: 'active', expiresAt: null },
        });
        const manager = managerOf();
        const app = express();
        const handled: string[] = [];
        app.use(apiKeyAuth(store, { clock, pepper: 'a-pepper-of-16-bytes!', bruteForce: false }));
        app.get('/me', (req, res) => (handled.push('me'), void res.json(req.apiKey)));
        app.use(problemHandler());
        const { key, record } = await manager.create(input);
        const me = await request(app).get('/me').set('x-api-key', key).expect(200);
        expect(me.body).toMatchObject({
          keyId: record.id,
          teamId: 'team_a',
          features: ['pro'],
          plan: 'pro',
        });
        const rotated = await manager.rotate(record.id, { graceMs: HOUR });
        await request(app).get('/me').set('x-api-key', key).expect(200);
        await request(app).get('/me').set('x-api-key', rotated.key).expect(200);
        await manager.revoke(record.id);
        const refused = await request(app).get('/me').set('x-api-key', rotated.key).expect(401);
        expect(refused.body.code).toBe('invalid_api_key');
        expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(handled).toEqual(['me', 'me', 'me']);
      });
    });
  });
}
