import fc from 'fast-check';
import { MemoryCounterStore, utcMonth, type CounterSpec } from '../../src/index.js';

const minute = (limit: number): CounterSpec => ({
  kind: 'sliding',
  key: 'k',
  limit,
  windowMs: 60_000,
});

describe('sliding window properties (fast-check, injected clock)', () => {
  it('never admits more than N in any 60-second interval', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }),
        async (limit, gaps) => {
          const store = new MemoryCounterStore();
          let now = 1_700_000_000_000;
          const admitted: number[] = [];
          for (const gap of gaps) {
            now += gap;
            if ((await store.consume([minute(limit)], now)).allowed) admitted.push(now);
          }
          // For every admitted hit, the hits in (t − 60 s, t] number at most `limit`.
          for (let i = 0; i < admitted.length; i++) {
            const t = admitted[i] as number;
            const inWindow = admitted.filter((a) => a > t - 60_000 && a <= t).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not starve: a client at half the rate is never refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 0, max: 59_999 }),
        async (limit, offset) => {
          const store = new MemoryCounterStore();
          const interval = Math.ceil((60_000 * 2) / limit); // limit/2 requests per minute
          for (let i = 0; i < 3 * limit; i++) {
            const result = await store.consume(
              [minute(limit)],
              1_700_000_000_000 + offset + i * interval,
            );
            expect(result.allowed).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a refused call consumes nothing in any counter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20_000 })), {
          minLength: 1,
          maxLength: 200,
        }),
        async (steps) => {
          const store = new MemoryCounterStore();
          const specs = (now: number): CounterSpec[] => [
            minute(4),
            { kind: 'fixed', key: 'm', limit: 6, resetAt: utcMonth(now).end },
            { kind: 'distinct', key: 'ips', limit: 2, member: '', resetAt: utcMonth(now).end },
          ];
          let now = Date.parse('2026-03-31T23:58:00Z');
          for (const [ip, gap] of steps) {
            now += gap;
            const s = specs(now).map((spec) =>
              spec.kind === 'distinct' ? { ...spec, member: `ip${ip}` } : spec,
            );
            const before = await store.peek(s, now);
            const result = await store.consume(s, now);
            const after = await store.peek(s, now);
            if (!result.allowed)
              expect(after.map((c) => c.used)).toEqual(before.map((c) => c.used));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('calendar months are UTC', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01Z'),
          max: new Date('2100-01-01Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const m = utcMonth(date.getTime());
          expect(m.start).toBeLessThanOrEqual(date.getTime());
          expect(m.end).toBeGreaterThan(date.getTime());
          expect(new Date(m.start).getUTCDate()).toBe(1);
          expect(new Date(m.end).getUTCDate()).toBe(1);
          expect(m.id).toBe(date.toISOString().slice(0, 7));
        },
      ),
    );
    expect(utcMonth(Date.parse('2026-01-31T23:59:59.999Z')).id).toBe('2026-01');
    expect(utcMonth(Date.parse('2026-02-01T00:00:00.001Z')).id).toBe('2026-02');
  });
});
