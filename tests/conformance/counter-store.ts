import type { CounterSpec, CounterStore, FailurePolicy } from '../../src/index.js';

/** What a runner hands the suite for each test: a fresh, empty store. */
export interface CounterStoreHarness {
  store: CounterStore;
  /** Keys the store wrote without an expiry (stores with inspectable keys, e.g. Redis). */
  keysWithoutTtl?: () => Promise<string[]>;
  /** Releases what the harness opened and deletes what the store wrote. */
  close: () => Promise<void>;
}

const T0 = Date.parse('2026-03-10T12:00:00.000Z');
const MINUTE = 60_000;
const MARCH_END = Date.parse('2026-04-01T00:00:00.000Z');
const APRIL_END = Date.parse('2026-05-01T00:00:00.000Z');

const minute = (key = 'rl:key:k1:minute', limit = 3): CounterSpec => ({
  kind: 'sliding',
  key,
  limit,
  windowMs: MINUTE,
});
const month = (key = 'rl:key:k1:month:2026-03', limit = 2, resetAt = MARCH_END): CounterSpec => ({
  kind: 'fixed',
  key,
  limit,
  resetAt,
});
const ips = (member: string, limit = 2, key = 'rl:key:k1:ips:2026-03'): CounterSpec => ({
  kind: 'distinct',
  key,
  limit,
  member,
  resetAt: MARCH_END,
});
const POLICY: FailurePolicy = { maxFailures: 3, windowMs: MINUTE, blockMs: 2 * MINUTE };

/**
 * The `CounterStore` contract (src/stores/counter-store.ts), run against every implementation:
 * each test gets a fresh store from `factory` and drives time by hand.
 */
export function counterStoreConformance(
  name: string,
  factory: () => Promise<CounterStoreHarness>,
): void {
  describe(`CounterStore conformance: ${name}`, () => {
    let h: CounterStoreHarness;
    let store: CounterStore;
    beforeEach(async () => {
      h = await factory();
      store = h.store;
      await store.init?.();
    });
    afterEach(async () => {
      await store.close?.();
      await h.close();
    });

    describe('sliding windows', () => {
      it('admits `limit` hits, then refuses, reporting used / remaining / resetAt', async () => {
        const results = [];
        for (const t of [0, 10, 20, 30]) results.push(await store.consume([minute()], T0 + t));
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
        expect(results.map((r) => r.counters[0])).toEqual([
          {
            key: 'rl:key:k1:minute',
            kind: 'sliding',
            allowed: true,
            limit: 3,
            used: 1,
            remaining: 2,
            resetAt: T0 + MINUTE,
          },
          {
            key: 'rl:key:k1:minute',
            kind: 'sliding',
            allowed: true,
            limit: 3,
            used: 2,
            remaining: 1,
            resetAt: T0 + MINUTE,
          },
          {
            key: 'rl:key:k1:minute',
            kind: 'sliding',
            allowed: true,
            limit: 3,
            used: 3,
            remaining: 0,
            resetAt: T0 + MINUTE,
          },
          {
            key: 'rl:key:k1:minute',
            kind: 'sliding',
            allowed: false,
            limit: 3,
            used: 3,
            remaining: 0,
            resetAt: T0 + MINUTE,
          },
        ]);
      });

      it('is half-open: the window at t is (t − windowMs, t]', async () => {
        for (const t of [0, 10, 20]) await store.consume([minute()], T0 + t);
        expect((await store.consume([minute()], T0 + MINUTE - 1)).allowed).toBe(false);
        const at = await store.consume([minute()], T0 + MINUTE);
        expect(at.allowed).toBe(true);
        // Hits at T0+10, T0+20 and T0+60000 remain; the oldest leaves at T0+10+60000.
        expect(at.counters[0]).toMatchObject({ used: 3, remaining: 0, resetAt: T0 + 10 + MINUTE });
      });

      it('allows no burst of 2N across a window boundary', async () => {
        let admitted = 0;
        for (let t = MINUTE - 3; t < MINUTE + 3; t++)
          if ((await store.consume([minute()], T0 + t)).allowed) admitted++;
        expect(admitted).toBe(3);
      });

      it('records nothing for a refused call', async () => {
        const spec = minute(undefined, 2);
        await store.consume([spec], T0);
        await store.consume([spec], T0 + 1000);
        for (let i = 0; i < 5; i++)
          expect((await store.consume([spec], T0 + 2000 + i)).allowed).toBe(false);
        const next = await store.consume([spec], T0 + MINUTE);
        expect(next.counters[0]).toMatchObject({
          allowed: true,
          used: 2,
          resetAt: T0 + 1000 + MINUTE,
        });
      });

      it('reports an empty window as resetting one window from now', async () => {
        const [c] = await store.peek([minute()], T0);
        expect(c).toEqual({
          key: 'rl:key:k1:minute',
          kind: 'sliding',
          allowed: true,
          limit: 3,
          used: 0,
          remaining: 3,
          resetAt: T0 + MINUTE,
        });
      });

      it('keeps counters of different keys apart', async () => {
        for (let i = 0; i < 3; i++) await store.consume([minute('a')], T0);
        expect((await store.consume([minute('a')], T0)).allowed).toBe(false);
        expect((await store.consume([minute('b')], T0)).counters[0]).toMatchObject({
          allowed: true,
          used: 1,
        });
      });
    });

    describe('fixed (calendar) windows', () => {
      it('counts until resetAt and reports the window end', async () => {
        const r = [];
        for (let i = 0; i < 3; i++) r.push(await store.consume([month()], T0 + i));
        expect(r.map((x) => x.counters[0])).toEqual([
          {
            key: 'rl:key:k1:month:2026-03',
            kind: 'fixed',
            allowed: true,
            limit: 2,
            used: 1,
            remaining: 1,
            resetAt: MARCH_END,
          },
          {
            key: 'rl:key:k1:month:2026-03',
            kind: 'fixed',
            allowed: true,
            limit: 2,
            used: 2,
            remaining: 0,
            resetAt: MARCH_END,
          },
          {
            key: 'rl:key:k1:month:2026-03',
            kind: 'fixed',
            allowed: false,
            limit: 2,
            used: 2,
            remaining: 0,
            resetAt: MARCH_END,
          },
        ]);
      });

      it('rolls over to a new month through the key, and forgets the old window after resetAt', async () => {
        await store.consume([month()], T0);
        await store.consume([month()], T0);
        expect((await store.peek([month()], MARCH_END - 1))[0]).toMatchObject({
          allowed: false,
          used: 2,
        });
        const april = month('rl:key:k1:month:2026-04', 2, APRIL_END);
        expect((await store.consume([april], MARCH_END)).counters[0]).toMatchObject({
          allowed: true,
          used: 1,
          resetAt: APRIL_END,
        });
        expect((await store.peek([month()], MARCH_END))[0]).toMatchObject({
          allowed: true,
          used: 0,
        });
      });
    });

    describe('distinct members', () => {
      it('admits new members while there is room; known ones always pass and consume nothing', async () => {
        expect((await store.consume([ips('1.1.1.1')], T0)).counters[0]).toMatchObject({
          allowed: true,
          used: 1,
          remaining: 1,
        });
        expect((await store.consume([ips('2.2.2.2')], T0)).counters[0]).toMatchObject({
          allowed: true,
          used: 2,
          remaining: 0,
        });
        const refused = await store.consume([ips('3.3.3.3')], T0);
        expect(refused.allowed).toBe(false);
        expect(refused.counters[0]).toEqual({
          key: 'rl:key:k1:ips:2026-03',
          kind: 'distinct',
          allowed: false,
          limit: 2,
          used: 2,
          remaining: 0,
          resetAt: MARCH_END,
        });
        for (const ip of ['1.1.1.1', '2.2.2.2', '1.1.1.1']) {
          expect((await store.consume([ips(ip)], T0)).counters[0]).toMatchObject({
            allowed: true,
            used: 2,
            remaining: 0,
          });
        }
      });

      it('does not record a refused new member', async () => {
        await store.consume([ips('1.1.1.1', 1)], T0);
        await store.consume([ips('9.9.9.9', 1)], T0);
        expect((await store.peek([ips('9.9.9.9', 2)], T0))[0]).toMatchObject({
          allowed: true,
          used: 1,
        });
      });

      it('starts a new set when the window has ended', async () => {
        await store.consume([ips('1.1.1.1', 1)], T0);
        expect((await store.consume([ips('2.2.2.2', 1)], MARCH_END)).counters[0]).toMatchObject({
          allowed: true,
          used: 1,
        });
      });
    });

    describe('consume over several counters', () => {
      it('is all or nothing: a refusal by one consumes none of the others', async () => {
        const specs = [minute('m', 5), month('mo', 1), ips('1.1.1.1', 5)];
        expect((await store.consume(specs, T0)).allowed).toBe(true);
        const refused = await store.consume(
          [minute('m', 5), month('mo', 1), ips('2.2.2.2', 5)],
          T0 + 1,
        );
        expect(refused.allowed).toBe(false);
        expect(refused.counters.map((c) => [c.allowed, c.used])).toEqual([
          [true, 1],
          [false, 1],
          [true, 1],
        ]);
        const after = await store.peek([minute('m', 5), month('mo', 5), ips('3.3.3.3', 1)], T0 + 2);
        expect(after.map((c) => c.used)).toEqual([1, 1, 1]);
        expect(after[2]?.allowed).toBe(false); // 2.2.2.2 was not recorded, so the set still holds one member
      });

      it('answers in the order given, and an empty list is allowed', async () => {
        const r = await store.consume([ips('a', 1), minute('z', 1), month('y', 1)], T0, {
          scope: 'team_1',
        });
        expect(r.counters.map((c) => c.kind)).toEqual(['distinct', 'sliding', 'fixed']);
        expect(await store.consume([], T0)).toEqual({ allowed: true, counters: [] });
        expect(await store.peek([], T0)).toEqual([]);
      });

      it('sees the same counters under the same scope', async () => {
        await store.consume([minute('s', 1)], T0, { scope: 'team_1' });
        expect((await store.peek([minute('s', 1)], T0, { scope: 'team_1' }))[0]).toMatchObject({
          allowed: false,
          used: 1,
        });
      });

      it('treats an Infinity limit as unlimited', async () => {
        const spec: CounterSpec = {
          kind: 'sliding',
          key: 'inf',
          limit: Infinity,
          windowMs: MINUTE,
        };
        for (let i = 0; i < 5; i++) await store.consume([spec], T0);
        expect((await store.consume([spec], T0)).counters[0]).toMatchObject({
          allowed: true,
          used: 6,
          remaining: Infinity,
        });
      });
    });

    describe('peek', () => {
      it('consumes nothing and says whether one more hit would pass', async () => {
        const specs = [minute('p', 1), month('pm', 1), ips('x', 1, 'pi')];
        for (let i = 0; i < 3; i++)
          expect((await store.peek(specs, T0)).map((c) => [c.allowed, c.used])).toEqual([
            [true, 0],
            [true, 0],
            [true, 0],
          ]);
        await store.consume(specs, T0);
        expect((await store.peek(specs, T0)).map((c) => c.allowed)).toEqual([false, false, true]);
        expect((await store.peek([ips('new', 1, 'pi')], T0))[0]?.allowed).toBe(false);
      });
    });

    describe('brute-force failures', () => {
      it('blocks when maxFailures is reached, for blockMs', async () => {
        expect(await store.recordFailure('bf:1.2.3.4', POLICY, T0)).toEqual({
          failures: 1,
          blockedUntil: null,
          blockedNow: false,
        });
        expect(await store.recordFailure('bf:1.2.3.4', POLICY, T0 + 1)).toEqual({
          failures: 2,
          blockedUntil: null,
          blockedNow: false,
        });
        expect(await store.blockedUntil('bf:1.2.3.4', T0 + 1)).toBeNull();
        const until = T0 + 2 + 2 * MINUTE;
        expect(await store.recordFailure('bf:1.2.3.4', POLICY, T0 + 2)).toEqual({
          failures: 3,
          blockedUntil: until,
          blockedNow: true,
        });
        expect(await store.blockedUntil('bf:1.2.3.4', T0 + 3)).toBe(until);
        expect(await store.recordFailure('bf:1.2.3.4', POLICY, T0 + 4)).toEqual({
          failures: 3,
          blockedUntil: until,
          blockedNow: false,
        });
        expect(await store.blockedUntil('bf:9.9.9.9', T0 + 3)).toBeNull();
      });

      it('lifts the block when it expires and counts afresh', async () => {
        for (let i = 0; i < 3; i++) await store.recordFailure('bf:ip', POLICY, T0);
        expect(await store.blockedUntil('bf:ip', T0 + 2 * MINUTE - 1)).toBe(T0 + 2 * MINUTE);
        expect(await store.blockedUntil('bf:ip', T0 + 2 * MINUTE)).toBeNull();
        expect(await store.recordFailure('bf:ip', POLICY, T0 + 2 * MINUTE)).toEqual({
          failures: 1,
          blockedUntil: null,
          blockedNow: false,
        });
      });

      it('counts failures over a sliding window', async () => {
        await store.recordFailure('bf:ip', POLICY, T0);
        await store.recordFailure('bf:ip', POLICY, T0 + 30_000);
        expect(await store.recordFailure('bf:ip', POLICY, T0 + MINUTE)).toEqual({
          failures: 2,
          blockedUntil: null,
          blockedNow: false,
        });
      });

      it('forgets failures and any block on resetFailures', async () => {
        for (let i = 0; i < 3; i++) await store.recordFailure('bf:ip', POLICY, T0);
        await store.resetFailures('bf:ip');
        expect(await store.blockedUntil('bf:ip', T0)).toBeNull();
        await store.recordFailure('bf:other', POLICY, T0);
        await store.recordFailure('bf:ip2', POLICY, T0);
        await store.resetFailures('bf:ip2');
        expect((await store.recordFailure('bf:ip2', POLICY, T0)).failures).toBe(1);
        expect((await store.recordFailure('bf:other', POLICY, T0)).failures).toBe(2);
        await store.resetFailures('never-seen');
      });
    });

    describe('concurrency', () => {
      it('admits exactly `limit` of many parallel consumes on one key', async () => {
        const spec = minute('hot', 25);
        const results = await Promise.all(
          Array.from({ length: 100 }, () => store.consume([spec, month('hot-m', 1000)], T0)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(25);
        const used = results.filter((r) => r.allowed).map((r) => r.counters[0]?.used);
        expect(new Set(used)).toEqual(new Set(Array.from({ length: 25 }, (_, i) => i + 1)));
        expect((await store.peek([month('hot-m', 1000)], T0))[0]?.used).toBe(25);
      });

      it('places exactly one block under parallel failures', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.recordFailure('bf:hot', POLICY, T0)),
        );
        expect(results.filter((r) => r.blockedNow)).toHaveLength(1);
        expect(
          results.every((r) => r.blockedUntil === null || r.blockedUntil === T0 + 2 * MINUTE),
        ).toBe(true);
      });
    });

    it('puts an expiry on everything it writes', async () => {
      await store.consume([minute(), month(), ips('1.1.1.1')], T0, { scope: 'team_1' });
      await store.consume([minute('x', 1)], T0);
      await store.consume([minute('x', 1)], T0); // refused
      for (let i = 0; i < 3; i++) await store.recordFailure('bf:ttl', POLICY, T0); // placed a block
      await store.recordFailure('bf:ttl2', POLICY, T0);
      if (!h.keysWithoutTtl) return; // nothing inspectable (the memory store evicts in-process)
      expect(await h.keysWithoutTtl()).toEqual([]);
    });
  });
}
