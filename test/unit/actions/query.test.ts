/** The query action alone (src/actions/query.ts), with a hand-made ActionContext and a fake WeChat.call. */
import { query } from '../../../cloudfunctions/genScheme/src/actions/query';
import { NO_OPENLINK } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import type { CallOutcome } from '../../../cloudfunctions/genScheme/src/wechat/call';
import type { Failure } from '../../../miniprogram/shared/failure';
import { NOW_S, actionContext, callers } from '../../support/genscheme';
import { configure } from '../../../cloudfunctions/genScheme/src/settings';
import { ACTION_ACCESS } from '../../../cloudfunctions/genScheme/src/actions';
import { PAGES } from '../../support/app-pages';

const SCHEME = 'weixin://dl/business/?t=TICKET9';
const info = (over: Record<string, unknown> = {}) => ({
  ok: true as const,
  value: {
    schemeInfo: {
      appid: 'wx1234567890abcdef',
      path: 'pages/index/index',
      query: 'a=1',
      createTime: NOW_S - 60,
      expireTime: NOW_S + 60,
      envVersion: 'release',
      ...over,
    },
  },
});

describe('query action', () => {
  it('checks the link, asks the policy, calls urlscheme.query unpaced with query_type 0, and replies', async () => {
    const { ctx, calls, asks } = actionContext({ outcomes: [info()] });
    expect(await query.run({ scheme: SCHEME }, ctx)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      action: 'query',
      scheme: SCHEME,
      appid: 'wx1234567890abcdef',
      path: 'pages/index/index',
      query: 'a=1',
      envVersion: 'release',
      createTime: NOW_S - 60,
      expireTime: NOW_S + 60,
      expired: false,
      kind: 'scheme',
      warnings: [],
      attempts: 1,
    });
    expect(asks).toEqual([{ action: 'query' }]);
    expect(calls[0]).toMatchObject({ api: 'urlscheme.query', request: { scheme: SCHEME, queryType: 0 }, options: { paced: false } });
  });

  it('a malformed link costs neither a policy slot nor a call', async () => {
    const { ctx, calls, permit } = actionContext({ names: { scheme: 'scheme' } });
    expect(await query.run({ scheme: 'https://example.com/?t=1' }, ctx)).toMatchObject({ failure: { errcode: 40097, rule: 'scheme.format' } });
    expect(permit).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
  });

  it('reads big numbers as json-bigint hands them back, and marks an expired link', async () => {
    const big = { s: 1, e: 9, c: [NOW_S], toString: () => String(NOW_S) };
    const { ctx } = actionContext({ outcomes: [info({ expireTime: big, createTime: 'x' })] });
    expect(await query.run({ scheme: SCHEME }, ctx)).toMatchObject({ expireTime: NOW_S, createTime: 0, expired: true, warnings: [{ code: 'query.expired' }] });
  });

  it('a plaintext link never expires (expireTime 0)', async () => {
    const { ctx } = actionContext({ outcomes: [info({ expireTime: 0 })] });
    expect(await query.run({ scheme: SCHEME }, ctx)).toMatchObject({ expireTime: 0, expired: false });
  });

  it('an answer without scheme_info is a failure, never "never expires"', async () => {
    const { ctx } = actionContext({ outcomes: [{ ok: true, value: {} }] });
    expect(await query.run({ scheme: SCHEME }, ctx)).toMatchObject({ failure: { errcode: NO_OPENLINK, rule: 'wechat.noSchemeInfo' } });
  });

  it("WeChat's 85403 and a link outside the caller's scope give the same not-found failure", async () => {
    const wechat85403: Failure = {
      errcode: 85403,
      source: 'wechat',
      rule: 'wechat.85403',
      detail: 'openapi.urlscheme.query:fail scheme not exist rid: 1',
      message: { zh: 'x', en: 'x' },
      hint: { zh: 'x', en: 'x' },
    };
    const { policy } = configure({}, { json: { user: { pages: ['pages/index/index'] } } }, PAGES, ACTION_ACCESS);
    const run = async (outcome: CallOutcome) => {
      const { ctx } = actionContext({ caller: callers.user, policy, outcomes: [outcome], names: { scheme: 'scheme' } });
      return query.run({ scheme: SCHEME }, ctx);
    };
    const missing = await run({ ok: false, failure: wechat85403 });
    expect(missing).toMatchObject({ failure: { errcode: 85403, source: 'wechat', rule: 'wechat.85403', field: 'scheme' } });
    expect(missing).not.toHaveProperty('failure.detail');
    expect(await run(info({ envVersion: 'develop' }))).toEqual(missing);
    expect(await run(info({ path: 'pages/publishHomework/publishHomework' }))).toEqual(missing);
    // Within scope the user reads it.
    expect(await run(info())).toMatchObject({ errcode: 0 });
  });

  it('other WeChat failures pass through unchanged', async () => {
    const failure: Failure = { errcode: 40097, source: 'wechat', message: { zh: 'x', en: 'x' }, hint: { zh: 'x', en: 'x' } };
    const { ctx } = actionContext({ outcomes: [{ ok: false, failure }] });
    expect(await query.run({ scheme: SCHEME }, ctx)).toEqual({ failure });
  });

  it('declares its access: users yes, public callers no', () => {
    expect(query.defaultAccess).toEqual({ user: true, public: false });
  });
});
