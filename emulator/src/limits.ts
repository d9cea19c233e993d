/** The platform's generation limits (platform-rules §5), on the emulator's injectable clock. */

/** At most `limit` admitted calls in any sliding 1000 ms window; calls refused by it are not counted. */
export class SlidingWindow {
  private times: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** Admits the call (and counts it) or returns false. */
  admit(nowMs: number): boolean {
    while (this.times.length && this.times[0] <= nowMs - this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return false;
    this.times.push(nowMs);
    return true;
  }

  reset(): void {
    this.times = [];
  }
}

/** WeChat's days are Beijing days (UTC+8): the daily cap resets at 00:00 China Standard Time. */
export function beijingDay(nowMs: number): number {
  return Math.floor((nowMs + 8 * 3_600_000) / 86_400_000);
}

/** Counts links generated per Beijing day. */
export class DailyCounter {
  private day = -1;
  private count = 0;
  constructor(readonly cap: number) {}

  full(nowMs: number): boolean {
    this.roll(nowMs);
    return this.count >= this.cap;
  }

  add(nowMs: number): void {
    this.roll(nowMs);
    this.count++;
  }

  reset(): void {
    this.day = -1;
    this.count = 0;
  }

  private roll(nowMs: number): void {
    const day = beijingDay(nowMs);
    if (day !== this.day) {
      this.day = day;
      this.count = 0;
    }
  }
}
