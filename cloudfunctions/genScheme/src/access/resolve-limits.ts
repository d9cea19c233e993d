/**
 * resolveLink's own limits (README "Stable links"): a campaign link is opened by thousands a
 * minute, so it does not share the public callers' per-minute limit of generate. One window per
 * visitor in the shared state (OPENID hash, or the IP's network; trusted callers are not limited
 * per visitor): one database write for a new visitor. And one overall ceiling per minute,
 * taken in blocks (resolve-ceiling.ts): no document is written by every visitor.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Settings } from '../settings';
import type { LimitsPort } from '../state';
import { RATE_LIMITED } from '../wechat/codes';
import { callerKey, type Caller } from './caller';
import { ResolveCeiling } from './resolve-ceiling';

/** One ceiling per instance's limits: the blocks it holds belong to this instance. */
const ceilings = new WeakMap<LimitsPort, ResolveCeiling>();

export async function admitResolve(caller: Caller, settings: Settings, state: LimitsPort, nowMs: number): Promise<Failure | null> {
  let ceiling = ceilings.get(state);
  if (!ceiling) ceilings.set(state, (ceiling = new ResolveCeiling(state)));
  if (caller.class !== 'trusted') {
    const perVisitor = settings.resolvePerVisitorPerMinute;
    const visitor = await state.admit({ key: `resolve-visitor:${callerKey(caller)}`, limit: perVisitor, windowMs: 60_000 }, nowMs);
    if (!visitor.ok)
      return limited('policy.resolve-visitor', visitor.retryAfterMs, {
        zh: `每位访问者每分钟最多打开 ${perVisitor} 次稳定链接`,
        en: `at most ${perVisitor} stable-link resolves a minute per visitor`,
      });
  }
  const perMinute = settings.resolvePerMinute;
  const overall = await ceiling.take(perMinute, nowMs);
  if (!overall.ok)
    return limited('policy.resolve-overall', overall.retryAfterMs, {
      zh: `所有访问者合计每分钟最多 ${perMinute} 次（GENSCHEME_RESOLVE_PER_MINUTE）`,
      en: `at most ${perMinute} resolves a minute for everyone together (GENSCHEME_RESOLVE_PER_MINUTE)`,
    });
  return null;
}

function limited(rule: string, retryAfterMs: number, what: { zh: string; en: string }): Failure {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    errcode: RATE_LIMITED,
    source: 'policy',
    rule,
    retryAfterMs,
    message: { zh: `打开太频繁：${what.zh}。`, en: `Too many resolves: ${what.en}.` },
    hint: {
      zh: `${seconds} 秒后再试；管理员可调整 GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE / GENSCHEME_RESOLVE_PER_MINUTE。`,
      en: `Try again in ${seconds} s; an admin can raise GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE / GENSCHEME_RESOLVE_PER_MINUTE.`,
    },
  };
}
