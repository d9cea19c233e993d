/**
 * Sliding windows in this instance's memory: exact per key, swept as they go idle so memory stays
 * flat under many callers. The `memory` state mode, and the database's stand-in (fallback.ts).
 */
import { windowText, windowUse, type Admission, type Lease, type LimitsPort, type PeriodQuota, type SlidingWindow, type WindowUse } from '../port';

/** How often (ms) idle windows are swept. */
const SWEEP_EVERY_MS = 60_000;

interface WindowTimes {
  windowMs: number;
  /** Admission times (ms), ascending. */
  times: number[];
}

export class MemoryLimits implements LimitsPort {
  readonly shared = false;
  private readonly windows = new Map<string, WindowTimes>();
  private lastSweep = -Infinity;

  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    return this.admitNow(window, nowMs);
  }

  async lease(window: SlidingWindow, count: number, nowMs: number): Promise<Lease> {
    return this.leaseNow(window, count, nowMs);
  }

  async peek(window: SlidingWindow, nowMs: number): Promise<WindowUse> {
    return this.peekNow(window, nowMs);
  }

  peekNow(window: SlidingWindow, nowMs: number): WindowUse {
    const times = (this.windows.get(windowText(window))?.times ?? []).filter((t) => t > nowMs - window.windowMs);
    return windowUse(times, window, nowMs);
  }

  /** admit() without the promise, for callers in this process that want no microtask. */
  admitNow(window: SlidingWindow, nowMs: number): Admission {
    const lease = this.leaseNow(window, 1, nowMs);
    return lease.granted ? { ok: true } : { ok: false, retryAfterMs: lease.retryAfterMs };
  }

  leaseNow(window: SlidingWindow, count: number, nowMs: number): Lease {
    this.sweepNow(nowMs);
    if (window.limit <= 0 || count <= 0) return { granted: 0, retryAfterMs: Math.max(1, window.windowMs) };
    const id = windowText(window);
    let entry = this.windows.get(id);
    if (!entry) {
      entry = { windowMs: window.windowMs, times: [] };
      this.windows.set(id, entry);
    }
    const { times } = entry;
    // Times at or before now - windowMs are out of the window.
    let drop = 0;
    while (drop < times.length && times[drop] <= nowMs - window.windowMs) drop++;
    if (drop) times.splice(0, drop);
    const granted = Math.min(count, window.limit - times.length);
    if (granted <= 0) return { granted: 0, retryAfterMs: Math.max(1, times[times.length - window.limit] + window.windowMs - nowMs) };
    // Keep the array ascending even if a caller's clock steps back.
    let at = times.length;
    while (at > 0 && times[at - 1] > nowMs) at--;
    times.splice(at, 0, ...Array<number>(granted).fill(nowMs));
    return { granted, retryAfterMs: 0 };
  }

  /** One entry per quota (a handful of keys), replaced when its period turns: nothing to sweep. */
  private readonly periods = new Map<string, { period: number; used: number }>();

  async takeFromPeriod(quota: PeriodQuota, count: number, nowMs: number): Promise<number> {
    return this.takeFromPeriodNow(quota, count, nowMs);
  }

  takeFromPeriodNow(quota: PeriodQuota, count: number, nowMs: number): number {
    const period = Math.floor(nowMs / quota.periodMs);
    const id = JSON.stringify([quota.key, quota.limit, quota.periodMs]);
    let entry = this.periods.get(id);
    if (!entry || entry.period !== period) {
      entry = { period, used: 0 };
      this.periods.set(id, entry);
    }
    const granted = Math.max(0, Math.min(count, quota.limit - entry.used));
    entry.used += granted;
    return granted;
  }

  async record(window: SlidingWindow, times: readonly number[]): Promise<void> {
    const id = windowText(window);
    let entry = this.windows.get(id);
    if (!entry) {
      entry = { windowMs: window.windowMs, times: [] };
      this.windows.set(id, entry);
    }
    entry.times.push(...times);
    entry.times.sort((a, b) => a - b);
    entry.times.splice(0, Math.max(0, entry.times.length - window.limit));
  }

  /** One instance knows only itself. */
  async heartbeat(): Promise<number> {
    return 1;
  }

  /** Windows currently held (tests check that memory stays flat). */
  get size(): number {
    return this.windows.size;
  }

  async sweep(nowMs: number): Promise<void> {
    this.lastSweep = -Infinity;
    this.sweepNow(nowMs);
  }

  private sweepNow(nowMs: number): void {
    if (nowMs - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = nowMs;
    for (const [id, entry] of this.windows) {
      const { times } = entry;
      if (times.length === 0 || times[times.length - 1] <= nowMs - entry.windowMs) this.windows.delete(id);
    }
  }
}
