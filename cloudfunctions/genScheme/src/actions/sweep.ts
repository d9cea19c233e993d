/**
 * `sweep` (trusted callers; meant for the timer trigger config.json declares): removes from the
 * shared state what no request needs any more (state/port.ts `sweep`): idle rate-limit windows,
 * expired links, the day-old records of who opened a stable link. Nothing breaks if it never
 * runs; only the database grows.
 */
import type { SweepReply } from '../../../../miniprogram/shared/contract';
import { defineAction } from './action';

export const sweep = defineAction({
  name: 'sweep',
  defaultAccess: { user: false, public: false },
  fields: () => ({}),

  async run(_input, ctx) {
    const refused = await ctx.permit({ action: 'sweep' });
    if (refused) return { failure: refused };
    await ctx.state.sweep(ctx.clock.now());
    const reply: SweepReply = { errcode: 0, errmsg: 'ok', action: 'sweep', warnings: [] };
    return reply;
  },
});
