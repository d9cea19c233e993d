/**
 * The memory adapter: one instance's view only (what the function did before the database):
 * exact sliding windows per key, a counter for today, a link map. Old windows and expired
 * links are swept, so memory stays flat under many callers and targets.
 */
import { chinaDay, targetText, windowText, type StableLinkStore, type Admission, type SlidingWindow, type WindowUse, windowUse, type StatePort, type StoredLink, type Target } from './port';
import { loadStableCapability } from '../load-stable-capability';
import { LazyStableLinks } from './lazy-stable-links';

/** How often (ms) idle windows and expired links are swept. */
const SWEEP_EVERY_MS = 60_000;
/** Links kept per target (the latest-expiring ones): enough for reuse, bounded for memory. */
const LINKS_PER_TARGET = 8;

interface WindowTimes {
  windowMs: number;
  /** Admission times (ms), ascending. */
  times: number[];
}

/** Stable links are kept by MemoryStableLinks (stable-memory.ts), made on first use; this class adds the rest. */
export class MemoryState extends LazyStableLinks implements StatePort {
  readonly mode = 'memory' as const;

  protected makeStableLinks(): StableLinkStore {
    return loadStableCapability().memoryStableLinks();
  }

  private readonly windows = new Map<string, WindowTimes>();
  private readonly links = new Map<string, StoredLink[]>();
  private day = '';
  private generated = 0;
  private lastSweep = -Infinity;

  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    return this.admitNow(window, nowMs);
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
    this.sweepNow(nowMs);
    if (window.limit <= 0) return { ok: false, retryAfterMs: Math.max(1, window.windowMs) };
    const id = windowText(window);
    let entry = this.windows.get(id);
    if (!entry) {
      entry = { windowMs: window.windowMs, times: [] };
      this.windows.set(id, entry);
    }
    const { times } = entry;
    // Times at or before now - windowMs are out of the window.
    const since = nowMs - window.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop] <= since) drop++;
    if (drop) times.splice(0, drop);
    if (times.length >= window.limit) return { ok: false, retryAfterMs: Math.max(1, times[times.length - window.limit] + window.windowMs - nowMs) };
    // Keep the array ascending even if a caller's clock steps back.
    let at = times.length;
    while (at > 0 && times[at - 1] > nowMs) at--;
    times.splice(at, 0, nowMs);
    return { ok: true };
  }

  async countGeneration(nowMs: number): Promise<void> {
    const day = chinaDay(nowMs);
    if (day !== this.day) {
      this.day = day;
      this.generated = 0;
    }
    this.generated++;
  }

  async generatedToday(nowMs: number): Promise<number> {
    return chinaDay(nowMs) === this.day ? this.generated : 0;
  }

  async findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null> {
    this.sweepNow(nowMs);
    const list = this.links.get(targetText(target));
    if (!list) return null;
    const nowS = nowMs / 1000;
    let best: StoredLink | null = null;
    for (const link of list) {
      if (link.expireTime <= nowS || link.expireTime < minExpire || link.expireTime > maxExpire) continue;
      if (!best || link.expireTime > best.expireTime) best = link;
    }
    return best ? { ...best } : null;
  }

  async saveLink(target: Target, link: StoredLink): Promise<void> {
    const key = targetText(target);
    const list = (this.links.get(key) ?? []).filter((l) => l.link !== link.link);
    list.push({ link: link.link, expireTime: link.expireTime, createTime: link.createTime });
    // Latest-expiring first; the ones that die soonest are the least useful to keep.
    list.sort((a, b) => b.expireTime - a.expireTime);
    list.length = Math.min(list.length, LINKS_PER_TARGET);
    this.links.set(key, list);
  }

  /** Windows and targets currently held (tests check that memory stays flat). */
  get size(): { windows: number; targets: number } {
    return { windows: this.windows.size, targets: this.links.size };
  }

  /** Memory sweeps itself as it goes (sweepNow); asked to, it does so at once. */
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
    const nowS = nowMs / 1000;
    for (const [key, list] of this.links) {
      const live = list.filter((l) => l.expireTime > nowS);
      if (live.length) this.links.set(key, live);
      else this.links.delete(key);
    }
  }
}

export function createMemoryState(): MemoryState {
  return new MemoryState();
}

