/**
 * `quota`: today's remaining visit quota, through urlscheme.query with query_type 1 (platform-rules §4),
 * and today's generations against the daily cap (§5), from the shared state.
 */
import type { QuotaReply } from '../../../../miniprogram/shared/contract';
import { lookup } from '../wechat/catalogue';
import { NO_OPENLINK } from '../wechat/codes';
import { defineAction } from './action';
import { toNumber } from '../wechat/numbers';

export const quota = defineAction({
  name: 'quota',
  defaultAccess: { user: true, public: false },
  fields: () => ({}),

  async run(_input, ctx) {
    const refused = await ctx.permit({ action: 'quota' });
    if (refused) return { failure: refused };
    // The visit quota from WeChat and today's generations from the shared state, side by side.
    const [outcome, generatedToday] = await Promise.all([
      ctx.wechat.call('urlscheme.query', { queryType: 1 }, { paced: false, deadline: ctx.deadline, record: ctx.record }),
      ctx.state.counters.generatedToday(ctx.clock.now()),
    ]);
    if (!outcome.ok) return outcome;
    const remain = toNumber((outcome.value as { quotaInfo?: { remainVisitQuota?: unknown } } | undefined)?.quotaInfo?.remainVisitQuota);
    if (!Number.isFinite(remain)) {
      return {
        failure: {
          errcode: NO_OPENLINK,
          source: 'wechat',
          rule: 'wechat.noQuota',
          hint: lookup(NO_OPENLINK).fix,
          message: { zh: '微信的回复中没有剩余次数。', en: "WeChat's reply holds no remaining quota." },
        },
      };
    }
    const reply: QuotaReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'quota',
      remainVisitQuota: remain,
      generatedToday,
      generateRemaining: Math.max(0, ctx.settings.dailyCap - generatedToday),
      warnings: [],
      attempts: ctx.record.attempts,
    };
    return reply;
  },
});
