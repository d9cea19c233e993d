/**
 * The sample page's link kind (issue 14): the user chooses "URL Link" or "URL Scheme", reads where
 * each opens (platform-rules §8, §9), generates either, and copies either.
 */
import * as simulate from 'miniprogram-simulate';
import type { GenerateReply, QueryReply, UrlLinkReply } from '../../miniprogram/shared/contract';
import { loadPage, mockWx, openPage, tap, textOf, type Comp } from './helpers';

const pageId = loadPage('pages/index/index');
const URL_LINK = 'https://wxaurl.cn/AbCdEf123xyz';
const OPENLINK = 'weixin://dl/business/?t=AbCdEf123_-x';
const EXPIRE_TIME = Date.UTC(2026, 11, 1, 12, 0, 0) / 1000;

const urlLinkReply = (extra: Partial<UrlLinkReply> = {}): UrlLinkReply => ({
  errcode: 0,
  errmsg: 'ok',
  action: 'urllink',
  urlLink: URL_LINK,
  expireTime: EXPIRE_TIME,
  expireAt: new Date(EXPIRE_TIME * 1000).toISOString(),
  attempts: 1,
  warnings: [],
  ...extra,
});
const schemeReply = (): GenerateReply => ({
  errcode: 0,
  errmsg: 'ok',
  action: 'generate',
  openlink: OPENLINK,
  expireTime: EXPIRE_TIME,
  expireAt: new Date(EXPIRE_TIME * 1000).toISOString(),
  attempts: 1,
  warnings: [],
});

let callFunction: jest.Mock;
let setClipboardData: jest.Mock;
beforeEach(() => {
  callFunction = jest.fn();
  setClipboardData = jest.fn();
  mockWx.cloud = { callFunction };
  mockWx.setClipboardData = setClipboardData;
});
afterEach(() => jest.restoreAllMocks());

const replyWith = (result: unknown) => callFunction.mockResolvedValue({ errMsg: 'cloud.callFunction:ok', result });
const chooseKind = async (comp: Comp, value: string) => {
  comp.querySelector('#kind')!.dispatchEvent('change', { detail: { value } });
  await simulate.sleep(0);
};

describe('choosing the kind of link', () => {
  test('both kinds are offered, each with one sentence on where it opens', () => {
    const comp = openPage(pageId);
    const link = textOf(comp, '#kind-note-urllink') ?? '';
    const scheme = textOf(comp, '#kind-note-scheme') ?? '';
    expect(link).toMatch(/^URL Link：https 链接/);
    expect(link).toContain('短信');
    expect(link).toContain('微信内');
    expect(link).toContain('中间页');
    expect(scheme).toMatch(/^URL Scheme：weixin:\/\/ 链接/);
    expect(scheme).toContain('安卓短信里不能点开');
    expect(textOf(comp, '#kind')).toContain('URL Link');
    expect(textOf(comp, '#kind')).toContain('URL Scheme');
  });

  test('URL Link: sends action urllink with the same target and expiry, shows and copies the https link, no Android note', async () => {
    replyWith(urlLinkReply());
    const comp = openPage(pageId);
    await chooseKind(comp, 'urllink');
    comp.querySelector('#page-picker')!.dispatchEvent('change', { detail: { value: '2' } });
    comp.querySelector('#query')!.dispatchEvent('input', { detail: { value: 'id=42', cursor: 5 } });
    comp.querySelector('#days-slider')!.dispatchEvent('change', { detail: { value: 7 } });
    await simulate.sleep(0);

    await tap(comp, '#generate');

    expect(callFunction.mock.calls[0][0]).toStrictEqual({
      name: 'genScheme',
      data: { action: 'urllink', jumpWxa: { path: 'pages/product/detail', query: 'id=42', envVersion: 'release' }, expireType: 1, expireInterval: 7 },
    });
    expect(textOf(comp, '#openlink')).toBe(URL_LINK);
    expect(comp.querySelector('#android-note')).toBeUndefined();
    expect(comp.querySelector('#h5url')).toBeUndefined();
    await tap(comp, '#copy');
    expect(setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: URL_LINK }));
  });

  test('URL Scheme (the default) still sends generate and copies the weixin:// link with the Android note', async () => {
    replyWith(schemeReply());
    const comp = openPage(pageId);
    await chooseKind(comp, 'urllink');
    await chooseKind(comp, 'scheme');
    await tap(comp, '#generate');
    expect(callFunction.mock.calls[0][0].data.action).toBe('generate');
    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    expect(textOf(comp, '#android-note')).toContain('H5');
    await tap(comp, '#copy');
    expect(setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: OPENLINK }));
  });

  test('an unknown kind value is ignored', async () => {
    replyWith(schemeReply());
    const comp = openPage(pageId);
    await chooseKind(comp, 'shortlink');
    await tap(comp, '#generate');
    expect(callFunction.mock.calls[0][0].data.action).toBe('generate');
  });

  test('a reply that is not a URL Link is not shown as one', async () => {
    replyWith({ ...urlLinkReply(), urlLink: 'https://example.com/x' });
    const comp = openPage(pageId);
    await chooseKind(comp, 'urllink');
    await tap(comp, '#generate');
    expect(comp.querySelector('#result')).toBeUndefined();
    expect(comp.querySelector('#failure')).toBeDefined();
  });
});

describe('checking a URL Link', () => {
  test('a generated URL Link can be checked: query is sent, shown as URL Link', async () => {
    const checked: QueryReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'query',
      kind: 'urllink',
      scheme: URL_LINK,
      appid: 'wx0123456789abcdef',
      path: 'pages/index/index',
      query: '',
      envVersion: 'release',
      createTime: EXPIRE_TIME - 86400,
      expireTime: EXPIRE_TIME,
      expired: false,
      warnings: [],
      attempts: 1,
    };
    callFunction.mockResolvedValueOnce({ errMsg: 'ok', result: urlLinkReply() }).mockResolvedValueOnce({ errMsg: 'ok', result: checked });
    const comp = openPage(pageId);
    await chooseKind(comp, 'urllink');
    await tap(comp, '#generate');
    await tap(comp, '#check-generated');
    expect(callFunction.mock.calls[1][0].data).toStrictEqual({ action: 'query', scheme: URL_LINK });
    expect(textOf(comp, '#check')).toContain('URL Link');
  });

  test('a URL Link with &cq= is refused on the page, with the fix, and nothing is sent', async () => {
    const comp = openPage(pageId);
    comp.querySelector('#check-input')?.dispatchEvent('input', { detail: { value: `${URL_LINK}&cq=a` } });
    await simulate.sleep(0);
    const instance = comp.instance as unknown as { checkLink(text: string): Promise<void> };
    await instance.checkLink(`${URL_LINK}&cq=a`);
    await simulate.sleep(0);
    expect(callFunction).not.toHaveBeenCalled();
    expect(textOf(comp, '#check')).toContain('?cq=');
  });
});
