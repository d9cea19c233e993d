/** linkCode (src/actions/link-code.ts): one 小程序码 per link and options, kept in storage; WeChat's refusals explained, never stored. */
import { imageOf, linkCode } from '../../../cloudfunctions/genScheme/src/actions/link-code';
import type { CallOutcome } from '../../../cloudfunctions/genScheme/src/wechat/call';
import { PAGES } from '../../support/app-pages';
import { FAKE_PNG, actionContext, fakeStorage, sdkError } from '../../support/genscheme';

const config = {
  code: 'camp',
  name: '',
  kind: 'scheme' as const,
  path: 'pages/product/detail',
  query: 'id=1',
  envVersion: 'trial',
  cq: '',
  disabled: false,
  createdAt: '',
};
const image: CallOutcome = { ok: true, value: { contentType: 'image/png', buffer: FAKE_PNG, errCode: 0, errMsg: 'openapi.wxacode.getUnlimited:ok' } };

async function setupLink(outcomes: CallOutcome[] = [image, image]) {
  const store = fakeStorage();
  const made = actionContext({ outcomes, storage: store.storage });
  await made.ctx.state.stableLinks.createStableLink(config);
  return { ...made, store };
}

describe('linkCode', () => {
  it('is for trusted callers only by default', () => expect(linkCode.defaultAccess).toEqual({ user: false, public: false }));

  it('the router page is a page of app.json', () => expect(PAGES).toContain('pages/code/index'));

  it("makes the code once: scene l=CODE, the router page, the link's env version; uploads it and keeps its fileID on the link", async () => {
    const { ctx, calls, store } = await setupLink();
    const first = await linkCode.run({ code: 'camp' }, ctx);
    expect(first).toEqual({
      errcode: 0,
      errmsg: 'ok',
      action: 'linkCode',
      code: 'camp',
      fileID: 'cloud://test-env.bucket/genscheme/codes/camp.png',
      tempFileURL: 'https://tmp.example/test-env.bucket/genscheme/codes/camp.png',
      scene: 'l=camp',
      page: 'pages/code/index',
      envVersion: 'trial',
      width: 430,
      reused: false,
      warnings: [],
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].api).toBe('wxacode.getUnlimited');
    // A trial code may open a page not published yet: check_path only for release (§12).
    expect(calls[0].request).toEqual({ scene: 'l=camp', page: 'pages/code/index', checkPath: false, envVersion: 'trial', width: 430 });
    expect(store.uploads).toEqual([{ cloudPath: 'genscheme/codes/camp.png', bytes: FAKE_PNG.length }]);
    expect((await ctx.state.stableLinks.getStableLink('camp'))?.linkCode).toMatchObject({
      fileID: first && 'fileID' in first ? first.fileID : '',
      scene: 'l=camp',
      width: 430,
    });

    const again = await linkCode.run({ code: 'camp' }, ctx);
    expect(again).toMatchObject({ fileID: 'cloud://test-env.bucket/genscheme/codes/camp.png', reused: true });
    expect(calls).toHaveLength(1);
    expect(store.uploads).toHaveLength(1);
  });

  it('other options or refresh: true make a new code (same file, replaced)', async () => {
    const { ctx, calls, store } = await setupLink([image, image, image]);
    await linkCode.run({ code: 'camp' }, ctx);
    await linkCode.run({ code: 'camp', width: 600, lineColor: { r: 1, g: 2, b: 3 }, isHyaline: true }, ctx);
    expect(calls[1].request).toMatchObject({ width: 600, lineColor: { r: 1, g: 2, b: 3 }, isHyaline: true });
    expect(await linkCode.run({ code: 'camp', width: 600, lineColor: { r: 1, g: 2, b: 3 }, isHyaline: true }, ctx)).toMatchObject({ reused: true });
    expect(await linkCode.run({ code: 'camp', width: 600, lineColor: { r: 1, g: 2, b: 3 }, isHyaline: true, refresh: true }, ctx)).toMatchObject({
      reused: false,
    });
    expect(calls).toHaveLength(3);
    expect(store.uploads.map((u) => u.cloudPath)).toEqual(Array(3).fill('genscheme/codes/camp.png'));
  });

  it.each([
    ['a code too long for the scene (31 characters + l=)', { code: 'a'.repeat(31) }, 40169, 'wxacode.scene'],
    ['width 279', { code: 'camp', width: 279 }, -900003, 'wxacode.width'],
    ['width 1281', { code: 'camp', width: 1281 }, -900003, 'wxacode.width'],
    ['a colour of 256', { code: 'camp', lineColor: { r: 256, g: 0, b: 0 } }, -900003, 'wxacode.lineColor'],
    ['a bad code', { code: 'a b' }, -900003, 'link.code'],
  ])('refuses %s before any call', async (_name, input, errcode, rule) => {
    const { ctx, calls, store } = await setupLink();
    expect(await linkCode.run(input, ctx)).toMatchObject({ failure: { errcode, rule, source: 'input' } });
    expect(calls).toHaveLength(0);
    expect(store.uploads).toHaveLength(0);
  });

  it('an unknown or disabled link: no call', async () => {
    const { ctx, calls } = await setupLink();
    expect(await linkCode.run({ code: 'nope' }, ctx)).toMatchObject({ failure: { errcode: -900030 } });
    await ctx.state.stableLinks.updateStableLink('camp', { disabled: true });
    expect(await linkCode.run({ code: 'camp' }, ctx)).toMatchObject({ failure: { errcode: -900031 } });
    expect(calls).toHaveLength(0);
  });

  it("WeChat's refusal (thrown by the SDK, or JSON bytes in the buffer) is explained from the catalogue and nothing is stored", async () => {
    const refused: CallOutcome = { ok: false, failure: { errcode: 41030, source: 'wechat', message: { zh: 'x', en: 'x' }, hint: { zh: 'y', en: 'y' } } };
    const jsonBytes: CallOutcome = {
      ok: true,
      value: { contentType: 'application/octet-stream', buffer: Buffer.from('{"errcode":40169,"errmsg":"invalid scene"}'), errCode: 0 },
    };
    const { ctx, store } = await setupLink([refused, jsonBytes]);
    expect(await linkCode.run({ code: 'camp' }, ctx)).toMatchObject({ failure: { errcode: 41030 } });
    const second = await linkCode.run({ code: 'camp' }, ctx);
    expect(second).toMatchObject({
      failure: { errcode: 40169, source: 'wechat', message: { en: expect.stringContaining('scene') }, hint: { zh: expect.stringContaining('32') } },
    });
    expect(store.uploads).toHaveLength(0);
    expect((await ctx.state.stableLinks.getStableLink('camp'))?.linkCode).toBeNull();
  });

  it('imageOf: an image, JSON bytes, an empty answer', () => {
    expect(imageOf({ contentType: 'image/jpeg', buffer: FAKE_PNG })).toEqual({ png: FAKE_PNG });
    expect(imageOf({ contentType: 'image/png', buffer: Buffer.from('{"errcode":45009,"errmsg":"limit"}') })).toMatchObject({
      failure: { errcode: 45009, source: 'wechat' },
    });
    expect(imageOf({ contentType: '', buffer: Buffer.alloc(0) })).toMatchObject({ failure: { errcode: -900022, rule: 'wxacode.noImage' } });
    expect(imageOf(undefined)).toMatchObject({ failure: { errcode: -900022 } });
  });

  it('an upload failure is a cloud failure; nothing is stored on the link', async () => {
    const store = fakeStorage();
    store.storage.uploadFile = async () => {
      throw sdkError(-503001, 'uploadFile:fail storage request fail');
    };
    const { ctx } = actionContext({ outcomes: [image], storage: store.storage });
    await ctx.state.stableLinks.createStableLink(config);
    expect(await linkCode.run({ code: 'camp' }, ctx)).toMatchObject({ failure: { errcode: -503001, source: 'cloud' } });
    expect((await ctx.state.stableLinks.getStableLink('camp'))?.linkCode).toBeNull();
  });
});
