/** landed (src/actions/landed.ts): an open counted only for a marker of an existing link. */
import { landed } from '../../../cloudfunctions/genScheme/src/actions/landed';
import { actionContext, callers } from '../../support/genscheme';

const config = { code: 'camp', name: '', kind: 'scheme' as const, path: '', query: '', envVersion: 'release', cq: '', disabled: false, createdAt: '' };

describe('landed', () => {
  it('is for mini-program users by default', () => expect(landed.defaultAccess).toEqual({ user: true, public: false }));

  it('counts both marker forms, each user once a day among the openers; nothing without a marker', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.createStableLink(config);
    expect(await landed.run({ scene: 1065, query: { gsl: 'camp' } }, ctx)).toMatchObject({ counted: true, code: 'camp' });
    expect(await landed.run({ query: { cq: 'src%3Dsms%26gsl%3Dcamp' } }, ctx)).toMatchObject({ counted: true, code: 'camp' });
    expect(await landed.run({ query: { id: '1' } }, ctx)).toEqual({ errcode: 0, errmsg: 'ok', action: 'landed', counted: false, warnings: [] });
    expect(await landed.run({ query: { gsl: 'other' } }, ctx)).toMatchObject({ counted: false });
    expect(await landed.run({}, ctx)).toMatchObject({ counted: false });
    const [today] = await ctx.state.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 2, openers: 1 });
  });
});

describe('landed from a scanned 小程序码 (scenes 1047/1048/1049, platform-rules §12)', () => {
  it("decodes options.scene (l%3DCODE), counts one open and answers the link's current target", async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.createStableLink({ ...config, path: 'pages/product/detail', query: 'id=42' });
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dcamp' } }, ctx)).toEqual({ errcode: 0, errmsg: 'ok', action: 'landed', counted: true, code: 'camp', path: 'pages/product/detail', query: 'id=42', warnings: [] });
    await ctx.state.updateStableLink('camp', { path: 'pages/order/list', query: 'status=paid' });
    // Read fresh: the new target at once, though the link was read a moment ago.
    expect(await landed.run({ scene: 1048, query: { scene: 'l=camp' } }, ctx)).toMatchObject({ counted: true, path: 'pages/order/list', query: 'status=paid' });
    expect(await landed.run({ scene: 1049, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ counted: true });
    const [today] = await ctx.state.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 3, openers: 1 });
  });

  it('an unknown or disabled code is an error; a scene that names no link, or another scene value, is an ordinary landed', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.createStableLink(config);
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dnope' } }, ctx)).toMatchObject({ failure: { errcode: -900030, rule: 'link.notFound' } });
    await ctx.state.updateStableLink('camp', { disabled: true });
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ failure: { errcode: -900031, rule: 'link.disabled' } });
    expect(await landed.run({ scene: 1047, query: { scene: 'x%3D1' } }, ctx)).toMatchObject({ counted: false });
    expect(await landed.run({ scene: 1001, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ counted: false });
    const [today] = await ctx.state.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 0 });
  });
});
