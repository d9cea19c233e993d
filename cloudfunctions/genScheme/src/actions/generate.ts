/**
 * `generate` (the default action): an encrypted URL Scheme through urlscheme.generate
 * (platform-rules §1), with an optional custom parameter (§2) and the H5 jump page's URL.
 * A live identical link made earlier is reused (no call, no quota), and today's generations
 * are counted against the daily cap (§5) in the shared state.
 */
import * as z from 'zod/mini';
import type { GenerateReply } from '../../../../miniprogram/shared/contract';
import { checkCq, formatUnix } from '../../../../miniprogram/shared/checks';
import type { Failure } from '../../../../miniprogram/shared/failure';
import { appendCq, jumpPageUrlForTicket, ticketOf } from '../../../../miniprogram/shared/links';
import type { StoredLink, Target as StoredTarget } from '../state';
import type { CallOutcome } from '../wechat/call';
import { NO_OPENLINK, lookup } from '../wechat/catalogue';
import { defineAction, type ActionContext } from './action';
import { planExpiry, type Expiry } from './expiry';
import { expiryFields, jumpWxaField, optionalString } from './fields';
import { reuseWindow, targetKey } from './reuse';
import { checkTarget } from './target';

export const generate = defineAction({
  name: 'generate',
  defaultAccess: { user: true, public: true },
  fields: () => ({ jumpWxa: jumpWxaField(), ...expiryFields(), cq: optionalString(), reuse: z.optional(z.boolean()) }),

  async run(input, ctx) {
    const { names, clock } = ctx;
    // 1. The platform's rules, before anything is spent.
    const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages);
    if ('failure' in checked) return checked;
    const { target } = checked;
    const cqFailure = input.cq === undefined ? null : checkCq(input.cq, names.shown('cq'));
    if (cqFailure) return { failure: cqFailure };
    const nowMs = clock.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const planned = planExpiry(input, names, nowSeconds);
    if ('failure' in planned) return planned;
    const { expiry } = planned;
    const stored: StoredTarget = { kind: 'scheme', ...target };
    const window = reuseWindow(expiry.expireTime, nowSeconds);
    const reuse = input.reuse !== false && ctx.settings.reuse;
    const known = reuse ? ctx.recentLinks.find(stored, window, nowSeconds) : null;

    // 2. The policy and the shared state, side by side (one round trip): the caller's rate, a
    //    live identical link, today's count, and (unless this instance already knows a link to
    //    reuse) a pacing slot for the call that may follow.
    const [refused, found, generatedToday, firstSlot] = [
      ctx.permit({
        action: 'generate', path: target.path, envVersion: target.envVersion, days: expiry.days, daysField: expiry.field, queryLength: target.query.length,
        fields: { path: names.shown('jumpWxa.path'), envVersion: names.shown('jumpWxa.envVersion'), query: names.shown('jumpWxa.query') },
      }),
      reuse && !known ? ctx.state.findLink(stored, window.min, window.max, nowMs) : Promise.resolve(known),
      known ? Promise.resolve(0) : ctx.generatedToday(nowMs),
      known ? undefined : ctx.wechat.pacingSlot(),
    ];
    const denial = await refused;
    if (denial) return { failure: denial };
    const reusable = await found;
    if (reusable) {
      ctx.recentLinks.remember(stored, reusable);
      return linkReply(reusable, expiry, input.cq, target, ctx, true);
    }
    if ((await generatedToday) >= ctx.settings.dailyCap) return { failure: dailyCapReached(ctx.settings.dailyCap), warnings: expiry.warnings };

    // 3. WeChat, once per target at a time in this instance: an identical request arriving
    //    meanwhile waits for this one and reuses its link.
    const key = `generate:${targetKey(stored)}`;
    const pending = reuse ? (ctx.inflight.get(key) as Promise<StoredLink | null> | undefined) : undefined;
    if (pending) {
      const shared = await pending;
      if (shared && shared.expireTime >= window.min && shared.expireTime <= window.max) return linkReply(shared, expiry, input.cq, target, ctx, true);
    }
    const call = ctx.wechat.call('urlscheme.generate', { jumpWxa: target, ...expiry.call }, { paced: true, firstSlot, deadline: ctx.deadline, record: ctx.record });
    const made = call.then((outcome) => issuedLink(outcome, expiry, nowSeconds));
    if (reuse) {
      ctx.inflight.set(key, made);
      void made.finally(() => ctx.inflight.get(key) === made && ctx.inflight.delete(key));
    }
    const outcome = await call;
    if (!outcome.ok) return { failure: outcome.failure, warnings: expiry.warnings };
    const link = await made;
    if (!link) return { failure: noOpenlink(), warnings: expiry.warnings };

    // 4. Remember and count it (one round trip; a failure there never loses the link), then reply.
    ctx.recentLinks.remember(stored, link);
    await Promise.all([ctx.state.saveLink(stored, link), ctx.state.countGeneration(nowMs)]);
    return linkReply(link, expiry, input.cq, target, ctx, false);
  },
});

/** The link WeChat issued, or null when its answer holds none (§1: an empty answer comes back as "success"). */
function issuedLink(outcome: CallOutcome, expiry: Expiry, nowSeconds: number): StoredLink | null {
  if (!outcome.ok) return null;
  const openlink = (outcome.value as { openlink?: unknown } | undefined)?.openlink;
  if (typeof openlink !== 'string' || !ticketOf(openlink)) return null;
  return { link: openlink, expireTime: expiry.expireTime, createTime: nowSeconds };
}

function linkReply(link: StoredLink, expiry: Expiry, cq: string | undefined, target: { path: string; query: string }, ctx: ActionContext, reused: boolean): GenerateReply {
  const reply: GenerateReply = {
    errcode: 0,
    errmsg: 'ok',
    action: 'generate',
    openlink: cq === undefined ? link.link : appendCq(link.link, cq),
    expireTime: link.expireTime,
    expireAt: new Date(link.expireTime * 1000).toISOString(),
    warnings: reused
      ? [
          ...expiry.warnings.filter((w) => w.code !== 'expiry.defaulted'),
          {
            code: 'link.reused',
            zh: `复用了一个相同目标、仍然有效的链接（${formatUnix(link.expireTime)} 失效），没有消耗生成次数；要新链接请传 reuse: false。`,
            en: `A live link to the same target was reused (it expires at ${formatUnix(link.expireTime)}); no generation was spent. Pass reuse: false for a new one.`,
          },
        ]
      : expiry.warnings,
    attempts: ctx.record.attempts,
  };
  if (reused) reply.reused = true;
  const ticket = ticketOf(link.link);
  if (ctx.settings.h5BaseUrl && ticket) reply.h5Url = jumpPageUrlForTicket(ctx.settings.h5BaseUrl, ticket, { cq, path: target.path, query: target.query });
  return reply;
}

function noOpenlink(): Failure {
  return {
    errcode: NO_OPENLINK, source: 'wechat', rule: 'wechat.noOpenlink', hint: lookup(NO_OPENLINK).fix,
    message: { zh: '微信返回成功，但回复中没有有效的 openlink。', en: 'WeChat answered success, but the reply holds no valid openlink.' },
  };
}

/** §5: the daily cap, met here before WeChat answers 44993; nothing is spent. */
function dailyCapReached(cap: number): Failure {
  return {
    errcode: 44993, source: 'genscheme', rule: 'quota.dailyCap', hint: lookup(44993).fix,
    message: {
      zh: `今天（北京时间）已生成 ${cap} 个链接，达到上限（GENSCHEME_DAILY_CAP，平台上限 50 万）；genScheme 没有调用微信。`,
      en: `${cap} links were generated today (China time), the cap (GENSCHEME_DAILY_CAP; the platform's is 500,000); genScheme did not call WeChat.`,
    },
  };
}
