/**
 * Live generation's page logic. The CloudBase web SDK (cloud.js from res.wx.qq.com) cannot be
 * loaded here, so these tests give `generateLive` a STAND-IN object with the SDK's
 * `callFunction` shape; replies follow genScheme's contract. The browser test
 * (page.test.ts) routes the SDK URL to a stand-in script to cover the page around it.
 */
import type { ErrorReply, GenerateReply, GenerateRequest } from '../../miniprogram/shared/contract';
import { generateLive, type CallFunctionLike } from '../../web/src/live';

const request: GenerateRequest = { action: 'generate', jumpWxa: { path: 'pages/index/index', query: 'from=sms' }, cq: 'uid=1' };

function standIn(answer: () => Promise<{ result?: unknown }>) {
  const calls: Array<Parameters<CallFunctionLike['callFunction']>[0]> = [];
  const cloud: CallFunctionLike = {
    callFunction: (options) => {
      calls.push(options);
      return answer();
    },
  };
  return { cloud, calls };
}

const success: GenerateReply = {
  errcode: 0,
  errmsg: 'ok',
  action: 'generate',
  warnings: [],
  openlink: 'weixin://dl/business/?t=LiveTicket123&cq=uid%3D1',
  expireTime: 1_900_000_000,
  expireAt: '2030-03-17T17:46:40Z',
  attempts: 1,
};

describe('live generation with a stand-in for the CloudBase web SDK', () => {
  it('calls genScheme once with the generate request and returns its openlink', async () => {
    const { cloud, calls } = standIn(async () => ({ result: success }));
    await expect(generateLive(cloud, request)).resolves.toEqual({ ok: true, scheme: success.openlink });
    expect(calls).toEqual([{ name: 'genScheme', data: request }]);
  });

  it("shows genScheme's own Chinese message when it refuses (e.g. the public caller's rate limit)", async () => {
    const refusal: ErrorReply = {
      errcode: -900010,
      errmsg: 'rate limited',
      message: { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests.' },
      hint: { zh: '稍后再试。', en: 'Try later.' },
      retryable: true,
      source: 'policy',
      action: 'generate',
    };
    const { cloud } = standIn(async () => ({ result: refusal }));
    await expect(generateLive(cloud, request)).resolves.toMatchObject({ ok: false, zh: refusal.message.zh, en: expect.stringContaining('-900010') });
  });

  it('turns an SDK failure (identityless access or the security rule not set up) into a visitor message', async () => {
    const { cloud } = standIn(async () => {
      throw new Error('PERMISSION_DENIED');
    });
    await expect(generateLive(cloud, request)).resolves.toMatchObject({ ok: false, zh: expect.stringContaining('暂时无法生成链接'), en: expect.stringContaining('PERMISSION_DENIED') });
  });

  it.each([
    ['no result', {}],
    ['a result that is not a reply', { result: 'action not found' }],
    ['a reply without an encrypted scheme', { result: { ...success, openlink: 'https://example.com/' } }],
  ])('refuses %s rather than redirecting somewhere broken', async (_what, answer) => {
    const { cloud } = standIn(async () => answer);
    await expect(generateLive(cloud, request)).resolves.toMatchObject({ ok: false });
  });
});
