/**
 * `landed` (mini-program users): the page's onLoad options. When they carry a stable link's
 * marker (either form, platform-rules §9; stableLinkCodeIn in links.ts), one open is counted and
 * the user joins that day's distinct openers — by its OPENID's hash, HMAC'd again before it is
 * stored. No marker, or a code that names no link: nothing is stored.
 */
import type { LandedReply } from '../../../../miniprogram/shared/contract';
import { stableLinkCodeIn } from '../../../../miniprogram/shared/links';
import { defineAction } from './action';
import { optionalNumber } from '../event-fields';
import { isActionFailure, orUnavailable, readLink } from '../links/stable';

export const landed = defineAction({
  name: 'landed',
  defaultAccess: { user: true, public: false },
  fields: (z) => ({ scene: optionalNumber(z), query: z.optional(z.looseObject({})) }),

  async run(input, ctx) {
    const denied = await ctx.permit({ action: 'landed' });
    if (denied) return { failure: denied };
    const none: LandedReply = { errcode: 0, errmsg: 'ok', action: 'landed', counted: false, warnings: [] };
    const code = stableLinkCodeIn(input.query as Record<string, unknown> | undefined);
    if (!code) return none;
    const record = await orUnavailable(() => readLink(code, ctx.stableLinks, (c) => ctx.state.stableLinks.getStableLink(c), ctx.clock.now()));
    if (isActionFailure(record)) return record;
    if (!record) return none;
    ctx.state.counters.countOpen(code, ctx.caller.openidHash, ctx.clock.now());
    return { ...none, counted: true, code };
  },
});
