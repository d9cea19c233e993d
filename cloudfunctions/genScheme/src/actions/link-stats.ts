/**
 * `linkStats` (trusted): one row per China-time day (the platform's day), oldest first and today
 * last, with visits, opens and distinct openers. One database read for all the days.
 */
import type { LinkStatsReply } from '../../../../miniprogram/shared/contract';
import { inputFailure } from '../../../../miniprogram/shared/failure';
import { chinaDaysBack } from '../state/port';
import { INVALID_FIELD } from '../wechat/codes';
import { defineAction } from './action';
import { optionalNumber } from '../event-fields';
import { checkCode, isActionFailure, notFound, orUnavailable } from '../links/stable';

export const DEFAULT_STATS_DAYS = 14;
export const MAX_STATS_DAYS = 90;

export const linkStats = defineAction({
  name: 'linkStats',
  defaultAccess: { user: false, public: false },
  fields: (z) => ({ code: z.string(), days: optionalNumber(z) }),

  async run(input, ctx) {
    const bad = checkCode(input.code, ctx.names.shown('code'));
    if (bad) return { failure: bad };
    const days = input.days ?? DEFAULT_STATS_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_STATS_DAYS) {
      const field = ctx.names.shown('days');
      return {
        failure: inputFailure({
          errcode: INVALID_FIELD,
          field,
          rule: 'link.days',
          message: {
            zh: `${field} 为 ${days}，应为 1 到 ${MAX_STATS_DAYS} 的整数。`,
            en: `${field} is ${days}; it must be a whole number from 1 to ${MAX_STATS_DAYS}.`,
          },
          hint: { zh: `不填即 ${DEFAULT_STATS_DAYS} 天。`, en: `Leave it out for ${DEFAULT_STATS_DAYS} days.` },
        }),
      };
    }
    const denied = await ctx.permit({ action: 'linkStats' });
    if (denied) return { failure: denied };
    const code = input.code;
    const read = await orUnavailable(async () => {
      // This instance's own counts are written first (briefly), so what it counted shows whole.
      await ctx.state.counters.flush(Math.min(ctx.deadline - 1000, ctx.clock.now() + 1000));
      const record = await ctx.state.stableLinks.getStableLink(code);
      return record ? ctx.state.counters.stableLinkDays(code, chinaDaysBack(ctx.clock.now(), days)) : null;
    });
    if (isActionFailure(read)) return read;
    if (!read) return notFound(code);
    const reply: LinkStatsReply = { errcode: 0, errmsg: 'ok', action: 'linkStats', code, days: read, warnings: [] };
    return reply;
  },
});
