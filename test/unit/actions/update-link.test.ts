/** updateLink (src/actions/update-link.ts): changes, target checks, cache forgotten. */
import { updateLink } from '../../../cloudfunctions/genScheme/src/actions/update-link';
import type { UpdateLinkReply } from '../../../miniprogram/shared/contract';
import { actionContext } from '../../support/genscheme';

const config = {
  code: 'camp',
  name: 'A',
  kind: 'scheme' as const,
  path: 'pages/index/index',
  query: '',
  envVersion: 'release',
  cq: '',
  disabled: false,
  createdAt: '',
};

describe('updateLink', () => {
  it('is for trusted callers only by default', () => expect(updateLink.defaultAccess).toEqual({ user: false, public: false }));

  it('renames, disables, and a new target drops the ticket', async () => {
    const { ctx } = actionContext();
    await ctx.state.stableLinks.createStableLink(config);
    await ctx.state.stableLinks.saveTicket('camp', 0, { link: 'weixin://dl/business/?t=T1', expireTime: 2e9, createTime: 1e9 });
    ctx.links.stable.put((await ctx.state.stableLinks.getStableLink('camp'))!, ctx.clock.now());
    const renamed = (await updateLink.run({ code: 'camp', name: 'B', disabled: true }, ctx)) as UpdateLinkReply;
    expect(renamed.link).toMatchObject({ name: 'B', disabled: true });
    expect(ctx.links.stable.get('camp', ctx.clock.now())).toBeUndefined();
    await updateLink.run({ code: 'camp', jumpWxa: { path: 'pages/product/detail', query: 'id=2' } }, ctx);
    expect(await ctx.state.stableLinks.getStableLink('camp')).toMatchObject({ path: 'pages/product/detail', query: 'id=2', ticket: null, revision: 1 });
  });

  it('refuses a bad target or cq, and an unknown code', async () => {
    const { ctx } = actionContext();
    await ctx.state.stableLinks.createStableLink(config);
    expect(((await updateLink.run({ code: 'camp', jumpWxa: { envVersion: 'beta' } }, ctx)) as { failure: { errcode: number } }).failure.errcode).toBe(85402);
    expect(((await updateLink.run({ code: 'camp', cq: 'gsl=1' }, ctx)) as { failure: { rule: string } }).failure.rule).toBe('link.cqMarker');
    expect(((await updateLink.run({ code: 'ghost', disabled: true }, ctx)) as { failure: { errcode: number } }).failure.errcode).toBe(-900030);
  });
});
