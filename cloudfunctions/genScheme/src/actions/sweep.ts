/**
 * `sweep` (trusted callers; meant for the timer trigger config.json declares): removes from the
 * shared state what no request needs any more (state/port.ts `sweep`): idle rate-limit windows,
 * expired links, the day-old records of who opened a stable link (folded into the day's count).
 * A part that fails is named in the reply, never reported ok. Nothing breaks if it never
 * runs; only the database grows.
 */
import type { SweepReply } from '../../../../miniprogram/shared/contract';
import { defineAction } from './action';
import { lookup } from '../wechat/catalogue';
import { STABLE_UNAVAILABLE } from '../wechat/codes';

export const sweep = defineAction({
  name: 'sweep',
  defaultAccess: { user: false, public: false },
  fields: () => ({}),

  async run(_input, ctx) {
    const refused = await ctx.permit({ action: 'sweep' });
    if (refused) return { failure: refused };
    const { failed } = await ctx.state.sweep(ctx.clock.now());
    if (failed.length) {
      return {
        failure: {
          errcode: STABLE_UNAVAILABLE,
          source: 'genscheme',
          rule: 'sweep.failed',
          retryAfterMs: 60_000,
          hint: lookup(STABLE_UNAVAILABLE).fix,
          message: {
            zh: `清理未完成：${failed.join('、')} 的删除失败（数据库不可用或太慢）；下次定时触发会再试。`,
            en: `The sweep did not finish: removing ${failed.join(', ')} failed (the database is unavailable or too slow); the next timer run tries again.`,
          },
        },
      };
    }
    const reply: SweepReply = { errcode: 0, errmsg: 'ok', action: 'sweep', warnings: [] };
    return reply;
  },
});
