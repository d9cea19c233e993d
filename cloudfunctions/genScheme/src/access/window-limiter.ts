/**
 * A sliding-window counter per key, in this instance's memory: at most `limit` takes in any
 * `windowMs`. Old keys are swept so memory stays flat under many callers.
 */
export type Take = { ok: true } | { ok: false; retryAfterMs: number };

export class WindowLimiter {
  /** Take times per key, ascending (ms). */
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes one slot for `key` at `now`, or says how long until one frees up. */
  take(key: string, now: number): Take {
    const full = this.check(key, now);
    if (!full.ok) return full;
    this.times(key, now).push(now);
    return full;
  }

  /** Whether `key` has a free slot at `now`, without taking it. */
  check(key: string, now: number): Take {
    this.sweep(now);
    if (this.limit <= 0) return { ok: false, retryAfterMs: this.windowMs };
    const times = this.times(key, now);
    if (times.length >= this.limit) return { ok: false, retryAfterMs: Math.max(1, times[0] + this.windowMs - now) };
    return { ok: true };
  }

  /** Gives back one slot `key` took at `at` (a reservation that turned out not to be needed). */
  release(key: string, at: number): void {
    const times = this.hits.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (index >= 0) times!.splice(index, 1);
  }

  /** Keys currently tracked (for tests of memory behaviour). */
  get size(): number {
    return this.hits.size;
  }

  private times(key: string, now: number): number[] {
    let times = this.hits.get(key);
    if (!times) {
      times = [];
      this.hits.set(key, times);
    }
    let drop = 0;
    while (drop < times.length && times[drop] <= now - this.windowMs) drop++;
    if (drop) times.splice(0, drop);
    return times;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) if (times.length === 0 || times[times.length - 1] <= now - this.windowMs) this.hits.delete(key);
  }
}
