/**
 * Keeps one instance's generate calls under the platform's 100 a second (platform-rules §5,
 * 44990 beyond). WeChat counts a call when it arrives, somewhere between our send and its
 * answer; so a call holds its slot from send until one window after its answer, which bounds
 * every window at WeChat whatever the network delays.
 */
export type Slot = { ok: true } | { ok: false; retryAfterMs: number };

export class Pacer {
  private inFlight = 0;
  /** Answer times, ascending (ms). */
  private readonly answered: number[] = [];

  constructor(
    /** Changes when pacing learns how many instances share the platform's rate (pacing.ts). */
    public limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes a slot at `now` (ms), or says how long to wait before asking again. */
  acquire(now: number): Slot {
    while (this.answered.length && this.answered[0] <= now - this.windowMs) this.answered.shift();
    if (this.inFlight + this.answered.length < this.limit) {
      this.inFlight++;
      return { ok: true };
    }
    // Every slot is busy: the oldest answered call frees one; with only calls in flight, poll soon.
    const wait = this.answered.length ? this.answered[0] + this.windowMs - now : 20;
    return { ok: false, retryAfterMs: Math.max(1, wait) };
  }

  /** Frees the slot acquire() took, once the call was answered (or failed) at `now`. */
  release(now: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered.push(now);
  }
}
