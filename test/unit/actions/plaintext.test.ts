/** The plaintext action alone (src/actions/plaintext.ts): built locally, no call. */
import { plaintext } from '../../../cloudfunctions/genScheme/src/actions/plaintext';
import { POLICY_DENIED } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import type { PlaintextReply } from '../../../miniprogram/shared/contract';
import type { Failure } from '../../../miniprogram/shared/failure';
import { actionContext, callers } from '../../support/genscheme';

describe('plaintext action', () => {
  it("builds the link with the caller's APPID, asks the policy, and never calls WeChat", async () => {
    const { ctx, calls, asks } = actionContext({ caller: callers.user });
    const reply = (await plaintext.run({ jumpWxa: { path: '/pages/index/index', query: 'name=张三 x', envVersion: 'trial' } }, ctx)) as PlaintextReply;
    expect(reply).toMatchObject({
      errcode: 0,
      action: 'plaintext',
      openlink: 'weixin://dl/business/?appid=wx1234567890abcdef&path=pages/index/index&query=name%3D%E5%BC%A0%E4%B8%89%20x&env_version=trial',
    });
    expect(reply.warnings.map((w) => w.code)).toEqual(['plaintext.declare']);
    expect(reply.warnings[0].en).toContain('85405');
    expect(reply).not.toHaveProperty('h5Url');
    expect(asks).toEqual([
      {
        action: 'plaintext',
        path: 'pages/index/index',
        envVersion: 'trial',
        queryLength: 9,
        fields: { path: 'jumpWxa.path', envVersion: 'jumpWxa.envVersion', query: 'jumpWxa.query' },
      },
    ]);
    expect(calls).toHaveLength(0);
  });

  it("GENSCHEME_APPID wins over the caller's APPID, and the h5Url is written when configured", async () => {
    const { ctx } = actionContext({ caller: callers.user, settings: { appid: 'wxaaaaaaaaaaaaaaaa', h5BaseUrl: 'https://demo.tcloudbaseapp.com/jump.html' } });
    const reply = (await plaintext.run({ jumpWxa: { path: 'pages/index/index' } }, ctx)) as PlaintextReply;
    expect(reply.openlink).toContain('appid=wxaaaaaaaaaaaaaaaa');
    expect(reply.h5Url).toBe('https://demo.tcloudbaseapp.com/jump.html?path=pages/index/index&query=&env_version=release');
  });

  it.each([
    [{ jumpWxa: { path: 'pages/index/index' } }, 'plaintext.appid', callers.trusted],
    [{}, 'plaintext.pathRequired', callers.user],
    [{ jumpWxa: { path: 'pages/nope' } }, 'path.unknownPage', callers.user],
    [{ jumpWxa: { path: 'pages/index/index', query: '='.repeat(171) } }, 'plaintext.queryMaxLength', callers.user],
    [{ jumpWxa: { path: 'pages/index/index', query: 'a=\ud800' } }, 'query.charset', callers.user],
  ])('refuses %j with %s, before the policy', async (input, rule, caller) => {
    const { ctx, permit } = actionContext({ caller });
    expect(await plaintext.run(input, ctx)).toMatchObject({ failure: { rule, source: 'input' } });
    expect(permit).not.toHaveBeenCalled();
  });

  it('any text fits its query once encoded: no charset check (§3)', async () => {
    const { ctx } = actionContext({ caller: callers.user });
    expect(await plaintext.run({ jumpWxa: { path: 'pages/index/index', query: 'a b"<>' } }, ctx)).toMatchObject({ errcode: 0 });
  });

  it('a policy refusal is passed on', async () => {
    const denied: Failure = { errcode: POLICY_DENIED, source: 'policy', message: { zh: 'x', en: 'x' }, hint: { zh: 'x', en: 'x' } };
    const { ctx } = actionContext({ caller: callers.user, permit: () => denied });
    expect(await plaintext.run({ jumpWxa: { path: 'pages/index/index' } }, ctx)).toEqual({ failure: denied });
  });
});
