import type { Clock } from '../../cloudfunctions/genScheme/src/clock';

/**
 * A clock tests drive by hand: sleep() advances time at once and records the wait;
 * timers fire when time is advanced past them (by sleep() or advance()).
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private timers: Array<{ at: number; fn: () => void }> = [];
  constructor(
    public ms: number,
    private readonly rand: () => number = () => 0.5,
  ) {}
  now = () => this.ms;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.advance(ms);
  };
  setTimer = (ms: number, fn: () => void) => {
    const timer = { at: this.ms + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  /** Moves time forward by `ms`, firing the timers that fall due. */
  advance(ms: number): void {
    this.ms += ms;
    const due = this.timers.filter((t) => t.at <= this.ms);
    this.timers = this.timers.filter((t) => t.at > this.ms);
    for (const t of due) t.fn();
  }
  /** Timers still waiting (a test can check none is left behind). */
  get pendingTimers(): number {
    return this.timers.length;
  }
  random = () => this.rand();
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}
