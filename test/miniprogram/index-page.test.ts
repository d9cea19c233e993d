/**
 * The generate page as a user drives it: pick, type, tap, read, copy.
 * Every assertion reads rendered text or attributes, or what reached wx.
 */
import * as simulate from 'miniprogram-simulate';
import { APP_PAGES } from '../../miniprogram/app-pages';
import type { ErrorReply, GenerateReply } from '../../miniprogram/shared/contract';
import { attrOf, loadPage, mockWx, openPage, tap, textOf, type Comp } from './helpers';

const pageId = loadPage('pages/index/index');

const OPENLINK = 'weixin://dl/business/?t=AbCdEf123_-x';
/** 2026-12-01T12:00:00Z = 2026-12-01 20:00 in UTC+8. */
const EXPIRE_TIME = Date.UTC(2026, 11, 1, 12, 0, 0) / 1000;

function success(extra: Partial<GenerateReply> = {}): GenerateReply {
  return {
    errcode: 0,
    errmsg: 'ok',
    action: 'generate',
    openlink: OPENLINK,
    expireTime: EXPIRE_TIME,
    expireAt: new Date(EXPIRE_TIME * 1000).toISOString(),
    attempts: 1,
    warnings: [],
    ...extra,
  };
}

const FAILURE: ErrorReply = {
  errcode: 40165,
  errmsg: 'invalid page path',
  message: { zh: '页面 pages/product/detail 不在已发布的版本中。', en: 'The page is not in the published version.' },
  hint: { zh: '先发布包含该页面的版本，或选择 trial / develop。', en: 'Publish a version with the page first.' },
  field: 'jumpWxa.path',
  retryable: false,
  source: 'wechat',
  action: 'generate',
};

let callFunction: jest.Mock;
let setClipboardData: jest.Mock;

beforeEach(() => {
  callFunction = jest.fn();
  setClipboardData = jest.fn();
  mockWx.cloud = { callFunction };
  mockWx.setClipboardData = setClipboardData;
});

afterEach(() => {
  jest.restoreAllMocks();
});

const open = () => openPage(pageId);

function typeQuery(comp: Comp, value: string) {
  comp.querySelector('#query')!.dispatchEvent('input', { detail: { value, cursor: value.length } });
}

const tapGenerate = (comp: Comp) => tap(comp, '#generate');

const NO_GARBAGE = /undefined|null|\[object Object\]|NaN/;
const FALLBACK_HINT = '请稍后重试；若一直失败，请在云开发控制台 → 云函数 → genScheme → 日志中查看原因。';

function replyWith(result: unknown) {
  callFunction.mockResolvedValue({ errMsg: 'cloud.callFunction:ok', result });
}

describe('the request', () => {
  test('sends the picked page, query, version and days, exactly', async () => {
    replyWith(success());
    const comp = open();
    comp.querySelector('#page-picker')!.dispatchEvent('change', { detail: { value: '2' } });
    typeQuery(comp, 'id=42&from=sms');
    comp.querySelector('#env')!.dispatchEvent('change', { detail: { value: 'trial' } });
    comp.querySelector('#days-slider')!.dispatchEvent('change', { detail: { value: 7 } });
    await simulate.sleep(0);
    expect(textOf(comp, '#page-current')).toContain('pages/product/detail');
    expect(textOf(comp, '#days')).toBe('7');

    await tapGenerate(comp);

    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(callFunction.mock.calls[0][0]).toStrictEqual({
      name: 'genScheme',
      data: {
        action: 'generate',
        jumpWxa: { path: 'pages/product/detail', query: 'id=42&from=sms', envVersion: 'trial' },
        expireType: 1,
        expireInterval: 7,
      },
    });
  });

  test('the days label follows the slider while it is dragged (bindchanging)', async () => {
    const comp = open();
    comp.querySelector('#days-slider')!.dispatchEvent('changing', { detail: { value: 12 } });
    await simulate.sleep(0);
    expect(textOf(comp, '#days')).toBe('12');
  });

  test('defaults: home page, release, 30 days, and no query key when the query is empty', async () => {
    replyWith(success());
    const comp = open();
    expect(textOf(comp, '#days')).toBe('30');

    await tapGenerate(comp);

    expect(callFunction.mock.calls[0][0]).toStrictEqual({
      name: 'genScheme',
      data: { action: 'generate', jumpWxa: { path: 'pages/index/index', envVersion: 'release' }, expireType: 1, expireInterval: 30 },
    });
  });

  test('the subpackage page is sent with its root', async () => {
    replyWith(success());
    const comp = open();
    comp
      .querySelector('#page-picker')!
      .dispatchEvent('change', { detail: { value: APP_PAGES.findIndex((page) => page.path === 'packageA/pages/promo/index') } });
    await tapGenerate(comp);
    expect(callFunction.mock.calls[0][0].data.jumpWxa.path).toBe('packageA/pages/promo/index');
  });
});

describe('success', () => {
  test('shows the link, its expiry in local time, the warnings and the Android note', async () => {
    jest.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(-480); // the phone is in UTC+8
    replyWith(success({ warnings: [{ code: 'isExpire.ignored', zh: 'isExpire 已被忽略：链接最长有效 30 天。', en: 'isExpire ignored.' }] }));
    const comp = open();
    expect(comp.querySelector('#result')).toBeUndefined();

    await tapGenerate(comp);

    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    expect(textOf(comp, '#expire')).toBe('2026-12-01 20:00');
    expect(textOf(comp, '#warnings')).toBe('isExpire 已被忽略：链接最长有效 30 天。');
    expect(textOf(comp, '#android-note')).toContain('H5');
    expect(comp.querySelector('#failure')).toBeUndefined();
    expect(textOf(comp, '#result')).not.toMatch(/undefined|\[object Object\]|NaN/);
  });

  test("the expiry follows the phone's own time zone", async () => {
    replyWith(success());
    const comp = open();
    await tapGenerate(comp);
    // Independent of the page's code: Intl in this process's zone.
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(EXPIRE_TIME * 1000))
        .map((p) => [p.type, p.value]),
    );
    expect(textOf(comp, '#expire')).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`);
  });

  test('Copy puts the link on the clipboard', async () => {
    replyWith(success());
    const comp = open();
    await tapGenerate(comp);

    await tap(comp, '#copy');

    expect(setClipboardData).toHaveBeenCalledTimes(1);
    expect(setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: OPENLINK }));
  });

  test('an H5 jump page, when the function knows one, is shown and can be copied too', async () => {
    const h5Url = 'https://example.com/jump.html?t=AbCdEf123_-x';
    replyWith(success({ h5Url }));
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#h5url')).toBe(h5Url);
    await tap(comp, '#copy-h5');
    expect(setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: h5Url }));
  });

  test('broken warnings or h5Url do not cost the user the link', async () => {
    replyWith({ ...success(), warnings: [null, { code: 'a' }, { code: 'b', zh: '', en: '' }, { code: 'c', zh: '保留这一条。', en: 'kept' }], h5Url: 5 });
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    expect(textOf(comp, '#warnings')).toBe('保留这一条。');
    expect(comp.querySelector('#h5url')).toBeUndefined();
    expect(comp.querySelector('#failure')).toBeUndefined();
    expect(textOf(comp, '#result')).not.toMatch(NO_GARBAGE);
  });

  test('warnings that are not a list are ignored', async () => {
    replyWith({ ...success(), warnings: { zh: 'x' } });
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    expect(comp.querySelector('#warnings')).toBeUndefined();
    expect(comp.querySelector('#failure')).toBeUndefined();
  });

  test('when copying fails the user is told to long-press the link instead', async () => {
    const showToast = jest.fn();
    mockWx.showToast = showToast;
    setClipboardData.mockImplementation((options: { fail?: (res: { errMsg: string }) => void }) => options.fail?.({ errMsg: 'setClipboardData:fail' }));
    replyWith(success());
    const comp = open();
    await tapGenerate(comp);

    await tap(comp, '#copy');

    expect(showToast).toHaveBeenCalledTimes(1);
    expect(showToast.mock.calls[0][0].title).toContain('长按');
  });

  test('no H5 section when the reply has no h5Url', async () => {
    replyWith(success());
    const comp = open();
    await tapGenerate(comp);
    expect(comp.querySelector('#h5url')).toBeUndefined();
    expect(comp.querySelector('#warnings')).toBeUndefined();
  });
});

describe('failure', () => {
  test('an error reply shows its Chinese message, hint and code', async () => {
    replyWith(FAILURE);
    const comp = open();

    await tapGenerate(comp);

    expect(textOf(comp, '#failure-message')).toBe(FAILURE.message.zh);
    expect(textOf(comp, '#failure-hint')).toBe(FAILURE.hint.zh);
    expect(textOf(comp, '#failure-code')).toBe('错误码 40165');
    expect(textOf(comp, '#failure')).not.toMatch(/undefined|\[object Object\]/);
    expect(comp.querySelector('#result')).toBeUndefined();
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
  });

  test('a rejected callFunction shows a Chinese message with its errMsg', async () => {
    const errMsg = 'cloud.callFunction:fail Error: errCode: -501000 | errMsg: FunctionName parameter could not be found';
    callFunction.mockRejectedValue({ errMsg });
    const comp = open();

    await tapGenerate(comp);

    expect(textOf(comp, '#failure-message')).toBe(`调用云函数 genScheme 失败：${errMsg}`);
    expect(textOf(comp, '#failure-hint')).toContain('部署');
    expect(textOf(comp, '#failure')).not.toMatch(/undefined|\[object Object\]/);
  });

  test('a rejection without errMsg still reads well', async () => {
    callFunction.mockRejectedValue(new Error('network down'));
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#failure-message')).toBe('调用云函数 genScheme 失败：network down');
  });

  test('no wx.cloud (base library too old) is explained, not thrown', async () => {
    mockWx.cloud = undefined;
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#failure-message')).toBe('当前微信版本不支持云开发（wx.cloud 不存在）。');
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
  });

  test.each([
    ['nothing', undefined],
    ['a string', 'Internal error'],
    ['an error whose errcode is not a number', { errcode: '40165', errmsg: 'invalid page path' }],
    ['a success without openlink', { errcode: 0, errmsg: 'ok', action: 'generate', warnings: [] }],
    ['a success whose openlink is empty', success({ openlink: '' })],
    ['a success whose openlink is not a weixin:// link', success({ openlink: 'hello' })],
  ])('a malformed result (%s) says so in Chinese', async (_name, result) => {
    replyWith(result);
    const comp = open();

    await tapGenerate(comp);

    expect(textOf(comp, '#failure-message')).toBe('云函数 genScheme 返回了无法识别的结果。');
    expect(textOf(comp, '#failure')).not.toMatch(/undefined|\[object Object\]/);
    expect(comp.querySelector('#result')).toBeUndefined();
  });

  test('callFunction resolving with nothing at all says the result is unreadable, in Chinese', async () => {
    callFunction.mockResolvedValue(undefined);
    const comp = open();
    await tapGenerate(comp);
    expect(textOf(comp, '#failure-message')).toBe('云函数 genScheme 返回了无法识别的结果。');
    expect(textOf(comp, '#failure')).not.toMatch(NO_GARBAGE);
    expect(textOf(comp, '#failure')).not.toMatch(/Cannot|destructure/);
  });

  test.each([
    [
      'only errcode and errmsg',
      { errcode: 40165, errmsg: 'invalid page path' },
      '云函数 genScheme 返回错误（错误码 40165）：invalid page path。',
      FALLBACK_HINT,
    ],
    ['only errcode', { errcode: -1 }, '云函数 genScheme 返回错误（错误码 -1）。', FALLBACK_HINT],
    ['a message but no hint', { errcode: 40165, errmsg: 'x', message: { zh: '页面不存在。', en: 'x' } }, '页面不存在。', FALLBACK_HINT],
    [
      'empty texts',
      { errcode: 40165, errmsg: '', message: { zh: '', en: '' }, hint: { zh: '  ', en: '' } },
      '云函数 genScheme 返回错误（错误码 40165）。',
      FALLBACK_HINT,
    ],
    [
      'texts that are not strings',
      { errcode: 40165, errmsg: 'x', message: 'bad', hint: { zh: 7 } },
      '云函数 genScheme 返回错误（错误码 40165）：x。',
      FALLBACK_HINT,
    ],
  ])('an error reply with %s still shows its code, a Chinese message and a hint', async (_name, result, message, hint) => {
    replyWith(result);
    const comp = open();

    await tapGenerate(comp);

    expect(textOf(comp, '#failure-message')).toBe(message);
    expect(textOf(comp, '#failure-hint')).toBe(hint);
    expect(textOf(comp, '#failure-code')).toBe(`错误码 ${(result as { errcode: number }).errcode}`);
    expect(textOf(comp, '#failure')).not.toMatch(NO_GARBAGE);
  });

  test.each([
    [
      'not deployed (-501000)',
      {
        errCode: -501000,
        errMsg: 'cloud.callFunction:fail Error: errCode: -501000 | errMsg: [ResourceNotFound.FunctionName] FunctionName parameter could not be found.',
      },
      '-501000',
      '上传并部署',
    ],
    [
      'crashed (-504002, in errMsg only)',
      { errMsg: "cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: Error: Cannot find module 'wx-server-sdk'" },
      '-504002',
      '日志',
    ],
    [
      'a wrong environment',
      { errMsg: 'cloud.callFunction:fail Error: errCode: -501007 invalid parameters | errMsg: env not exists' },
      '-501007',
      '设置 → 环境 ID',
    ],
    ['a timeout', { errMsg: 'cloud.callFunction:fail timeout' }, '', '超时'],
    ['no network', { errMsg: 'cloud.callFunction:fail request:fail' }, '', '请检查网络'],
  ])('a rejection (%s) gets the hint that fits it', async (_name, err, code, hint) => {
    callFunction.mockRejectedValue(err);
    const comp = open();

    await tapGenerate(comp);

    expect(textOf(comp, '#failure-message')).toBe(`调用云函数 genScheme 失败：${err.errMsg}`);
    expect(textOf(comp, '#failure-hint')).toContain(hint);
    if (code) expect(textOf(comp, '#failure-code')).toBe(`错误码 ${code}`);
    else expect(comp.querySelector('#failure-code')).toBeUndefined();
    // The generic advice is for the case nothing more is known.
    if (hint !== '请检查网络') expect(textOf(comp, '#failure-hint')).not.toContain('请检查网络');
  });

  test('a new attempt clears the old failure, and a failure clears the old link', async () => {
    const comp = open();
    replyWith(FAILURE);
    await tapGenerate(comp);
    replyWith(success());
    await tapGenerate(comp);
    expect(comp.querySelector('#failure')).toBeUndefined();
    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    replyWith(FAILURE);
    await tapGenerate(comp);
    expect(comp.querySelector('#result')).toBeUndefined();
    expect(textOf(comp, '#failure-message')).toBe(FAILURE.message.zh);
  });
});

describe('while the call runs', () => {
  test('the button shows progress, is disabled, and a second tap makes no second call', async () => {
    let finish: (value: unknown) => void = () => {};
    callFunction.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const comp = open();
    expect(attrOf(comp, '#generate', 'loading')).toBe(false);

    await tapGenerate(comp);
    expect(attrOf(comp, '#generate', 'loading')).toBe(true);
    expect(attrOf(comp, '#generate', 'disabled')).toBe(true);
    expect(textOf(comp, '#generate')).toBe('生成中…');

    await tapGenerate(comp); // the stub button fires even when disabled: the handler must refuse
    expect(callFunction).toHaveBeenCalledTimes(1);

    finish({ errMsg: 'cloud.callFunction:ok', result: success() });
    await simulate.sleep(0);
    expect(textOf(comp, '#openlink')).toBe(OPENLINK);
    expect(attrOf(comp, '#generate', 'loading')).toBe(false);
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
    expect(textOf(comp, '#generate')).toBe('生成链接');
  });

  test('the button comes back after a rejection too', async () => {
    callFunction.mockRejectedValue({ errMsg: 'cloud.callFunction:fail timeout' });
    const comp = open();
    await tapGenerate(comp);
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
    expect(textOf(comp, '#generate')).toBe('生成链接');
  });
});

describe('the query, checked as typed', () => {
  test.each([
    ['a space', 'id=1 2', '空格（第 5 个字符）'],
    ['a Chinese character', 'name=张三', '“张”'],
    ['1025 characters', 'a'.repeat(1025), '1025'],
  ])('%s is flagged under the input, Generate is disabled and tapping makes no call', async (_name, query, detail) => {
    replyWith(success());
    const comp = open();

    typeQuery(comp, query);
    await simulate.sleep(0);

    const problem = textOf(comp, '#query-problem') ?? '';
    expect(problem).toContain(detail);
    expect(problem).toMatch(/[\u4e00-\u9fff]/); // Chinese text
    expect(problem).not.toMatch(/undefined|\[object Object\]/);
    expect(attrOf(comp, '#generate', 'disabled')).toBe(true);

    await tapGenerate(comp);
    expect(callFunction).not.toHaveBeenCalled();
  });

  test('1024 allowed characters are accepted and sent', async () => {
    replyWith(success());
    const comp = open();
    const query = `id=${'A1-._~%'.repeat(147)}`.slice(0, 1024);
    expect(query).toHaveLength(1024);

    typeQuery(comp, query);
    await simulate.sleep(0);

    expect(comp.querySelector('#query-problem')).toBeUndefined();
    expect(textOf(comp, '#query-count')).toBe('1024 / 1024');
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
    await tapGenerate(comp);
    expect(callFunction.mock.calls[0][0].data.jumpWxa.query).toBe(query);
  });

  test('every allowed punctuation mark passes', async () => {
    const comp = open();
    typeQuery(comp, "a=1&b=!#$'()*+,/:;=?@-._~%20");
    await simulate.sleep(0);
    expect(comp.querySelector('#query-problem')).toBeUndefined();
  });

  test('fixing the query clears the problem and enables Generate', async () => {
    replyWith(success());
    const comp = open();
    typeQuery(comp, 'id=1 2');
    await simulate.sleep(0);
    typeQuery(comp, 'id=12');
    await simulate.sleep(0);
    expect(comp.querySelector('#query-problem')).toBeUndefined();
    expect(attrOf(comp, '#generate', 'disabled')).toBe(false);
    await tapGenerate(comp);
    expect(callFunction).toHaveBeenCalledTimes(1);
  });

  test('the input does not cut a long query (maxlength -1; the default is 140)', () => {
    const comp = open();
    expect(attrOf(comp, '#query', 'maxlength')).toBe('-1');
  });
});
