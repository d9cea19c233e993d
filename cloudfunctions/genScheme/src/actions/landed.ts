/**
 * `landed` (mini-program users): the page's onLoad options. An open is counted only when it means
 * one (README "Stable links"): the scene is a link's or a 小程序码's (OPEN_SCENES, platform-rules
 * §9, §12), the options carry a stable link's marker (either form; stableLinkCodeIn in links.ts)
 * naming an enabled link, and this user's last counted open of that link is more than
 * OPEN_SESSION_MS old — one shared sliding window per user and link, so it holds across instances.
 * The user joins that day's distinct openers by its OPENID's hash, HMAC'd again before it is stored.
 * Otherwise nothing is stored, and the reply says why (`reason`, and a warning in words).
 * A scanned 小程序码 (scene 1047/1048/1049, platform-rules §12) names its link in `query.scene`
 * (`l%3DCODE`): it is counted under the same rules and answers the link's current target, read
 * fresh so a printed code follows updateLink at once; an unknown or disabled link is an error the
 * router page shows.
 */
import type { LandedNotCounted, LandedReply } from '../../../../miniprogram/shared/contract';
import { stableLinkCodeIn, stableLinkCodeInScene } from '../../../../miniprogram/shared/stable-links';
import { OPEN_SCENES, WXACODE_SCENES } from '../../../../miniprogram/shared/platform';
import { callerKey } from '../access/caller';
import { defineAction } from './action';
import { optionalNumber } from '../event-fields';
import { disabled, isActionFailure, notFound, orUnavailable, readLink } from '../links/stable';

/** One user's reports of one link within this long are one open (a session). */
export const OPEN_SESSION_MS = 30 * 60_000;

const NOT_COUNTED: Record<LandedNotCounted, { zh: string; en: string }> = {
  scene: {
    zh: `场景值不是链接或小程序码打开的（${OPEN_SCENES.join('、')}），不计打开。`,
    en: `The scene is not one a link or 小程序码 opens with (${OPEN_SCENES.join(', ')}): no open counted.`,
  },
  'no-marker': { zh: '页面参数中没有稳定链接的标记，不计打开。', en: "The page's options carry no stable link's marker: no open counted." },
  'no-link': { zh: '标记指向的稳定链接不存在，不计打开。', en: 'The marker names no stable link: no open counted.' },
  disabled: { zh: '该稳定链接已停用，停用的链接不计打开。', en: 'The stable link is disabled: a disabled link counts no opens.' },
  session: {
    zh: `同一用户 ${OPEN_SESSION_MS / 60_000} 分钟内对同一链接的多次上报只计一次打开。`,
    en: `One user's reports of one link within ${OPEN_SESSION_MS / 60_000} minutes count as one open.`,
  },
};

export const landed = defineAction({
  name: 'landed',
  defaultAccess: { user: true, public: false },
  fields: (z) => ({ scene: optionalNumber(z), query: z.optional(z.looseObject({})) }),

  async run(input, ctx) {
    const denied = await ctx.permit({ action: 'landed' });
    if (denied) return { failure: denied };
    const base: LandedReply = { errcode: 0, errmsg: 'ok', action: 'landed', counted: false, warnings: [] };
    const none = (reason: LandedNotCounted, code?: string): LandedReply => ({
      ...base,
      ...(code ? { code } : {}),
      reason,
      warnings: [{ code: `landed.${reason}`, ...NOT_COUNTED[reason] }],
    });
    /** One open of `code`, unless this user's last counted one is within OPEN_SESSION_MS: true = counted. */
    const openOnce = async (code: string): Promise<boolean> => {
      const session = { key: `open:${code}:${ctx.caller.openidHash ?? callerKey(ctx.caller)}`, limit: 1, windowMs: OPEN_SESSION_MS };
      if (!(await ctx.state.limits.admit(session, ctx.clock.now())).ok) return false;
      ctx.state.counters.countOpen(code, ctx.caller.openidHash, ctx.clock.now());
      return true;
    };
    if (input.scene === undefined || !OPEN_SCENES.includes(input.scene)) return none('scene');
    const scanned = WXACODE_SCENES.includes(input.scene) ? stableLinkCodeInScene(input.query?.scene) : null;
    if (scanned) {
      const link = await orUnavailable(() => ctx.state.stableLinks.getStableLink(scanned));
      if (isActionFailure(link)) return link;
      if (!link) return notFound(scanned);
      if (link.disabled) return disabled(scanned);
      const target = { path: link.path, query: link.query };
      return (await openOnce(scanned)) ? { ...base, counted: true, code: scanned, ...target } : { ...none('session', scanned), ...target };
    }
    const code = stableLinkCodeIn(input.query as Record<string, unknown> | undefined);
    if (!code) return none('no-marker');
    const record = await orUnavailable(() => readLink(code, ctx.links.stable, (c) => ctx.state.stableLinks.getStableLink(c), ctx.clock.now()));
    if (isActionFailure(record)) return record;
    if (!record) return none('no-link');
    if (record.disabled) return none('disabled', code);
    return (await openOnce(code)) ? { ...base, counted: true, code } : none('session', code);
  },
});
