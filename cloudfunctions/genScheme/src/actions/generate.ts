/**
 * `generate` (the default action): an encrypted URL Scheme through urlscheme.generate
 * (platform-rules §1), with an optional custom parameter (§2) and the H5 jump page's URL.
 * A live identical link made earlier is reused (no call, no quota), and today's generations
 * are counted against the daily cap (§5) in the shared state.
 */
import type { GenerateReply } from '../../../../miniprogram/shared/contract';
import { checkCq } from '../../../../miniprogram/shared/checks';
import { jumpPageUrlForTicket } from '../../../../miniprogram/shared/links';
import { defineAction, type ActionContext } from './action';
import { planExpiry } from '../links/expiry';
import { expiryFields, jumpWxaField, optionalString } from '../event-fields';
import { issueLink, type Issued } from '../links/issue';
import { LINK_KINDS } from '../links/kinds';
import { reusedWarning } from '../links/reuse';
import { checkTarget } from '../links/target';

export const generate = defineAction({
  name: 'generate',
  defaultAccess: { user: true, public: true },
  fields: (z) => ({ jumpWxa: jumpWxaField(z), ...expiryFields(z), cq: optionalString(z), reuse: z.optional(z.boolean()) }),

  async run(input, ctx) {
    const { names, clock } = ctx;
    // 1. The platform's rules, before anything is spent.
    const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages);
    if ('failure' in checked) return checked;
    const { target } = checked;
    const cqFailure = input.cq === undefined ? null : checkCq(input.cq, names.shown('cq'));
    if (cqFailure) return { failure: cqFailure };
    const planned = planExpiry(input, names, Math.floor(clock.now() / 1000));
    if ('failure' in planned) return planned;
    const { expiry } = planned;
    const shownNames = { path: names.shown('jumpWxa.path'), envVersion: names.shown('jumpWxa.envVersion'), query: names.shown('jumpWxa.query') };

    // 2.–4. The policy, the shared state (reuse, daily cap) and WeChat: links/issue.ts.
    const issued = await issueLink(
      {
        target: { kind: 'scheme', ...target },
        expiry,
        reuse: input.reuse !== false && ctx.settings.reuse,
        ask: {
          action: 'generate',
          path: target.path,
          envVersion: target.envVersion,
          days: expiry.days,
          daysField: expiry.field,
          queryLength: target.query.length,
          fields: shownNames,
        },
      },
      ctx,
    );
    if ('failure' in issued) return issued;

    // 5. The reply.
    return linkReply(issued, input.cq, target, ctx);
  },
});

function linkReply(issued: Issued, cq: string | undefined, target: { path: string; query: string }, ctx: ActionContext): GenerateReply {
  const { link, reused } = issued;
  const scheme = LINK_KINDS.scheme;
  const reply: GenerateReply = {
    errcode: 0,
    errmsg: 'ok',
    action: 'generate',
    openlink: cq === undefined ? link.link : scheme.joinCq(link.link, cq),
    expireTime: link.expireTime,
    expireAt: new Date(link.expireTime * 1000).toISOString(),
    warnings: reused ? [...issued.warnings, reusedWarning(link.expireTime)] : issued.warnings,
    attempts: ctx.record.attempts,
  };
  if (reused) reply.reused = true;
  const ticket = scheme.ticketOf(link.link);
  if (ctx.settings.h5BaseUrl && ticket) reply.h5Url = jumpPageUrlForTicket(ctx.settings.h5BaseUrl, ticket, { cq, path: target.path, query: target.query });
  return reply;
}
