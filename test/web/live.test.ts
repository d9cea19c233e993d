/**
 * Live generation's page logic. The CloudBase web SDK (cloud.js from res.wx.qq.com) cannot be
 * loaded here, so these tests give `generateLive` a STAND-IN object with the SDK's
 * `callFunction` shape; replies follow genScheme's contract. The browser test
 * (page.test.ts) routes the SDK URL to a stand-in script to cover the page around it.
 */
import type { ErrorReply, GenerateReply, GenerateRequest, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { generateLive, openTagQuery, resolveStable, type CallFunctionLike } from '../../web/src/live';

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
    await expect(generateLive(cloud, request)).resolves.toMatchObject({
      ok: false,
      zh: expect.stringContaining('暂时无法生成链接'),
      en: expect.stringContaining('PERMISSION_DENIED'),
    });
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

describe('stable links (resolveLink) with a stand-in for the CloudBase web SDK', () => {
  const scheme: ResolveLinkReply = {
    errcode: 0,
    errmsg: 'ok',
    warnings: [],
    action: 'resolveLink',
    code: 'SPRING24',
    kind: 'scheme',
    openlink: 'weixin://dl/business/?t=StableTicket_42&cq=gsl%3DSPRING24',
    expireTime: 1_900_000_000,
    expireAt: '2030-03-17T17:46:40.000Z',
    path: '/pages/product/detail',
    query: 'id=42',
    envVersion: 'release',
    reused: true,
  };
  const urlLink: ResolveLinkReply = { ...scheme, kind: 'urllink', openlink: undefined, urlLink: 'https://wxaurl.cn/StableUrl9?cq=gsl%3DSPRING24', query: '' };

  it('calls genScheme once with { action: resolveLink, code } and returns the scheme, the page and the query with the marker', async () => {
    const { cloud, calls } = standIn(async () => ({ result: scheme }));
    await expect(resolveStable(cloud, 'SPRING24')).resolves.toEqual({
      ok: true,
      scheme: scheme.openlink,
      path: 'pages/product/detail',
      query: 'id=42&gsl=SPRING24',
    });
    expect(calls).toEqual([{ name: 'genScheme', data: { action: 'resolveLink', code: 'SPRING24' } }]);
  });

  it('returns the urlLink of a URL Link reply', async () => {
    const { cloud } = standIn(async () => ({ result: urlLink }));
    await expect(resolveStable(cloud, 'SPRING24')).resolves.toEqual({
      ok: true,
      urlLink: urlLink.urlLink,
      path: 'pages/product/detail',
      query: 'gsl=SPRING24',
    });
  });

  it("passes genScheme's refusal on with its Chinese message and hint (unknown or disabled code)", async () => {
    const refusal: ErrorReply = {
      errcode: -900042,
      errmsg: 'link disabled',
      message: { zh: '链接 SPRING24 已停用。', en: 'Link SPRING24 is disabled.' },
      hint: { zh: '活动已结束，请联系发送方。', en: 'Ask the sender.' },
      retryable: false,
      source: 'input',
      action: 'resolveLink',
    };
    const { cloud } = standIn(async () => ({ result: refusal }));
    await expect(resolveStable(cloud, 'SPRING24')).resolves.toEqual({
      ok: false,
      zh: refusal.message.zh,
      hintZh: refusal.hint.zh,
      en: '-900042 link disabled',
    });
  });

  it('turns an SDK failure into a visitor message', async () => {
    const { cloud } = standIn(async () => {
      throw new Error('PERMISSION_DENIED');
    });
    await expect(resolveStable(cloud, 'SPRING24')).resolves.toMatchObject({
      ok: false,
      zh: '暂时无法打开链接，请稍后再试。',
      en: expect.stringContaining('PERMISSION_DENIED'),
    });
  });

  it.each([
    ['no result', {}],
    ['a reply without anything to open', { result: { ...scheme, openlink: undefined } }],
    ['a scheme that is not an encrypted one', { result: { ...scheme, openlink: 'weixin://dl/business/?appid=wx0123456789abcdef&path=x' } }],
    ['a URL Link on another host', { result: { ...urlLink, urlLink: 'https://evil.example/StableUrl9' } }],
    ['a URL Link over http', { result: { ...urlLink, urlLink: 'http://wxaurl.cn/StableUrl9' } }],
    ['a javascript: URL', { result: { ...urlLink, urlLink: 'javascript:alert(1)' } }],
  ])('refuses %s rather than sending the visitor somewhere else', async (_what, answer) => {
    const { cloud } = standIn(async () => answer);
    await expect(resolveStable(cloud, 'SPRING24')).resolves.toMatchObject({ ok: false });
  });

  it('openTagQuery adds the marker once, and only when the query lacks it', () => {
    expect(openTagQuery('', 'SPRING24')).toBe('gsl=SPRING24');
    expect(openTagQuery('id=42', 'SPRING24')).toBe('id=42&gsl=SPRING24');
    expect(openTagQuery('id=42&gsl=SPRING24', 'SPRING24')).toBe('id=42&gsl=SPRING24');
    expect(openTagQuery('gsl=SPRING24', 'SPRING24')).toBe('gsl=SPRING24');
    expect(openTagQuery('xgsl=1', 'SPRING24')).toBe('xgsl=1&gsl=SPRING24');
  });
});
