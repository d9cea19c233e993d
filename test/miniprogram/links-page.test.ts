/**
 * 链接管理 (pages/links/index) under miniprogram-simulate, through the real client module
 * (services/genscheme.ts): wx.cloud.callFunction is a STAND-IN answering per the contract
 * (ListLinksReply, LinkStatsReply, CreateLinkReply, UpdateLinkReply, the policy's -900010).
 * links-client-function.test.ts runs the same client against the real function.
 */
import * as simulate from 'miniprogram-simulate';
import { APP_PAGES } from '../../miniprogram/app-pages';
import type { ErrorReply, StableLink } from '../../miniprogram/shared/contract';
import { attrOf, loadPage, mockWx, openPage, tap, textOf, type Comp } from './helpers';
import { SAMPLE_DAYS, SAMPLE_LINKS, type SentData } from './links-sample';

const PAGE = loadPage('pages/links/index');

const ok = { errcode: 0 as const, errmsg: 'ok' as const, warnings: [] };
const refusal: ErrorReply = {
  errcode: -900010,
  errmsg: 'action not allowed',
  message: { zh: '此操作仅限受信任的调用方。', en: 'Trusted callers only.' },
  hint: { zh: '请把 OPENID 加入 GENSCHEME_ADMIN_OPENIDS。', en: 'Add the OPENID to GENSCHEME_ADMIN_OPENIDS.' },
  retryable: false,
  source: 'policy',
  action: 'listLinks',
};

let callFunction: jest.Mock;
let answers: Record<string, (data: SentData) => unknown>;

/** The stand-in: answers by action, records every request. */
function standIn() {
  return jest.fn(async ({ data }: { name: string; data: SentData }) => {
    const answer = answers[data.action];
    if (!answer) throw new Error(`unexpected action ${data.action}`);
    return { errMsg: 'cloud.callFunction:ok', result: answer(data) };
  });
}

const sent = (action: string) => callFunction.mock.calls.map((call) => call[0].data).filter((data) => data.action === action);

beforeEach(() => {
  answers = {
    listLinks: () => ({ ...ok, action: 'listLinks', links: SAMPLE_LINKS }),
    linkStats: (data) => ({ ...ok, action: 'linkStats', code: data.code, days: SAMPLE_DAYS }),
    createLink: (data): { link: StableLink } & Record<string, unknown> => ({
      ...ok,
      action: 'createLink',
      link: {
        code: data.code ?? 'Xk3f9Qa',
        name: data.name ?? '',
        kind: data.kind ?? 'scheme',
        path: data.jumpWxa.path,
        query: data.jumpWxa.query ?? '',
        envVersion: 'release',
        cq: '',
        disabled: false,
        createdAt: '2026-11-29T09:00:00.000Z',
        url: `https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?l=${data.code ?? 'Xk3f9Qa'}`,
      },
    }),
    linkCode: (data) => ({
      ...ok,
      action: 'linkCode',
      code: data.code,
      fileID: `cloud://genscheme-1a2b3c.7465-genscheme-1a2b3c-1300000000/genscheme/codes/${data.code}.png`,
      tempFileURL: `https://7465-genscheme-1a2b3c-1300000000.tcb.qcloud.la/genscheme/codes/${data.code}.png`,
      scene: `l=${data.code}`,
      page: 'pages/code/index',
      envVersion: 'release',
      width: 430,
      reused: true,
    }),
    updateLink: (data) => ({
      ...ok,
      action: 'updateLink',
      link: { ...SAMPLE_LINKS.find((l) => l.code === data.code)!, visits: undefined, opens: undefined, disabled: data.disabled },
    }),
  };
  callFunction = standIn();
  mockWx.cloud = { callFunction };
  mockWx.setClipboardData = jest.fn();
  mockWx.showToast = jest.fn();
});
afterEach(() => {
  delete mockWx.cloud;
  jest.restoreAllMocks();
});

async function openLinks(): Promise<Comp> {
  const comp = openPage(PAGE);
  await (comp.instance as unknown as { onLoad(): Promise<void> }).onLoad();
  return comp;
}

function input(comp: Comp, selector: string, value: string) {
  comp.querySelector(selector)!.dispatchEvent('input', { detail: { value } });
}

/** The height a bar was drawn with, in rpx, from its style. */
function barHeight(comp: Comp, selector: string): number {
  const style = String(attrOf(comp, selector, 'style') ?? comp.querySelector(selector)!.dom!.getAttribute('style'));
  const m = /height:\s*([\d.]+)rpx/.exec(style);
  if (!m) throw new Error(`no height in "${style}"`);
  return Number(m[1]);
}

describe('who may use it', () => {
  test('the function\'s policy refusal (-900010): "仅管理员可用" and nothing else', async () => {
    answers.listLinks = () => refusal;
    const comp = await openLinks();
    expect(textOf(comp, '#denied')).toBe('仅管理员可用');
    for (const selector of ['#links', '#stats', '#create', '#load-failure', '#loading']) expect(comp.querySelector(selector)).toBeFalsy();
    expect(comp.dom!.textContent!.replace(/\s+/g, '')).toBe('仅管理员可用');
    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(callFunction).toHaveBeenCalledWith({ name: 'genScheme', data: { action: 'listLinks' } });
  });

  test('another failure is shown with its hint and a retry, which loads again', async () => {
    answers.listLinks = () => ({
      ...refusal,
      errcode: -900032,
      message: { zh: '稳定链接暂时无法使用。', en: 'Unavailable.' },
      hint: { zh: '几秒后重试。', en: 'Retry.' },
      retryable: true,
      source: 'genscheme',
    });
    const comp = await openLinks();
    expect(textOf(comp, '#load-failure-message')).toBe('稳定链接暂时无法使用。');
    expect(comp.querySelector('#denied')).toBeFalsy();
    answers.listLinks = () => ({ ...ok, action: 'listLinks', links: SAMPLE_LINKS });
    await tap(comp, '#retry');
    await simulate.sleep(0);
    expect(textOf(comp, '#visits-0')).toBe('1286');
  });

  test('callFunction rejecting (no network): an error view, not the admin-only one', async () => {
    callFunction.mockImplementation(() => Promise.reject({ errMsg: 'cloud.callFunction:fail request:fail' }));
    const comp = await openLinks();
    expect(textOf(comp, '#load-failure-message')).toContain('调用云函数 genScheme 失败');
    expect(comp.querySelector('#denied')).toBeFalsy();
  });

  test('the index page has a small 管理 entry to it', () => {
    const index = openPage(loadPage('pages/index/index'));
    expect(textOf(index, '#admin-link')).toBe('管理');
    expect(attrOf(index, '#admin-link', 'url')).toBe('/pages/links/index');
  });
});

describe('the list', () => {
  test('every link with its name, code, target and totals; a disabled one is marked', async () => {
    const comp = await openLinks();
    expect(textOf(comp, '#row-0')).toContain('春季短信');
    expect(textOf(comp, '#row-0')).toContain('spring-sms · URL Scheme · pages/product/detail?id=42');
    expect(textOf(comp, '#row-1')).toContain('print-qr · URL Link · packageA/pages/promo/index');
    expect([0, 1, 2].map((i) => [textOf(comp, `#visits-${i}`), textOf(comp, `#opens-${i}`)])).toEqual([
      ['1286', '431'],
      ['88', '40'],
      ['5020', '1733'],
    ]);
    expect(comp.querySelector('#disabled-0')).toBeFalsy();
    expect(textOf(comp, '#disabled-2')).toBe('已停用');
    expect(textOf(comp, '#toggle-0')).toBe('停用');
    expect(textOf(comp, '#toggle-2')).toBe('启用');
  });

  test('no links yet: says so', async () => {
    answers.listLinks = () => ({ ...ok, action: 'listLinks', links: [] });
    const comp = await openLinks();
    expect(textOf(comp, '#no-links')).toContain('还没有稳定链接');
  });

  test('a reply that breaks the contract is an error, not a broken list', async () => {
    answers.listLinks = () => ({ ...ok, action: 'listLinks', links: [{ code: 'x' }] });
    const comp = await openLinks();
    expect(textOf(comp, '#load-failure-message')).toContain('无法识别');
  });
});

describe('the chart', () => {
  test('tapping a link asks linkStats for 14 days and draws bars proportional to the counts', async () => {
    const comp = await openLinks();
    await tap(comp, '#open-0');
    await simulate.sleep(0);
    expect(sent('linkStats')).toEqual([{ action: 'linkStats', code: 'spring-sms', days: 14 }]);
    expect(textOf(comp, '#stats-code')).toBe('spring-sms');
    expect(textOf(comp, '#total-visits')).toBe(String(SAMPLE_DAYS.reduce((n, d) => n + d.visits, 0)));
    expect(textOf(comp, '#total-opens')).toBe(String(SAMPLE_DAYS.reduce((n, d) => n + d.opens, 0)));
    expect(textOf(comp, '#stats-range')).toContain('2026-11-16 至 2026-11-29');
    const visits = SAMPLE_DAYS.map((_, i) => barHeight(comp, `#bar-visits-${i}`));
    const opens = SAMPLE_DAYS.map((_, i) => barHeight(comp, `#bar-opens-${i}`));
    // The busiest day (100 visits) is the full 200 rpx; every other bar is its share of it.
    expect(Math.max(...visits)).toBe(200);
    SAMPLE_DAYS.forEach((d, i) => {
      expect(visits[i]).toBe(Math.round(d.visits * 2));
      expect(opens[i]).toBe(Math.round(d.opens * 2));
    });
    expect(textOf(comp, '#day-13')).toBe('29'); // today, rightmost
  });

  test('a day with nothing has no bar; a small non-zero day stays visible', async () => {
    answers.linkStats = (data) => ({
      ...ok,
      action: 'linkStats',
      code: data.code,
      days: [
        { date: '2026-11-28', visits: 0, opens: 0, openers: 0 },
        { date: '2026-11-29', visits: 1000, opens: 1, openers: 1 },
      ],
    });
    const comp = await openLinks();
    await tap(comp, '#open-1');
    await simulate.sleep(0);
    expect([barHeight(comp, '#bar-visits-0'), barHeight(comp, '#bar-opens-0')]).toEqual([0, 0]);
    expect([barHeight(comp, '#bar-visits-1'), barHeight(comp, '#bar-opens-1')]).toEqual([200, 2]);
  });
});

describe("the selected link's 小程序码 (活码)", () => {
  const FILE_ID = 'cloud://genscheme-1a2b3c.7465-genscheme-1a2b3c-1300000000/genscheme/codes/spring-sms.png';

  test('tapping a link asks linkCode for it and shows the image, its fileID, save and copy', async () => {
    const comp = await openLinks();
    await tap(comp, '#open-0');
    await simulate.sleep(0);
    expect(sent('linkCode')).toEqual([{ action: 'linkCode', code: 'spring-sms' }]);
    expect(attrOf(comp, '#code-image', 'src')).toBe('https://7465-genscheme-1a2b3c-1300000000.tcb.qcloud.la/genscheme/codes/spring-sms.png');
    expect(textOf(comp, '#code-file-id')).toBe(FILE_ID);
    await tap(comp, '#copy-file-id');
    expect(mockWx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: FILE_ID }));
  });

  test('保存到相册 downloads the file from cloud storage and saves it to the album', async () => {
    const downloadFile = jest.fn(async () => ({ tempFilePath: 'wxfile://tmp/code.png', statusCode: 200 }));
    const saveImageToPhotosAlbum = jest.fn(async () => ({ errMsg: 'saveImageToPhotosAlbum:ok' }));
    (mockWx.cloud as Record<string, unknown>).downloadFile = downloadFile;
    mockWx.saveImageToPhotosAlbum = saveImageToPhotosAlbum;
    const comp = await openLinks();
    await tap(comp, '#open-0');
    await simulate.sleep(0);
    await tap(comp, '#save-code');
    await simulate.sleep(0);
    expect(downloadFile).toHaveBeenCalledWith({ fileID: FILE_ID });
    expect(saveImageToPhotosAlbum).toHaveBeenCalledWith({ filePath: 'wxfile://tmp/code.png' });
    expect(mockWx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存到相册' }));

    // The user refused the album permission: a toast says where to allow it.
    saveImageToPhotosAlbum.mockRejectedValueOnce({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' });
    await tap(comp, '#save-code');
    await simulate.sleep(0);
    expect(mockWx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '请在设置中允许保存到相册' }));
  });

  test("the function's refusal is shown in place of the code", async () => {
    answers.linkCode = () => ({
      errcode: 40169,
      errmsg: 'invalid scene',
      message: { zh: '小程序码的 scene 超过 32 个字符。', en: 'x' },
      hint: { zh: '代码最多 30 个字符。', en: 'y' },
      retryable: false,
      source: 'input',
      action: 'linkCode',
    });
    const comp = await openLinks();
    await tap(comp, '#open-0');
    await simulate.sleep(0);
    expect(textOf(comp, '#code-failure-message')).toBe('小程序码的 scene 超过 32 个字符。');
    expect(comp.querySelector('#code-image')).toBeFalsy();
  });
});

describe('creating a link', () => {
  test('sends the picked page, query, name, code and kind; shows the URL, adds the row, and copies', async () => {
    const comp = await openLinks();
    const promo = APP_PAGES.findIndex((page) => page.path === 'packageA/pages/promo/index');
    comp.querySelector('#page-picker')!.dispatchEvent('change', { detail: { value: promo } });
    input(comp, '#query', 'from=poster');
    input(comp, '#name', '地铁海报');
    input(comp, '#code', ' metro-qr ');
    comp.querySelector('#kind')!.dispatchEvent('change', { detail: { value: 'urllink' } });
    await simulate.sleep(0);
    await tap(comp, '#create-button');
    await simulate.sleep(0);
    expect(sent('createLink')).toEqual([
      { action: 'createLink', jumpWxa: { path: 'packageA/pages/promo/index', query: 'from=poster' }, name: '地铁海报', code: 'metro-qr', kind: 'urllink' },
    ]);
    const url = 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?l=metro-qr';
    expect(textOf(comp, '#created-text')).toBe(url);
    expect(textOf(comp, '#created')).toContain('固定链接');
    expect(textOf(comp, '#row-0')).toContain('地铁海报');
    expect(textOf(comp, '#visits-0')).toBe('0');
    await tap(comp, '#copy');
    expect(mockWx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: url }));
  });

  test('the defaults (first page, no query, no name, no code, scheme) send only what is given', async () => {
    const comp = await openLinks();
    await tap(comp, '#create-button');
    await simulate.sleep(0);
    expect(sent('createLink')).toEqual([{ action: 'createLink', jumpWxa: { path: APP_PAGES[0].path }, kind: 'scheme' }]);
  });

  test('no url (GENSCHEME_H5_BASE_URL unset): the code is shown and copied instead', async () => {
    const create = answers.createLink;
    answers.createLink = (data) => {
      const reply = create(data) as { link: StableLink };
      delete reply.link.url;
      return reply;
    };
    const comp = await openLinks();
    await tap(comp, '#create-button');
    await simulate.sleep(0);
    expect(textOf(comp, '#created-text')).toBe('Xk3f9Qa');
    expect(textOf(comp, '#created')).toContain('GENSCHEME_H5_BASE_URL');
    await tap(comp, '#copy');
    expect(mockWx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: 'Xk3f9Qa' }));
  });

  test("a bad query is caught before any call; a refused code shows the function's message", async () => {
    const comp = await openLinks();
    input(comp, '#query', 'a=中文');
    await simulate.sleep(0);
    expect(textOf(comp, '#query-problem')).toBeTruthy();
    await tap(comp, '#create-button');
    expect(sent('createLink')).toHaveLength(0);
    input(comp, '#query', 'a=1');
    answers.createLink = () => ({
      ...refusal,
      errcode: -900033,
      message: { zh: '短码 spring-sms 已被占用。', en: 'Taken.' },
      hint: { zh: '换一个短码。', en: 'Pick another.' },
      source: 'input',
      action: 'createLink',
    });
    await tap(comp, '#create-button');
    await simulate.sleep(0);
    expect(textOf(comp, '#create-failure-message')).toBe('短码 spring-sms 已被占用。');
    expect(comp.querySelector('#created')).toBeFalsy();
  });
});

describe('disabling a link', () => {
  test('停用 sends updateLink { disabled: true } and the row turns disabled; 启用 turns it back', async () => {
    const comp = await openLinks();
    await tap(comp, '#toggle-0');
    await simulate.sleep(0);
    expect(sent('updateLink')).toEqual([{ action: 'updateLink', code: 'spring-sms', disabled: true }]);
    expect(textOf(comp, '#disabled-0')).toBe('已停用');
    expect(textOf(comp, '#toggle-0')).toBe('启用');
    await tap(comp, '#toggle-0');
    await simulate.sleep(0);
    expect(sent('updateLink')[1]).toEqual({ action: 'updateLink', code: 'spring-sms', disabled: false });
    expect(comp.querySelector('#disabled-0')).toBeFalsy();
    expect(textOf(comp, '#toggle-0')).toBe('停用');
  });

  test('a refused update leaves the row as it was and says why', async () => {
    answers.updateLink = () => ({ ...refusal, action: 'updateLink' });
    const comp = await openLinks();
    await tap(comp, '#toggle-1');
    await simulate.sleep(0);
    expect(comp.querySelector('#disabled-1')).toBeFalsy();
    expect(mockWx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '此操作仅限受信任的调用方。' }));
  });
});
