/** A pending last-used update. */
export interface Touch {
  at: Date;
  ip: string;
}

/** Writes a batch of last-used updates in one statement. */
export type TouchWriter = (batch: ReadonlyMap<string, Touch>) => Promise<void>;

/** Most keys buffered between flushes; beyond it the oldest pending updates are dropped. */
const MAX_PENDING = 50_000;
/** Most keys written by one statement. */
const BATCH = 1_000;

/**
 * Buffers `touch` calls in memory (one entry per key, the latest wins) and writes them in one
 * statement every `flushMs`, so last-used tracking costs no query per request. The timer only
 * runs while something is pending and is `unref()`ed, so it never keeps a process alive.
 * A failed write puts its entries back (unless newer ones arrived) for the next flush.
 */
export class TouchBuffer {
  #pending = new Map<string, Touch>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: TouchWriter,
    private readonly flushMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Number of keys waiting to be written. */
  get size(): number {
    return this.#pending.size;
  }

  add(keyId: string, at: Date, ip: string): void {
    const current = this.#pending.get(keyId);
    if (current && current.at.getTime() > at.getTime()) return;
    this.#pending.delete(keyId); // re-insert so Map order stays oldest-first
    this.#pending.set(keyId, { at: new Date(at.getTime()), ip });
    if (this.#pending.size > MAX_PENDING) {
      const oldest = this.#pending.keys().next();
      if (!oldest.done) this.#pending.delete(oldest.value);
    }
    this.#schedule();
  }

  /** Writes everything pending now; resolves when written, rejects when the write failed. */
  flush(): Promise<void> {
    this.#clearTimer();
    const run = this.#flushing.then(() => this.#writeAll());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer; pending entries stay until `flush()`. */
  stop(): void {
    this.#clearTimer();
  }

  async #writeAll(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = new Map<string, Touch>();
      for (const [id, touch] of this.#pending) {
        batch.set(id, touch);
        if (batch.size >= BATCH) break;
      }
      for (const id of batch.keys()) this.#pending.delete(id);
      try {
        await this.write(batch);
      } catch (err) {
        for (const [id, touch] of batch) {
          const newer = this.#pending.get(id);
          if (!newer || newer.at.getTime() < touch.at.getTime()) this.#pending.set(id, touch);
        }
        this.#schedule();
        throw err;
      }
    }
  }

  #schedule(): void {
    if (this.#timer || this.#pending.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((err: unknown) =>
        this.onError(err instanceof Error ? err : new Error(String(err))),
      );
    }, this.flushMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
