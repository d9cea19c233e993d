/**
 * Link reuse: a request whose target (kind, path, query, envVersion) matches a live link made
 * earlier gets that link, when the link dies neither noticeably earlier nor later than asked:
 * its expireTime lies in [asked − 5 % of the asked lifetime, asked + the clock-skew margin].
 * No call, no quota; `cq` is still appended per request.
 */
import type { Warning } from '../../../../miniprogram/shared/contract';
import { formatUnix } from '../../../../miniprogram/shared/expiry-checks';
import { CLOCK_SKEW_MARGIN_SECONDS } from '../../../../miniprogram/shared/platform';
import type { StoredLink, Target } from '../state';

/** How much earlier than asked a reused link may die: 5 % of the asked lifetime. */
export const REUSE_TOLERANCE = 0.05;

export function reuseWindow(askedExpireTime: number, nowSeconds: number): { min: number; max: number } {
  const lifetime = Math.max(0, askedExpireTime - nowSeconds);
  return { min: Math.ceil(askedExpireTime - lifetime * REUSE_TOLERANCE), max: askedExpireTime + CLOCK_SKEW_MARGIN_SECONDS };
}

export function targetKey(target: Target): string {
  return JSON.stringify([target.kind, target.envVersion, target.path, target.query]);
}

/**
 * Links this instance found or made lately, so a repeated target costs no database read and
 * takes no pacing slot. Links never change once issued, so an entry is right until it expires.
 */
export class RecentLinks {
  private readonly links = new Map<string, StoredLink>();

  constructor(private readonly capacity = 1000) {}

  find(target: Target, window: { min: number; max: number }, nowSeconds: number): StoredLink | null {
    const key = targetKey(target);
    const link = this.links.get(key);
    if (!link) return null;
    if (link.expireTime <= nowSeconds) {
      this.links.delete(key);
      return null;
    }
    return link.expireTime >= window.min && link.expireTime <= window.max ? link : null;
  }

  remember(target: Target, link: StoredLink): void {
    const key = targetKey(target);
    this.links.delete(key); // re-inserted last: the Map's order is the eviction order
    this.links.set(key, link);
    if (this.links.size > this.capacity) this.links.delete(this.links.keys().next().value as string);
  }
}

/** Told to the caller with a reused link: nothing was spent, and how to get a new one. */
export function reusedWarning(expireTime: number): Warning {
  return {
    code: 'link.reused',
    zh: `复用了一个相同目标、仍然有效的链接（${formatUnix(expireTime)} 失效），没有消耗生成次数；要新链接请传 reuse: false。`,
    en: `A live link to the same target was reused (it expires at ${formatUnix(expireTime)}); no generation was spent. Pass reuse: false for a new one.`,
  };
}
