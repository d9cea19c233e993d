/**
 * The policy's per-caller rate limits: a user's calls a minute, a public caller's per IP, and all
 * public callers together. Counted in the shared state (state/), so with the database they hold
 * across every instance of the function; each admission is one atomic update there.
 * Trusted callers are not limited here.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { LimitsPort } from '../state';
import { RATE_LIMITED } from '../wechat/codes';
import type { Caller } from './caller';
import type { Policy } from './policy';

const MINUTE_MS = 60_000;

/** One limit: its window and how it is named to the caller. */
interface Limit {
  rule: 'rate-user' | 'rate-ip' | 'rate-shared';
  limit: number;
  zh: string;
  en: string;
}

export class RateLimits {
  private readonly perUser: Limit;
  private readonly perIp: Limit;
  private readonly shared: Limit;
  private readonly scope: { zh: string; en: string };

  constructor(
    policy: Policy,
    private readonly state: LimitsPort,
  ) {
    const { perUserPerMinute } = policy.user;
    const { perIpPerMinute, sharedPerMinute } = policy.public;
    this.perUser = {
      rule: 'rate-user',
      limit: perUserPerMinute,
      zh: `每位用户每分钟最多 ${perUserPerMinute} 次`,
      en: `at most ${perUserPerMinute} calls a minute per user`,
    };
    this.perIp = {
      rule: 'rate-ip',
      limit: perIpPerMinute,
      zh: `每个 IP 每分钟最多 ${perIpPerMinute} 次`,
      en: `at most ${perIpPerMinute} calls a minute per IP`,
    };
    this.shared = {
      rule: 'rate-shared',
      limit: sharedPerMinute,
      zh: `未登录调用方合计每分钟最多 ${sharedPerMinute} 次`,
      en: `public callers share at most ${sharedPerMinute} calls a minute`,
    };
    this.scope = state.shared ? { zh: '所有实例合计', en: 'counted across all instances' } : { zh: '本实例内计数', en: 'counted per function instance' };
  }

  /** Takes a slot from each limit that applies to the caller; the first that is full refuses. */
  async admit(caller: Caller, now: number): Promise<Failure | null> {
    if (caller.class === 'trusted') return null;
    if (caller.class === 'user') return this.take(this.perUser, `user:${caller.openidHash ?? ''}`, now);
    // One after the other, not at once: a caller refused per IP must not use up the slots all
    // public callers share (one IP hammering would lock everyone out). It costs one round trip more.
    return (caller.ip ? await this.take(this.perIp, `ip:${caller.ip}`, now) : null) ?? this.take(this.shared, 'public', now);
  }

  private async take(limit: Limit, key: string, now: number): Promise<Failure | null> {
    const admission = await this.state.admit({ key: `${limit.rule}:${key}`, limit: limit.limit, windowMs: MINUTE_MS }, now);
    if (admission.ok) return null;
    const seconds = Math.ceil(admission.retryAfterMs / 1000);
    return {
      errcode: RATE_LIMITED,
      source: 'policy',
      rule: `policy.${limit.rule}`,
      retryAfterMs: admission.retryAfterMs,
      message: { zh: `调用太频繁：${limit.zh}（${this.scope.zh}）。`, en: `Too many calls: ${limit.en} (${this.scope.en}).` },
      hint: { zh: `${seconds} 秒后再试。`, en: `Try again in ${seconds} s.` },
    };
  }
}
