/**
 * Sliding-window call counter per key, in memory: one warm instance's view only.
 * Used for the platform's 100 generate calls per second (platform-rules §5) and for the
 * policy's per-caller limits. Old keys are swept so memory stays flat under many callers.
 */
export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes one slot for `key` at `now` (ms), or says how long until one frees up. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    this.sweep(now);
    if (this.limit <= 0) return { ok: false, retryAfterMs: this.windowMs };
    let times = this.hits.get(key);
    if (!times) {
      times = [];
      this.hits.set(key, times);
    }
    const since = now - this.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop] <= since) drop++;
    if (drop) times.splice(0, drop);
    if (times.length >= this.limit) return { ok: false, retryAfterMs: Math.max(1, times[0] + this.windowMs - now) };
    times.push(now);
    return { ok: true };
  }

  /** Keys currently tracked (for tests of memory behaviour). */
  get size(): number {
    return this.hits.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const since = now - this.windowMs;
    for (const [key, times] of this.hits) if (times.length === 0 || times[times.length - 1] <= since) this.hits.delete(key);
  }
}
