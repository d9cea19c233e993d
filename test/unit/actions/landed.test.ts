/** landed (src/actions/landed.ts): an open counted only for a marker of an existing link. */
import { landed } from '../../../cloudfunctions/genScheme/src/actions/landed';
import { actionContext, callers } from '../../support/genscheme';

const config = { code: 'camp', name: '', kind: 'scheme' as const, path: '', query: '', envVersion: 'release', cq: '', disabled: false, createdAt: '' };

describe('landed', () => {
  it('is for mini-program users by default', () => expect(landed.defaultAccess).toEqual({ user: true, public: false }));

  it('counts both marker forms, each user once a day among the openers; nothing without a marker', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.stableLinks.createStableLink(config);
    expect(await landed.run({ scene: 1065, query: { gsl: 'camp' } }, ctx)).toMatchObject({ counted: true, code: 'camp' });
    expect(await landed.run({ query: { cq: 'src%3Dsms%26gsl%3Dcamp' } }, ctx)).toMatchObject({ counted: true, code: 'camp' });
    expect(await landed.run({ query: { id: '1' } }, ctx)).toEqual({ errcode: 0, errmsg: 'ok', action: 'landed', counted: false, warnings: [] });
    expect(await landed.run({ query: { gsl: 'other' } }, ctx)).toMatchObject({ counted: false });
    expect(await landed.run({}, ctx)).toMatchObject({ counted: false });
    const [today] = await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 2, openers: 1 });
  });
});
