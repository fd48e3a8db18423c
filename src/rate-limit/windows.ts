/** The calendar month (UTC) containing `now`: its id, start and end in ms. */
export function utcMonth(now: number): { id: string; start: number; end: number } {
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return {
    id: `${year}-${String(month + 1).padStart(2, '0')}`,
    start: Date.UTC(year, month, 1),
    end: Date.UTC(year, month + 1, 1),
  };
}

/** Counter key of a key's monthly usage; the admin page reads the same counter. */
export function keyMonthlyCounter(keyId: string, now: number): string {
  return `rl:key:${keyId}:month:${utcMonth(now).id}`;
}
