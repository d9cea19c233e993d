/** Reusable links in this instance's memory: a few per target, expired ones swept as they go. */
import { targetText, type LinkStorePort, type StoredLink, type Target } from '../port';

/** How often (ms) expired links are swept. */
const SWEEP_EVERY_MS = 60_000;
/** Links kept per target (the latest-expiring ones): enough for reuse, bounded for memory. */
const LINKS_PER_TARGET = 8;

export class MemoryLinks implements LinkStorePort {
  private readonly links = new Map<string, StoredLink[]>();
  private lastSweep = -Infinity;

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

  /** Targets currently held (tests check that memory stays flat). */
  get size(): number {
    return this.links.size;
  }

  async sweep(nowMs: number): Promise<void> {
    this.lastSweep = -Infinity;
    this.sweepNow(nowMs);
  }

  private sweepNow(nowMs: number): void {
    if (nowMs - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = nowMs;
    const nowS = nowMs / 1000;
    for (const [key, list] of this.links) {
      const live = list.filter((l) => l.expireTime > nowS);
      if (live.length) this.links.set(key, live);
      else this.links.delete(key);
    }
  }
}
