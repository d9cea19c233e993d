/** The generate action alone (src/actions/generate.ts), with a hand-made ActionContext and a fake WeChat.call. */
import { generate } from '../../../cloudfunctions/genScheme/src/actions/generate';
import { NO_OPENLINK, POLICY_DENIED } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import type { GenerateReply } from '../../../miniprogram/shared/contract';
import type { Failure } from '../../../miniprogram/shared/failure';
import { NOW_S, actionContext } from '../../support/genscheme';

const DAY = 86_400;
const ok = (...args: [unknown?]) => ({ ok: true as const, value: { openlink: args.length ? args[0] : 'weixin://dl/business/?t=T1' } });
const denied: Failure = { errcode: POLICY_DENIED, source: 'policy', rule: 'policy.page', message: { zh: '否', en: 'no' }, hint: { zh: '改', en: 'change' } };

describe('generate action', () => {
  it('checks, asks the policy with what it will send, calls urlscheme.generate paced within the deadline, and replies', async () => {
    const { ctx, calls, asks } = actionContext({ outcomes: [ok()] });
    const reply = (await generate.run({ jumpWxa: { path: '/pages/index/index', query: 'a=1', envVersion: 'trial' }, expireInterval: 7 }, ctx)) as GenerateReply;
    expect(reply).toEqual({
      errcode: 0,
      errmsg: 'ok',
      action: 'generate',
      openlink: 'weixin://dl/business/?t=T1',
      expireTime: NOW_S + 7 * DAY,
      expireAt: new Date((NOW_S + 7 * DAY) * 1000).toISOString(),
      warnings: [],
      attempts: 1,
    });
    expect(asks).toEqual([
      {
        action: 'generate',
        path: 'pages/index/index',
        envVersion: 'trial',
        days: 7,
        daysField: 'expireInterval',
        queryLength: 3,
        fields: { path: 'jumpWxa.path', envVersion: 'jumpWxa.envVersion', query: 'jumpWxa.query' },
      },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      api: 'urlscheme.generate',
      request: { jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 1, expireInterval: 7 },
      options: { paced: true, deadline: ctx.deadline, record: ctx.record },
    });
  });

  it('a broken platform rule costs neither a policy slot nor a call', async () => {
    const { ctx, calls, permit } = actionContext();
    for (const input of [{ jumpWxa: { path: 'pages/nope' } }, { cq: 'a b' }, { expireTime: 7 }, { jumpWxa: { query: '\ud800' } }]) {
      expect(await generate.run(input, ctx)).toHaveProperty('failure.source', 'input');
    }
    expect(permit).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('a policy refusal costs no call', async () => {
    const { ctx, calls } = actionContext({ permit: () => denied });
    expect(await generate.run({}, ctx)).toEqual({ failure: denied });
    expect(calls).toHaveLength(0);
  });

  it("WeChat's failure is passed on with the expiry's warnings", async () => {
    const failure: Failure = { errcode: 40002, source: 'wechat', message: { zh: '无权限', en: 'no permission' }, hint: { zh: '无', en: 'none' } };
    const { ctx } = actionContext({ outcomes: [{ ok: false, failure }] });
    const result = await generate.run({ expireTime: NOW_S + 30 * DAY }, ctx);
    expect(result).toEqual({ failure, warnings: [expect.objectContaining({ code: 'expiry.clamped' })] });
  });

  it.each([undefined, 42, 'ok', 'weixin://dl/business/?x=1'])('an answer whose openlink is %p is NO_OPENLINK, not a link', async (openlink) => {
    const { ctx } = actionContext({ outcomes: [ok(openlink)] });
    expect(await generate.run({}, ctx)).toMatchObject({
      failure: { errcode: NO_OPENLINK, rule: 'wechat.noOpenlink', source: 'wechat' },
      warnings: [{ code: 'expiry.defaulted' }],
    });
  });

  it('adds cq to the link and writes the h5Url when the jump page is configured', async () => {
    const { ctx } = actionContext({ outcomes: [ok()], settings: { h5BaseUrl: 'https://demo.tcloudbaseapp.com/jump.html' } });
    const reply = (await generate.run({ jumpWxa: { path: 'pages/index/index', query: 'id=7' }, cq: 'uid=42' }, ctx)) as GenerateReply;
    expect(reply.openlink).toBe('weixin://dl/business/?t=T1&cq=uid%3D42');
    expect(reply.h5Url).toBe('https://demo.tcloudbaseapp.com/jump.html?t=T1&cq=uid%3D42&path=pages/index/index&query=id%3D7');
  });

  it("names fields in the caller's spelling", async () => {
    const { ctx, asks } = actionContext({ outcomes: [ok()], names: { 'jumpWxa.query': 'jump_wxa.query', expireTime: 'expire_time' } });
    expect(await generate.run({ jumpWxa: { query: 'a b' } }, ctx)).toMatchObject({ failure: { field: 'jump_wxa.query' } });
    await generate.run({ expireTime: NOW_S + DAY }, ctx);
    expect(asks[0]).toMatchObject({ daysField: 'expire_time', fields: { query: 'jump_wxa.query' } });
  });

  it('declares its access: users and public callers by default', () => {
    expect(generate.defaultAccess).toEqual({ user: true, public: true });
  });
});
