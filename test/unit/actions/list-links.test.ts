/** listLinks and linkStats (src/actions/list-links.ts, link-stats.ts). */
import { linkStats } from '../../../cloudfunctions/genScheme/src/actions/link-stats';
import { listLinks } from '../../../cloudfunctions/genScheme/src/actions/list-links';
import type { LinkStatsReply, ListLinksReply } from '../../../miniprogram/shared/contract';
import { actionContext } from '../../support/genscheme';

const config = (code: string) => ({
  code,
  name: '',
  kind: 'scheme' as const,
  path: '',
  query: '',
  envVersion: 'release',
  cq: '',
  disabled: false,
  createdAt: '',
});

describe('listLinks and linkStats', () => {
  it('are for trusted callers only by default', () => {
    expect(listLinks.defaultAccess).toEqual({ user: false, public: false });
    expect(linkStats.defaultAccess).toEqual({ user: false, public: false });
  });

  it('list every link with totals; stats one row per China day, oldest first', async () => {
    const { ctx, clock } = actionContext({ settings: { h5BaseUrl: 'https://m.example.com/j.html' } });
    await ctx.state.stableLinks.createStableLink(config('bbb'));
    await ctx.state.stableLinks.createStableLink(config('aaa'));
    ctx.state.counters.countVisit('aaa', clock.now() - 86_400_000);
    ctx.state.counters.countVisit('aaa', clock.now());
    ctx.state.counters.countOpen('aaa', 'u', clock.now());
    const list = (await listLinks.run({}, ctx)) as ListLinksReply;
    expect(list.links.map((l) => [l.code, l.visits, l.opens, l.url])).toEqual([
      ['aaa', 2, 1, 'https://m.example.com/j.html?l=aaa'],
      ['bbb', 0, 0, 'https://m.example.com/j.html?l=bbb'],
    ]);
    const stats = (await linkStats.run({ code: 'aaa', days: 3 }, ctx)) as LinkStatsReply;
    expect(stats.days.map((d) => d.visits)).toEqual([0, 1, 1]);
    expect(stats.days[2]).toMatchObject({ opens: 1, openers: 1 });
    // Left out, days is 14: the two counted days are the last two of them.
    const byDefault = (await linkStats.run({ code: 'aaa' }, ctx)) as LinkStatsReply;
    expect(byDefault.days).toHaveLength(14);
    expect(byDefault.days.map((d) => d.visits)).toEqual([...Array(12).fill(0), 1, 1]);
    expect(((await linkStats.run({ code: 'aaa', days: 0 }, ctx)) as { failure: { rule: string } }).failure.rule).toBe('link.days');
    expect(((await linkStats.run({ code: 'zzz' }, ctx)) as { failure: { errcode: number } }).failure.errcode).toBe(-900030);
  });
});
