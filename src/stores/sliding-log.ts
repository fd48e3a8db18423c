/**
 * The exact sliding window of one counter: the timestamps of admitted hits, oldest first, in a
 * growable ring buffer capped at the limit. Only the last `limit` hits can decide an
 * admission, so memory is 8 bytes per hit slot, `min(limit, peak hits in a window)` slots.
 */
export class SlidingLog {
  #buf: Float64Array;
  #head = 0;
  #size = 0;

  constructor(initialCapacity: number) {
    this.#buf = new Float64Array(Math.max(1, initialCapacity));
  }

  /** Drops hits outside the window (t − windowMs, t]. */
  prune(now: number, windowMs: number): void {
    const edge = now - windowMs;
    while (this.#size > 0 && (this.#buf[this.#head] as number) <= edge) {
      this.#head = (this.#head + 1) % this.#buf.length;
      this.#size--;
    }
  }

  /** Hits in the window, after `prune`. */
  get size(): number {
    return this.#size;
  }

  /** The oldest hit still in the log, or `undefined`. */
  get oldest(): number | undefined {
    return this.#size === 0 ? undefined : this.#buf[this.#head];
  }

  /** The newest hit, or `undefined`. */
  get newest(): number | undefined {
    if (this.#size === 0) return undefined;
    return this.#buf[(this.#head + this.#size - 1) % this.#buf.length];
  }

  /** Appends a hit; keeps at most `limit` entries (the newest). */
  push(at: number, limit: number): void {
    if (this.#size >= limit) {
      // Only the newest `limit` hits matter; drop the oldest ones (limit was lowered).
      while (this.#size >= limit && this.#size > 0) {
        this.#head = (this.#head + 1) % this.#buf.length;
        this.#size--;
      }
    }
    if (this.#size === this.#buf.length) this.#grow(limit);
    // Never let the log go backwards in time if the clock does: keeps it sorted.
    const last = this.newest;
    const value = last !== undefined && at < last ? last : at;
    this.#buf[(this.#head + this.#size) % this.#buf.length] = value;
    this.#size++;
  }

  /** Bytes held by the buffer. */
  get bytes(): number {
    return this.#buf.byteLength;
  }

  #grow(limit: number): void {
    const capacity = Math.min(Math.max(limit, 1), this.#buf.length * 2);
    const next = new Float64Array(Math.max(capacity, this.#size + 1));
    for (let i = 0; i < this.#size; i++)
      next[i] = this.#buf[(this.#head + i) % this.#buf.length] as number;
    this.#buf = next;
    this.#head = 0;
  }
}
