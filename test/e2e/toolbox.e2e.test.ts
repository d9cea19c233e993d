/**
 * The other actions — query, quota, plaintext — and cq, through the built function, the real
 * wx-server-sdk and the emulator.
 */
import type { ErrorReply, GenerateReply, PlaintextReply, QueryReply, QuotaReply } from '../../miniprogram/shared/contract';
import { linkWithCq } from '../../miniprogram/shared/links';
import { startEmulator, type Emulator } from '../../emulator/src';
import type { LoadedFunction } from '../../emulator/src/run-function';
import type { GenSchemeReply } from '../../miniprogram/shared/contract';
import { loadWithEnv } from '../support/function';

const H5 = 'https://demo-1a2b.tcloudbaseapp.com/jump.html';
let emulator: Emulator;
let fn: LoadedFunction<unknown, GenSchemeReply>;
const USER = { openid: 'oToolboxUser', source: 'wx_client' };
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 5 });
  fn = loadWithEnv(emulator, { GENSCHEME_H5_BASE_URL: H5 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('generate → query round trip', () => {
  it('query answers the page, query, version and times of a generated link', async () => {
    const made = (await fn.invoke({ jumpWxa: { path: 'pages/order/list', query: 'status=paid' }, expireInterval: 3 }, USER)) as GenerateReply;
    expect(made.errcode).toBe(0);
    const info = (await fn.invoke({ action: 'query', scheme: made.openlink }, USER)) as QueryReply;
    expect(info).toMatchObject({
      errcode: 0,
      action: 'query',
      appid: emulator.appid,
      path: 'pages/order/list',
      query: 'status=paid',
      envVersion: 'release',
      expired: false,
    });
    expect(Math.abs(info.createTime - nowS())).toBeLessThanOrEqual(2);
    expect(Math.abs(info.expireTime - made.expireTime)).toBeLessThanOrEqual(2);
    expect(emulator.calls.map((c) => c.request)).toEqual([
      expect.objectContaining({ jump_wxa: { path: 'pages/order/list', query: 'status=paid', env_version: 'release' } }),
      { scheme: made.openlink, query_type: 0 },
    ]);
  });

  it('with cq: the link carries &cq=<encoded> and still resolves to the same scheme', async () => {
    const made = (await fn.invoke({ jumpWxa: { path: 'pages/product/detail', query: 'id=9' }, cq: 'uid=42&src=sms' }, USER)) as GenerateReply;
    expect(made.openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]+&cq=uid%3D42%26src%3Dsms$/);
    // The page and query ride along for the open tag in WeChat's browser; slashes stay readable.
    expect(made.h5Url).toBe(`${H5}?t=${made.openlink.split('t=')[1].split('&')[0]}&cq=uid%3D42%26src%3Dsms&path=pages/product/detail&query=id%3D9`);
    // The gateway never saw the cq: it is ours to append, no API field carries it.
    expect(JSON.stringify(emulator.calls[0].request)).not.toContain('uid');
    const info = (await fn.invoke({ action: 'query', scheme: made.openlink }, USER)) as QueryReply;
    expect(info).toMatchObject({ errcode: 0, path: 'pages/product/detail', query: 'id=9' });
  });

  it('one generated link serves many recipients: linkWithCq needs no call', async () => {
    const made = (await fn.invoke({ jumpWxa: { path: 'pages/product/detail' } }, USER)) as GenerateReply;
    const links = ['u1', 'u2', 'u3'].map((u) => linkWithCq(made.openlink, `uid=${u}`));
    expect(links.map((l) => ('openlink' in l ? l.openlink : l.failure.rule))).toEqual(['u1', 'u2', 'u3'].map((u) => `${made.openlink}&cq=uid%3D${u}`));
    expect(emulator.calls).toHaveLength(1);
    for (const l of links) {
      if (!('openlink' in l)) throw new Error('expected a link');
      expect(((await fn.invoke({ action: 'query', scheme: l.openlink }, USER)) as QueryReply).path).toBe('pages/product/detail');
    }
  });

  it.each([
    ['256 characters', 'c'.repeat(256), 0],
    ['257 characters', 'c'.repeat(257), 40212],
    ['a space', 'name=a b', 40212],
    ['Chinese characters', '城市=北京', 40212],
  ])('cq of %s → %d', async (_label, cq, errcode) => {
    const reply = await fn.invoke({ cq }, USER);
    expect(reply.errcode).toBe(errcode);
    expect(emulator.calls).toHaveLength(errcode === 0 ? 1 : 0);
  });

  it('cq characters that would break the link (# ? / + & = %) are percent-encoded, and the link still round-trips', async () => {
    const cq = "a#b?c/d+e&f=g%h!'()*";
    const made = (await fn.invoke({ jumpWxa: { path: 'pages/product/detail' }, cq }, USER)) as GenerateReply;
    expect(made.errcode).toBe(0);
    const [, tail] = made.openlink.split('&cq=');
    expect(tail).toBe(encodeURIComponent(cq));
    expect(tail).not.toMatch(/[#?/+&=]/);
    expect(decodeURIComponent(tail)).toBe(cq);
    expect(new URL(made.openlink).hash).toBe('');
    const info = (await fn.invoke({ action: 'query', scheme: made.openlink }, USER)) as QueryReply;
    expect(info).toMatchObject({ errcode: 0, path: 'pages/product/detail' });
  });

  it('85403 for a link WeChat never issued, explained, not retried', async () => {
    const reply = (await fn.invoke({ action: 'query', scheme: 'weixin://dl/business/?t=NeverIssued1' }, USER)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 85403, source: 'wechat', retryable: false, attempts: 1 });
    expect(reply.hint.en).toContain('whole');
  });

  it('a malformed scheme is refused before any call (40097)', async () => {
    const reply = (await fn.invoke({ action: 'query', scheme: 'https://example.com/?t=abc' }, USER)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 40097, field: 'scheme', source: 'input' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('reports an expired link as expired', async () => {
    const later = await startEmulator({ seed: 9 });
    try {
      const made = (await loadWithEnv(later).invoke({ expireTime: nowS() + 3600 }, USER)) as GenerateReply;
      // Ask a function whose clock runs two hours ahead: the link is past its expiry for it.
      const twoHoursAhead = (nowS() + 7200) * 1000;
      jest.spyOn(Date, 'now').mockImplementation(() => twoHoursAhead);
      const info = (await loadWithEnv(later).invoke({ action: 'query', scheme: made.openlink }, USER)) as QueryReply;
      expect(info).toMatchObject({ errcode: 0, expired: true });
      expect(info.warnings.map((w) => w.code)).toContain('query.expired');
    } finally {
      (Date.now as jest.Mock).mockRestore?.();
      await later.close();
    }
  });
});

describe('quota', () => {
  it("answers today's remaining visit quota", async () => {
    const reply = (await fn.invoke({ action: 'quota' }, USER)) as QuotaReply;
    expect(reply).toMatchObject({ errcode: 0, action: 'quota', remainVisitQuota: 3_000_000 });
    expect(emulator.calls[0].request).toEqual({ query_type: 1 });
  });

  it('-604101 when urlscheme.query is not declared in config.json', async () => {
    const noQuery = await startEmulator({ permissions: ['urlscheme.generate'] });
    try {
      const reply = (await loadWithEnv(noQuery).invoke({ action: 'quota' }, USER)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: -604101, source: 'cloud' });
    } finally {
      await noQuery.close();
    }
  });
});

describe('plaintext', () => {
  it('builds the link locally with the caller mini program appid: no call, no quota', async () => {
    const reply = (await fn.invoke({ action: 'plaintext', jumpWxa: { path: '/pages/product/detail', query: 'id=7&from=短信' } }, USER)) as PlaintextReply;
    expect(reply).toMatchObject({ errcode: 0, action: 'plaintext' });
    expect(reply.openlink).toBe(
      `weixin://dl/business/?appid=${emulator.appid}&path=pages/product/detail&query=id%3D7%26from%3D%E7%9F%AD%E4%BF%A1&env_version=release`,
    );
    expect(reply.warnings[0].zh).toContain('明文 Scheme');
    expect(reply.h5Url).toBe(`${H5}?path=pages/product/detail&query=id%3D7%26from%3D%E7%9F%AD%E4%BF%A1&env_version=release`);
    expect(emulator.calls).toHaveLength(0);
    // WeChat knows a plaintext link without having issued it: it never expires.
    const info = (await fn.invoke({ action: 'query', scheme: reply.openlink }, USER)) as QueryReply;
    expect(info).toMatchObject({ errcode: 0, path: 'pages/product/detail', query: 'id=7&from=短信', expireTime: 0, expired: false });
  });

  it.each([
    ['512 letters', 'a'.repeat(512), 0],
    ['513 letters', 'a'.repeat(513), 40212],
    ['170 "=" (510 once encoded)', '='.repeat(170), 0],
    ['171 "=" (513 once encoded)', '='.repeat(171), 40212],
  ])('query of %s → %d (≤ 512 characters once encoded)', async (_label, query, errcode) => {
    const reply = await fn.invoke({ action: 'plaintext', jumpWxa: { path: 'pages/index/index', query } }, USER);
    expect(reply.errcode).toBe(errcode);
  });

  it('needs a path, and a page of app.json', async () => {
    expect(((await fn.invoke({ action: 'plaintext', jumpWxa: {} }, USER)) as ErrorReply).rule).toBe('plaintext.pathRequired');
    expect(((await fn.invoke({ action: 'plaintext', jumpWxa: { path: 'pages/x/y' } }, USER)) as ErrorReply).errcode).toBe(40165);
  });

  it('without a caller APPID it needs GENSCHEME_APPID, and says so', async () => {
    const console = (await fn.invoke({ action: 'plaintext', jumpWxa: { path: 'pages/index/index' } }, { source: 'wx_client,scf' })) as ErrorReply;
    expect(console.rule).toBe('plaintext.appid');
    expect(console.hint.en).toContain('GENSCHEME_APPID');
    expect(console.message.en).toBe("The mini program's AppID is unknown: the caller has no APPID (e.g. a console test) and none is configured.");
    const configured = loadWithEnv(emulator, { GENSCHEME_APPID: 'wxfedcba9876543210' });
    const reply = (await configured.invoke({ action: 'plaintext', jumpWxa: { path: 'pages/index/index' } }, { source: 'wx_client,scf' })) as PlaintextReply;
    expect(reply.openlink).toContain('appid=wxfedcba9876543210&');
  });
});
