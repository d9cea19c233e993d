/**
 * resolveLink's own limits (README "Stable links"): a campaign link is opened by thousands a
 * minute, so it does not share the public callers' per-minute limit of generate. Two windows in
 * the shared state: one per visitor (OPENID hash or IP; trusted callers are not limited per
 * visitor) and one overall ceiling. A database window holds at most 1000 admissions
 * (state/database.ts), so the ceiling is enforced per second: ⌈limit / 60⌉ in any 1,000 ms.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Settings } from '../settings';
import type { StatePort } from '../state';
import { RATE_LIMITED } from '../wechat/catalogue';
import { callerKey, type Caller } from './caller';

export function overallPerSecond(perMinute: number): number {
  return Math.ceil(perMinute / 60);
}

export async function admitResolve(caller: Caller, settings: Settings, state: StatePort, nowMs: number): Promise<Failure | null> {
  if (caller.class !== 'trusted') {
    const perVisitor = settings.resolvePerVisitorPerMinute;
    const visitor = await state.admit({ key: `resolve-visitor:${callerKey(caller)}`, limit: perVisitor, windowMs: 60_000 }, nowMs);
    if (!visitor.ok) return limited('policy.resolve-visitor', visitor.retryAfterMs, { zh: `每位访问者每分钟最多打开 ${perVisitor} 次稳定链接`, en: `at most ${perVisitor} stable-link resolves a minute per visitor` });
  }
  const perSecond = overallPerSecond(settings.resolvePerMinute);
  const overall = await state.admit({ key: 'resolve-all', limit: perSecond, windowMs: 1000 }, nowMs);
  if (!overall.ok) return limited('policy.resolve-overall', overall.retryAfterMs, { zh: `所有访问者合计每秒最多 ${perSecond} 次（GENSCHEME_RESOLVE_PER_MINUTE）`, en: `at most ${perSecond} resolves a second for everyone together (GENSCHEME_RESOLVE_PER_MINUTE)` });
  return null;
}

function limited(rule: string, retryAfterMs: number, what: { zh: string; en: string }): Failure {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    errcode: RATE_LIMITED, source: 'policy', rule, retryAfterMs,
    message: { zh: `打开太频繁：${what.zh}。`, en: `Too many resolves: ${what.en}.` },
    hint: { zh: `${seconds} 秒后再试；管理员可调整 GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE / GENSCHEME_RESOLVE_PER_MINUTE。`, en: `Try again in ${seconds} s; an admin can raise GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE / GENSCHEME_RESOLVE_PER_MINUTE.` },
  };
}
