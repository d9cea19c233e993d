import type { Clock } from '../../cloudfunctions/genScheme/src/clock';

/** A clock tests drive by hand: sleep() advances time at once and records the wait. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(
    public ms: number,
    private readonly rand: () => number = () => 0.5,
  ) {}
  now = () => this.ms;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
  random = () => this.rand();
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}
