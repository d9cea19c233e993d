/** landed (src/actions/landed.ts): an open counted only when it means one. */
import { OPEN_SESSION_MS, landed } from '../../../cloudfunctions/genScheme/src/actions/landed';
import { OPEN_SCENES } from '../../../miniprogram/shared/platform';
import { actionContext, callers } from '../../support/genscheme';

const config = { code: 'camp', name: '', kind: 'scheme' as const, path: '', query: '', envVersion: 'release', cq: '', disabled: false, createdAt: '' };

describe('landed', () => {
  it('is for mini-program users by default', () => expect(landed.defaultAccess).toEqual({ user: true, public: false }));

  it('counts the scenes of a link (§9) and of a 小程序码 (§12), and no other', () => {
    expect([...OPEN_SCENES].sort()).toEqual([1047, 1048, 1049, 1065, 1167, 1194, 1286]);
  });

  it('counts both marker forms, but one user reporting one link within 30 minutes is one open', async () => {
    const { ctx, clock } = actionContext({ caller: callers.user });
    await ctx.state.stableLinks.createStableLink(config);
    expect(await landed.run({ scene: 1065, query: { gsl: 'camp' } }, ctx)).toMatchObject({ counted: true, code: 'camp' });
    expect(await landed.run({ scene: 1194, query: { cq: 'src%3Dsms%26gsl%3Dcamp' } }, ctx)).toMatchObject({
      counted: false,
      code: 'camp',
      reason: 'session',
      warnings: [{ code: 'landed.session' }],
    });
    clock.advance(OPEN_SESSION_MS - 1);
    expect(await landed.run({ scene: 1047, query: { gsl: 'camp' } }, ctx)).toMatchObject({ counted: false, reason: 'session' });
    clock.advance(1);
    expect(await landed.run({ scene: 1048, query: { gsl: 'camp' } }, ctx)).toMatchObject({ counted: true });
    const [today] = await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 2, openers: 1 });
  });

  it('says why nothing was counted: another scene, no marker, no link, a disabled link', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.stableLinks.createStableLink(config);
    await ctx.state.stableLinks.createStableLink({ ...config, code: 'off', disabled: true });
    const reasons: Array<[object, string]> = [
      [{ scene: 1001, query: { gsl: 'camp' } }, 'scene'],
      [{ query: { gsl: 'camp' } }, 'scene'],
      [{ scene: 1065, query: { id: '1' } }, 'no-marker'],
      [{ scene: 1065 }, 'no-marker'],
      [{ scene: 1065, query: { gsl: 'other' } }, 'no-link'],
      [{ scene: 1065, query: { gsl: 'off' } }, 'disabled'],
    ];
    for (const [input, reason] of reasons) {
      const reply = await landed.run(input, ctx);
      expect(reply).toMatchObject({ errcode: 0, counted: false, reason });
      const [warning] = (reply as { warnings: Array<{ code: string; zh: string; en: string }> }).warnings;
      expect(warning.code).toBe(`landed.${reason}`);
      expect(warning.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(warning.en).toMatch(/no open|count/i);
    }
    const days = await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']);
    expect(days[0]).toMatchObject({ opens: 0, openers: 0 });
    expect((await ctx.state.counters.stableLinkDays('off', ['2026-05-29']))[0]).toMatchObject({ opens: 0 });
  });
});

describe('landed from a scanned 小程序码 (scenes 1047/1048/1049, platform-rules §12)', () => {
  it("decodes options.scene (l%3DCODE), counts one open and answers the link's current target", async () => {
    const { ctx, clock } = actionContext({ caller: callers.user });
    await ctx.state.stableLinks.createStableLink({ ...config, path: 'pages/product/detail', query: 'id=42' });
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dcamp' } }, ctx)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      action: 'landed',
      counted: true,
      code: 'camp',
      path: 'pages/product/detail',
      query: 'id=42',
      warnings: [],
    });
    await ctx.state.stableLinks.updateStableLink('camp', { path: 'pages/order/list', query: 'status=paid' });
    // Read fresh: the new target at once, though the link was read a moment ago.
    // Within the user's 30-minute session: not another open, but the new target.
    expect(await landed.run({ scene: 1048, query: { scene: 'l=camp' } }, ctx)).toMatchObject({
      counted: false,
      reason: 'session',
      path: 'pages/order/list',
      query: 'status=paid',
    });
    clock.advance(OPEN_SESSION_MS);
    expect(await landed.run({ scene: 1049, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ counted: true });
    const [today] = await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 2, openers: 1 });
  });

  it('an unknown or disabled code is an error; a scene that names no link, or another scene value, is an ordinary landed', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    await ctx.state.stableLinks.createStableLink(config);
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dnope' } }, ctx)).toMatchObject({ failure: { errcode: -900030, rule: 'link.notFound' } });
    await ctx.state.stableLinks.updateStableLink('camp', { disabled: true });
    expect(await landed.run({ scene: 1047, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ failure: { errcode: -900031, rule: 'link.disabled' } });
    expect(await landed.run({ scene: 1047, query: { scene: 'x%3D1' } }, ctx)).toMatchObject({ counted: false });
    expect(await landed.run({ scene: 1001, query: { scene: 'l%3Dcamp' } }, ctx)).toMatchObject({ counted: false });
    const [today] = await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']);
    expect(today).toMatchObject({ opens: 0 });
  });
});
