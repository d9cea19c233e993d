/**
 * Issuing a link, for every action that makes one (generate, urllink, a stable link's renewal): the policy and the shared
 * state side by side, reuse of a live identical link, the daily cap, one call per target at a
 * time in this instance, then remembering and counting what WeChat issued.
 *
 * Database round trips on this path (platform-rules §11: each is a network round trip):
 *  1. before WeChat, concurrently: the caller's rate limit, a stored link for the target and
 *     today's count (read at most once a second per instance);
 *  2. a pacing lease, asked for at the start of 1 and shared by the calls waiting (wechat/pacing.ts);
 *  3. after WeChat, concurrently: the link saved and this instance's count shard written.
 * A reuse hit stops after 1 and costs no WeChat call; a link this instance already knows costs
 * no read at all.
 */
import type { Warning } from '../../../../miniprogram/shared/contract';
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Ask } from '../access/authorize';
import type { StoredLink, Target } from '../state';
import { settleWithin } from '../clock';
import { REPLY_RESERVE_MS } from '../wechat/call';
import { lookup } from '../wechat/catalogue';
import { NO_OPENLINK } from '../wechat/codes';
import type { ActionContext, ActionFailure } from '../actions/action';
import type { Expiry } from './expiry';
import { LINK_KINDS, linkIn } from './kinds';
import { reuseWindow, targetKey } from './reuse';

export interface IssueRequest {
  /** What the link opens; reuse never crosses kinds or env versions. */
  target: Target;
  expiry: Expiry;
  /** The caller allows reuse (its `reuse` field, GENSCHEME_REUSE, nothing that makes the link unique). */
  reuse: boolean;
  /** What to ask the policy. */
  ask: Ask;
  /** Fields of the caller's own sent to WeChat beside the kind's request (urllink's cloudBase). */
  extra?: Record<string, unknown>;
}

export type Issued = { link: StoredLink; reused: boolean; warnings: Warning[] };

export async function issueLink(request: IssueRequest, ctx: ActionContext): Promise<Issued | ActionFailure> {
  const { target, expiry, reuse } = request;
  const nowMs = ctx.clock.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  const window = reuseWindow(expiry.expireTime, nowSeconds);
  const known = reuse ? ctx.links.recent.find(target, window, nowSeconds) : null;

  // 1. The policy and the shared state, side by side.
  const refused = ctx.permit(request.ask);
  // Reuse only saves quota: a lookup is given a third of the time left, and one that takes longer
  // is a miss (the call goes on), so a slow database cannot eat the budget the WeChat call needs.
  const lookupBy = nowMs + Math.max(0, ctx.deadline - REPLY_RESERVE_MS - nowMs) / 3;
  const found =
    reuse && !known ? settleWithin(ctx.state.links.findLink(target, window.min, window.max, nowMs), lookupBy - nowMs, ctx.clock, null) : Promise.resolve(known);
  // A pacing lease on its way while the rest of stage 1 runs (wechat/pacing.ts).
  if (!known) ctx.wechat.pacing.prefetch();
  // Today's count falls back to the last one read when the database is slow (state/counters.ts).
  const generatedToday = known ? Promise.resolve(0) : ctx.links.generatedToday(nowMs);
  const denial = await refused;
  if (denial) return { failure: denial };
  const reusable = await found;
  if (reusable) {
    ctx.links.recent.remember(target, reusable);
    return { link: reusable, reused: true, warnings: expiry.warnings.filter((w) => w.code !== 'expiry.defaulted') };
  }
  if ((await generatedToday) >= ctx.settings.dailyCap) return { failure: dailyCapReached(ctx.settings.dailyCap), warnings: expiry.warnings };

  // 2. WeChat, once per target at a time in this instance: an identical request arriving
  //    meanwhile waits for this one and reuses its link.
  const key = `issue:${targetKey(target)}`;
  const pending = reuse ? (ctx.links.inflight.get(key) as Promise<StoredLink | null> | undefined) : undefined;
  if (pending) {
    const shared = await pending;
    if (shared && shared.expireTime >= window.min && shared.expireTime <= window.max) return { link: shared, reused: true, warnings: expiry.warnings };
  }
  const kind = LINK_KINDS[target.kind];
  const { kind: _kind, ...sent } = target;
  const call = ctx.wechat.call(kind.api, { ...kind.request(sent, expiry.call), ...request.extra }, { paced: true, deadline: ctx.deadline, record: ctx.record });
  const made = call.then((outcome): StoredLink | null => {
    const link = outcome.ok ? linkIn(kind, outcome.value) : null;
    return link ? { link, expireTime: expiry.expireTime, createTime: nowSeconds } : null;
  });
  if (reuse) {
    ctx.links.inflight.set(key, made);
    void made.finally(() => ctx.links.inflight.get(key) === made && ctx.links.inflight.delete(key));
  }
  const outcome = await call;
  if (!outcome.ok) return { failure: outcome.failure, warnings: expiry.warnings };
  const link = await made;
  if (!link) {
    const failure: Failure = {
      errcode: NO_OPENLINK,
      source: 'wechat',
      rule: kind.noLink.rule,
      hint: lookup(NO_OPENLINK).fix,
      message: { zh: kind.noLink.zh, en: kind.noLink.en },
    };
    return { failure, warnings: expiry.warnings };
  }

  // 3. Remember and count it. The link is the caller's whatever the database does: the count is
  //    kept in this instance and written (now, or on a later invocation) with its absolute value,
  //    and a slow database is waited for only until the time kept to reply, so the runtime never
  //    stops the function with a link in hand.
  ctx.links.recent.remember(target, link);
  ctx.state.counters.countGeneration(nowMs);
  const deadline = ctx.deadline - REPLY_RESERVE_MS;
  await settleWithin(
    Promise.all([ctx.state.links.saveLink(target, link), ctx.state.counters.flush(deadline)]),
    deadline - ctx.clock.now(),
    ctx.clock,
    undefined,
  );
  return { link, reused: false, warnings: expiry.warnings };
}

/** §5: the daily cap, met here before WeChat answers 44993; nothing is spent. */
function dailyCapReached(cap: number): Failure {
  return {
    errcode: 44993,
    source: 'genscheme',
    rule: 'quota.dailyCap',
    hint: lookup(44993).fix,
    message: {
      zh: `今天（北京时间）已生成 ${cap} 个链接，达到上限（GENSCHEME_DAILY_CAP，平台上限 50 万）；genScheme 没有调用微信。`,
      en: `${cap} links were generated today (China time), the cap (GENSCHEME_DAILY_CAP; the platform's is 500,000); genScheme did not call WeChat.`,
    },
  };
}
