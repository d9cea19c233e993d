/**
 * Sliding-window call counter per key, in memory: one warm instance's view only.
 * Used for the platform's 100 generate calls per second (platform-rules §5) and for the
 * policy's per-caller limits. Old keys are swept so memory stays flat under many callers.
 */
/** Drops the times (ascending, ms) at or before `since`: they are out of the window. */
function forget(times: number[], since: number): void {
  let drop = 0;
  while (drop < times.length && times[drop] <= since) drop++;
  if (drop) times.splice(0, drop);
}

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
    forget(times, now - this.windowMs);
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

/**
 * Keeps one instance's calls under the platform's per-second limit (platform-rules §5: 100
 * generate calls/s, 44990 beyond). WeChat counts a call when it *arrives*, somewhere between
 * our send and its answer; so a call occupies a slot from send until one window after its
 * answer. That bound holds whatever the network delays: no window at WeChat sees more.
 */
export class Pacer {
  private inFlight = 0;
  private readonly answered: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes a slot at `now` (ms), or says how long to wait before asking again. */
  acquire(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    forget(this.answered, now - this.windowMs);
    if (this.inFlight + this.answered.length < this.limit) {
      this.inFlight++;
      return { ok: true };
    }
    // All slots busy: the oldest answered call frees one; with only calls in flight, poll soon.
    const wait = this.answered.length ? this.answered[0] + this.windowMs - now : 20;
    return { ok: false, retryAfterMs: Math.max(1, wait) };
  }

  /** Frees the slot taken by acquire() once the call has been answered (or failed) at `now`. */
  release(now: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered.push(now);
  }
}
