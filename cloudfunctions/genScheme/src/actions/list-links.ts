/** `listLinks` (trusted): every stable link, by code, with its visits and opens of all days. */
import type { ListLinksReply } from '../../../../miniprogram/shared/contract';
import { defineAction } from './action';
import { isActionFailure, orUnavailable, toStableLink } from '../links/stable';

export const listLinks = defineAction({
  name: 'listLinks',
  defaultAccess: { user: false, public: false },
  fields: () => ({}),

  async run(_input, ctx) {
    const denied = await ctx.permit({ action: 'listLinks' });
    if (denied) return { failure: denied };
    // This instance's own counts are written first (briefly), so what it counted shows whole.
    await ctx.state.counters.flush(Math.min(ctx.deadline - 1000, ctx.clock.now() + 1000));
    const read = await orUnavailable(() => Promise.all([ctx.state.stableLinks.listStableLinks(), ctx.state.counters.stableLinkTotals()]));
    if (isActionFailure(read)) return read;
    const [records, totals] = read;
    const reply: ListLinksReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'listLinks',
      warnings: [],
      links: records.map((r) => ({ ...toStableLink(r, ctx.settings), visits: totals.get(r.code)?.visits ?? 0, opens: totals.get(r.code)?.opens ?? 0 })),
    };
    return reply;
  },
});
