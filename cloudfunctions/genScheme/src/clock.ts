/** The outside world's time and chance, injected so tests can drive retries, limits and time-outs. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Never keeps the process alive. */
  setTimer(ms: number, fn: () => void): () => void;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
  random: () => Math.random(),
};

/**
 * `work`'s value, or `otherwise` when it has not settled within `ms` (or failed): a wait with a
 * deadline that never rejects. `work` goes on either way.
 */
export function settleWithin<T, U>(work: Promise<T>, ms: number, clock: Pick<Clock, 'setTimer'>, otherwise: U): Promise<T | U> {
  return new Promise((resolve) => {
    const cancel = clock.setTimer(Math.max(0, ms), () => resolve(otherwise));
    work.then(
      (value) => (cancel(), resolve(value)),
      () => (cancel(), resolve(otherwise)),
    );
  });
}
