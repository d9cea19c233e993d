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
    expect(await landed.run({ scene: 1194, query: { cq: 'src%3Dsms%26gsl%3Dcamp' } }, ctx)).toMatchObject({ counted: false, code: 'camp', reason: 'session', warnings: [{ code: 'landed.session' }] });
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
