/**
 * `landed` (mini-program users): the page's onLoad options. When they carry a stable link's
 * marker (either form, platform-rules §9; stableLinkCodeIn in links.ts), one open is counted and
 * the user joins that day's distinct openers — by its OPENID's hash, HMAC'd again before it is
 * stored. No marker, or a code that names no link: nothing is stored.
 * A scanned 小程序码 (scene 1047/1048/1049, platform-rules §12) names its link in `query.scene`
 * (`l%3DCODE`): one open is counted and the link's current target answered, read fresh so a
 * printed code follows updateLink at once; an unknown or disabled link is an error the router
 * page shows.
 */
import type { LandedReply } from '../../../../miniprogram/shared/contract';
import { stableLinkCodeIn, stableLinkCodeInScene } from '../../../../miniprogram/shared/links';
import { WXACODE_SCENES } from '../../../../miniprogram/shared/platform';
import { defineAction } from './action';
import { optionalNumber } from '../event-fields';
import { disabled, isActionFailure, notFound, orUnavailable, readLink } from '../links/stable';

export const landed = defineAction({
  name: 'landed',
  defaultAccess: { user: true, public: false },
  fields: (z) => ({ scene: optionalNumber(z), query: z.optional(z.looseObject({})) }),

  async run(input, ctx) {
    const denied = await ctx.permit({ action: 'landed' });
    if (denied) return { failure: denied };
    const none: LandedReply = { errcode: 0, errmsg: 'ok', action: 'landed', counted: false, warnings: [] };
    const scanned = input.scene !== undefined && WXACODE_SCENES.includes(input.scene) ? stableLinkCodeInScene(input.query?.scene) : null;
    if (scanned) {
      const link = await orUnavailable(() => ctx.state.getStableLink(scanned));
      if (isActionFailure(link)) return link;
      if (!link) return notFound(scanned);
      if (link.disabled) return disabled(scanned);
      const counted = await ctx.state.countOpen(scanned, ctx.caller.openidHash, ctx.clock.now());
      return { ...none, counted, code: scanned, path: link.path, query: link.query };
    }
    const code = stableLinkCodeIn(input.query as Record<string, unknown> | undefined);
    if (!code) return none;
    const record = await orUnavailable(() => readLink(code, ctx.stableLinks, (c) => ctx.state.getStableLink(c), ctx.clock.now()));
    if (isActionFailure(record)) return record;
    if (!record) return none;
    const counted = await ctx.state.countOpen(code, ctx.caller.openidHash, ctx.clock.now());
    return { ...none, counted, code };
  },
});
