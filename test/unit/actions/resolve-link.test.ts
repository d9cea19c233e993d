/** resolveLink (src/actions/resolve-link.ts, renew.ts) with a fake context and WeChat. */
import { resolveLink } from '../../../cloudfunctions/genScheme/src/actions/resolve-link';
import { CLAIM_MS } from '../../../cloudfunctions/genScheme/src/links/renew';
import type { StableLinkConfig } from '../../../cloudfunctions/genScheme/src/state';
import type { ResolveLinkReply } from '../../../miniprogram/shared/contract';
import { actionContext, callers, NOW_S } from '../../support/genscheme';

const DAY = 86_400;
const ok = (t: string) => ({ ok: true as const, value: { openlink: `weixin://dl/business/?t=${t}` } });
const config: StableLinkConfig = {
  code: 'camp',
  name: '',
  kind: 'scheme',
  path: 'pages/index/index',
  query: 'a=1',
  envVersion: 'release',
  cq: 'src=sms',
  disabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

async function withLink(opts: Parameters<typeof actionContext>[0] = {}, extra: Partial<StableLinkConfig> = {}) {
  const made = actionContext({ caller: callers.public, ...opts });
  await made.ctx.state.stableLinks.createStableLink({ ...config, ...extra });
  return made;
}
const resolve = (ctx: Parameters<typeof resolveLink.run>[1], code = 'camp') => resolveLink.run({ code }, ctx);

describe('resolveLink', () => {
  it('is open to everyone by default', () => expect(resolveLink.defaultAccess).toEqual({ user: true, public: true }));

  it('the first visit makes a 30-day ticket; later visits share it; the cq carries the marker', async () => {
    const { ctx, calls } = await withLink({ outcomes: [ok('T1'), ok('T2')] });
    const first = (await resolve(ctx)) as ResolveLinkReply;
    expect(first).toMatchObject({
      errcode: 0,
      code: 'camp',
      kind: 'scheme',
      reused: false,
      path: 'pages/index/index',
      query: 'a=1',
      expireTime: NOW_S + 30 * DAY,
    });
    expect(first.openlink).toBe('weixin://dl/business/?t=T1&cq=src%3Dsms%26gsl%3Dcamp');
    expect(calls[0]).toMatchObject({
      api: 'urlscheme.generate',
      request: { jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'release' }, expireType: 1, expireInterval: 30 },
    });
    const again = (await resolve(ctx)) as ResolveLinkReply;
    expect(again).toMatchObject({ openlink: first.openlink, reused: true });
    expect(calls).toHaveLength(1);
    expect((await ctx.state.counters.stableLinkDays('camp', ['2026-05-29']))[0].visits).toBeGreaterThanOrEqual(0);
  });

  it('visitors arriving together on one instance share one renewal', async () => {
    const { ctx, calls } = await withLink({ outcomes: [ok('T1'), ok('T2')] });
    const replies = (await Promise.all(Array.from({ length: 5 }, () => resolve(ctx)))) as ResolveLinkReply[];
    expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('renews only inside the renewal window (last 5 % of the lifetime)', async () => {
    const { ctx, calls, clock } = await withLink({ outcomes: [ok('T1'), ok('T2')] });
    await resolve(ctx);
    clock.ms += 28 * DAY * 1000; // 2 days left of 30: outside the last 1.5 days
    expect(((await resolve(ctx)) as ResolveLinkReply).reused).toBe(true);
    clock.ms += 1 * DAY * 1000; // 1 day left: inside
    const renewed = (await resolve(ctx)) as ResolveLinkReply;
    expect(renewed).toMatchObject({ reused: false });
    expect(renewed.openlink).toContain('t=T2');
    expect(calls).toHaveLength(2);
  });

  it('while another instance holds the claim: the old ticket if still valid, else waits for the new one', async () => {
    const { ctx, calls, clock } = await withLink();
    await ctx.state.stableLinks.claimRenewal('camp', clock.now(), CLAIM_MS); // "another instance"
    const saving = (async () => {
      await new Promise((r) => setTimeout(r, 5));
      await ctx.state.stableLinks.saveTicket('camp', 0, { link: 'weixin://dl/business/?t=FromOther', expireTime: NOW_S + 30 * DAY, createTime: NOW_S });
    })();
    // The fake clock's sleep returns at once: give the "other instance" a real moment each step.
    ctx.clock.sleep = async (ms: number) => {
      clock.ms += ms;
      await new Promise((r) => setTimeout(r, 2));
    };
    const reply = (await resolve(ctx)) as ResolveLinkReply;
    await saving;
    expect(reply).toMatchObject({ errcode: 0, reused: true });
    expect(reply.openlink).toContain('t=FromOther');
    expect(calls).toHaveLength(0);
  });

  it('gives up with a retryable -900032 when the other renewal never comes', async () => {
    const { ctx, calls, clock } = await withLink();
    await ctx.state.stableLinks.claimRenewal('camp', clock.now(), CLAIM_MS);
    const reply = (await resolve(ctx)) as { failure: { errcode: number; rule: string } };
    expect(reply.failure).toMatchObject({ errcode: -900032, rule: 'link.renewing' });
    expect(calls).toHaveLength(0);
  });

  it('unknown, disabled and malformed codes: no WeChat call', async () => {
    const { ctx, calls } = await withLink({}, { disabled: false });
    await ctx.state.stableLinks.createStableLink({ ...config, code: 'off', disabled: true });
    expect(((await resolve(ctx, 'nope')) as { failure: { errcode: number } }).failure.errcode).toBe(-900030);
    expect(((await resolve(ctx, 'off')) as { failure: { errcode: number } }).failure.errcode).toBe(-900031);
    expect(((await resolve(ctx, '!')) as { failure: { rule: string } }).failure.rule).toBe('link.code');
    expect(calls).toHaveLength(0);
  });

  it('limits per visitor (not for trusted callers) and overall per minute', async () => {
    const { ctx } = await withLink({ settings: { resolvePerVisitorPerMinute: 2, resolvePerMinute: 3 }, outcomes: [ok('T1')] });
    expect(((await resolve(ctx)) as ResolveLinkReply).errcode).toBe(0);
    expect(((await resolve(ctx)) as ResolveLinkReply).errcode).toBe(0);
    expect(((await resolve(ctx)) as { failure: { rule: string } }).failure.rule).toBe('policy.resolve-visitor');
    ctx.caller = callers.trusted;
    expect(((await resolve(ctx)) as ResolveLinkReply).errcode).toBe(0); // 3 a minute overall: the 3rd
    expect(((await resolve(ctx)) as { failure: { rule: string } }).failure.rule).toBe('policy.resolve-overall');
  });

  it('a kind "urllink" link gives a URL Link with ?cq=', async () => {
    const { ctx, calls } = await withLink({ outcomes: [{ ok: true, value: { urlLink: 'https://wxaurl.cn/UrlT1' } }] }, { kind: 'urllink', cq: '' });
    const reply = (await resolve(ctx)) as ResolveLinkReply;
    expect(reply.urlLink).toBe('https://wxaurl.cn/UrlT1?cq=gsl%3Dcamp');
    expect(calls[0]).toMatchObject({
      api: 'urllink.generate',
      request: { path: 'pages/index/index', query: 'a=1', envVersion: 'release', expireInterval: 30 },
    });
  });
});
