/** A clock tests move by hand: `clock.now()` is what keyward sees. */
export interface FakeClock {
  (): number;
  now(): number;
  set(ms: number | Date | string): void;
  advance(ms: number): void;
}

export function fakeClock(start: number | string = '2026-03-10T12:00:00.000Z'): FakeClock {
  let current = typeof start === 'number' ? start : Date.parse(start);
  const clock = (() => current) as FakeClock;
  clock.now = () => current;
  clock.set = (ms) => {
    current = ms instanceof Date ? ms.getTime() : typeof ms === 'string' ? Date.parse(ms) : ms;
  };
  clock.advance = (ms) => {
    current += ms;
  };
  return clock;
}
