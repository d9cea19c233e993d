/**
 * `generate` (the default action): an encrypted URL Scheme through urlscheme.generate
 * (platform-rules §1), with an optional custom parameter (§2) and the H5 jump page's URL.
 */
import type { GenerateReply } from '../../../../miniprogram/shared/contract';
import { checkCq } from '../../../../miniprogram/shared/checks';
import { appendCq, jumpPageUrlForTicket, ticketOf } from '../../../../miniprogram/shared/links';
import { NO_OPENLINK, lookup } from '../wechat/catalogue';
import { defineAction } from './action';
import { planExpiry } from './expiry';
import { expiryFields, jumpWxaField, optionalString } from './fields';
import { checkTarget } from './target';

export const generate = defineAction({
  name: 'generate',
  defaultAccess: { user: true, public: true },
  fields: () => ({ jumpWxa: jumpWxaField(), ...expiryFields(), cq: optionalString() }),

  async run(input, ctx) {
    const { names, clock } = ctx;
    // 1. The platform's rules, before any quota is spent.
    const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages);
    if ('failure' in checked) return checked;
    const { target } = checked;
    const cqFailure = input.cq === undefined ? null : checkCq(input.cq, names.shown('cq'));
    if (cqFailure) return { failure: cqFailure };
    const planned = planExpiry(input, names, Math.floor(clock.now() / 1000));
    if ('failure' in planned) return planned;
    const { expiry } = planned;

    // 2. The policy: may this caller have this link, and is it within its rate?
    const refused = ctx.permit({
      action: 'generate', path: target.path, envVersion: target.envVersion, days: expiry.days, daysField: expiry.field, queryLength: target.query.length,
      fields: { path: names.shown('jumpWxa.path'), envVersion: names.shown('jumpWxa.envVersion'), query: names.shown('jumpWxa.query') },
    });
    if (refused) return { failure: refused };

    // 3. WeChat.
    const outcome = await ctx.wechat.call('urlscheme.generate', { jumpWxa: target, ...expiry.call }, { paced: true, deadline: ctx.deadline, record: ctx.record });
    if (!outcome.ok) return { failure: outcome.failure, warnings: expiry.warnings };
    const openlink = (outcome.value as { openlink?: unknown } | undefined)?.openlink;
    const ticket = typeof openlink === 'string' ? ticketOf(openlink) : null;
    if (typeof openlink !== 'string' || !ticket) {
      // platform-rules §1: an empty answer comes back from the SDK as "success" without a link.
      return {
        failure: {
          errcode: NO_OPENLINK, source: 'wechat', rule: 'wechat.noOpenlink', hint: lookup(NO_OPENLINK).fix,
          message: { zh: '微信返回成功，但回复中没有有效的 openlink。', en: 'WeChat answered success, but the reply holds no valid openlink.' },
        },
        warnings: expiry.warnings,
      };
    }

    // 4. The reply.
    const reply: GenerateReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'generate',
      openlink: input.cq === undefined ? openlink : appendCq(openlink, input.cq),
      expireTime: expiry.expireTime,
      expireAt: new Date(expiry.expireTime * 1000).toISOString(),
      warnings: expiry.warnings,
      attempts: ctx.record.attempts,
    };
    if (ctx.settings.h5BaseUrl) reply.h5Url = jumpPageUrlForTicket(ctx.settings.h5BaseUrl, ticket, { cq: input.cq, path: target.path, query: target.query });
    return reply;
  },
});
