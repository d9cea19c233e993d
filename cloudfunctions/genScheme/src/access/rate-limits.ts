/**
 * The policy's per-caller rate limits, counted in this instance's memory: a user's calls a minute,
 * a public caller's per IP, and all public callers together. Trusted callers are not limited here.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import { RATE_LIMITED } from '../wechat/catalogue';
import type { Caller } from './caller';
import type { Policy } from './policy';
import { WindowLimiter } from './window-limiter';

const MINUTE_MS = 60_000;

/** One limit: its counter and how it is named to the caller. */
interface Limit {
  rule: 'rate-user' | 'rate-ip' | 'rate-shared';
  limiter: WindowLimiter;
  zh: (n: number) => string;
  en: (n: number) => string;
}

export class RateLimits {
  private readonly perUser: Limit;
  private readonly perIp: Limit;
  private readonly shared: Limit;

  constructor(policy: Policy) {
    this.perUser = {
      rule: 'rate-user', limiter: new WindowLimiter(policy.user.perUserPerMinute, MINUTE_MS),
      zh: (n) => `每位用户每分钟最多 ${n} 次`, en: (n) => `at most ${n} calls a minute per user`,
    };
    this.perIp = {
      rule: 'rate-ip', limiter: new WindowLimiter(policy.public.perIpPerMinute, MINUTE_MS),
      zh: (n) => `每个 IP 每分钟最多 ${n} 次`, en: (n) => `at most ${n} calls a minute per IP`,
    };
    this.shared = {
      rule: 'rate-shared', limiter: new WindowLimiter(policy.public.sharedPerMinute, MINUTE_MS),
      zh: (n) => `未登录调用方合计每分钟最多 ${n} 次`, en: (n) => `public callers share at most ${n} calls a minute`,
    };
  }

  /** Takes a slot from each limit that applies to the caller; the first that is full refuses. */
  admit(caller: Caller, now: number): Failure | null {
    if (caller.class === 'trusted') return null;
    if (caller.class === 'user') return take(this.perUser, caller.openidHash ?? '', now);
    return (caller.ip ? take(this.perIp, caller.ip, now) : null) ?? take(this.shared, 'public', now);
  }
}

function take(limit: Limit, key: string, now: number): Failure | null {
  const slot = limit.limiter.take(key, now);
  if (slot.ok) return null;
  const seconds = Math.ceil(slot.retryAfterMs / 1000);
  return {
    errcode: RATE_LIMITED,
    source: 'policy',
    rule: `policy.${limit.rule}`,
    retryAfterMs: slot.retryAfterMs,
    message: {
      zh: `调用太频繁：${limit.zh(limit.limiter.limit)}（本实例内计数）。`,
      en: `Too many calls: ${limit.en(limit.limiter.limit)} (counted per function instance).`,
    },
    hint: { zh: `${seconds} 秒后再试。`, en: `Try again in ${seconds} s.` },
  };
}
