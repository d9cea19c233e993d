/**
 * The "check a link" box of the main page (genScheme `action: 'query'`), as a user drives it:
 * paste, tap 检查, read what the link opens and until when.
 * Every assertion reads rendered text or attributes, or what reached wx.
 */
import * as simulate from 'miniprogram-simulate';
import type { ErrorReply, GenerateReply, QueryReply } from '../../miniprogram/shared/contract';
import { attrOf, loadPage, mockWx, openPage, tap, textOf, type Comp } from './helpers';

const pageId = loadPage('pages/index/index');

const ENCRYPTED = 'weixin://dl/business/?t=AbCdEf123_-x';
const WITH_CQ = `${ENCRYPTED}&cq=from%3Dsms`;
const PLAINTEXT = 'weixin://dl/business/?appid=wx0123456789abcdef&path=pages/product/detail&query=sku%3DA1&env_version=release';
/** 2026-11-01T04:00:00Z = 2026-11-01 12:00 in UTC+8. */
const CREATE_TIME = Date.UTC(2026, 10, 1, 4, 0, 0) / 1000;
/** 2026-12-01T12:00:00Z = 2026-12-01 20:00 in UTC+8. */
const EXPIRE_TIME = Date.UTC(2026, 11, 1, 12, 0, 0) / 1000;

function queryReply(extra: Partial<QueryReply> = {}): QueryReply {
  return {
    errcode: 0,
    errmsg: 'ok',
    action: 'query',
    scheme: ENCRYPTED,
    appid: 'wx0123456789abcdef',
    path: 'pages/product/detail',
    query: 'id=42&from=sms',
    envVersion: 'trial',
    createTime: CREATE_TIME,
    expireTime: EXPIRE_TIME,
    expired: false,
    warnings: [],
    attempts: 1,
    ...extra,
  };
}

const NOT_FOUND: ErrorReply = {
  errcode: 85403,
  errmsg: 'scheme not exist',
  message: { zh: '找不到这个 Scheme：不是本小程序生成的，或链接不完整。', en: 'Scheme not found.' },
  hint: { zh: '检查链接是否完整（含 t= 后的全部字符）以及是否属于本小程序。', en: 'Check the link is whole.' },
  retryable: false,
  source: 'wechat',
  action: 'query',
};

let callFunction: jest.Mock;

beforeEach(() => {
  callFunction = jest.fn();
  mockWx.cloud = { callFunction };
  mockWx.setClipboardData = jest.fn();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const open = () => openPage(pageId);

function replyWith(result: unknown) {
  callFunction.mockResolvedValue({ errMsg: 'cloud.callFunction:ok', result });
}

async function paste(comp: Comp, value: string) {
  comp.querySelector('#check-input')!.dispatchEvent('input', { detail: { value, cursor: value.length } });
  await simulate.sleep(0);
}

async function pasteAndCheck(comp: Comp, value: string) {
  await paste(comp, value);
  await tap(comp, '#check-button');
}

const NO_GARBAGE = /undefined|null|\[object Object\]|NaN/;

describe('the request', () => {
  test('a pasted link (with &cq=) is sent as is, exactly', async () => {
    replyWith(queryReply({ scheme: WITH_CQ }));
    const comp = open();

    await pasteAndCheck(comp, WITH_CQ);

    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(callFunction.mock.calls[0][0]).toStrictEqual({ name: 'genScheme', data: { action: 'query', scheme: WITH_CQ } });
  });

  test('spaces and the line break a paste brings along are dropped', async () => {
    replyWith(queryReply());
    const comp = open();

    await pasteAndCheck(comp, `  ${ENCRYPTED}\n`);

    expect(callFunction.mock.calls[0][0]).toStrictEqual({ name: 'genScheme', data: { action: 'query', scheme: ENCRYPTED } });
  });

  test('a plaintext link is sent too', async () => {
    replyWith(queryReply({ scheme: PLAINTEXT, expireTime: 0 }));
    const comp = open();
    await pasteAndCheck(comp, PLAINTEXT);
    expect(callFunction.mock.calls[0][0]).toStrictEqual({ name: 'genScheme', data: { action: 'query', scheme: PLAINTEXT } });
  });

  test('the textarea does not cut a long link (maxlength -1; the default is 140)', () => {
    const comp = open();
    expect(attrOf(comp, '#check-input', 'maxlength')).toBe('-1');
  });
});

describe('success', () => {
  test('shows the page, query, version, and creation and expiry in local time', async () => {
    jest.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(-480); // the phone is in UTC+8
    replyWith(queryReply());
    const comp = open();
    expect(comp.querySelector('#check-result')).toBeUndefined();

    await pasteAndCheck(comp, ENCRYPTED);

    expect(textOf(comp, '#check-kind')).toBe('加密 Scheme');
    expect(textOf(comp, '#check-path')).toBe('pages/product/detail');
    expect(textOf(comp, '#check-query')).toBe('id=42&from=sms');
    expect(textOf(comp, '#check-version')).toBe('体验版 trial');
    expect(textOf(comp, '#check-created')).toBe('2026-11-01 12:00');
    expect(textOf(comp, '#check-expire')).toBe('2026-12-01 20:00');
    expect(comp.querySelector('#check-expired')).toBeUndefined();
    expect(textOf(comp, '#check-result')).not.toContain('已过期');
    expect(textOf(comp, '#check-result')).not.toMatch(NO_GARBAGE);
    expect(comp.querySelector('#check-failure')).toBeUndefined();
    expect(comp.querySelector('#check-problem')).toBeUndefined();
  });

  test("the times follow the phone's own time zone", async () => {
    replyWith(queryReply());
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    // Independent of the page's code: Intl in this process's zone.
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(EXPIRE_TIME * 1000))
        .map((p) => [p.type, p.value]),
    );
    expect(textOf(comp, '#check-expire')).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`);
  });

  test.each([
    ['release', '正式版 release'],
    ['trial', '体验版 trial'],
    ['develop', '开发版 develop'],
  ])('version %s reads %s', async (envVersion, label) => {
    replyWith(queryReply({ envVersion }));
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-version')).toBe(label);
  });

  test('an empty path is the home page and an empty query says 无', async () => {
    replyWith(queryReply({ path: '', query: '', envVersion: 'release' }));
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-path')).toBe('首页');
    expect(textOf(comp, '#check-query')).toBe('无');
  });

  test('an expired link is marked 已过期', async () => {
    jest.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(-480);
    const past = Date.UTC(2024, 0, 2, 0, 0, 0) / 1000;
    replyWith(
      queryReply({
        createTime: past - 86_400,
        expireTime: past,
        expired: true,
        warnings: [{ code: 'query.expired', zh: '该链接已过期。', en: 'This link has expired.' }],
      }),
    );
    const comp = open();

    await pasteAndCheck(comp, ENCRYPTED);

    expect(textOf(comp, '#check-expired')).toBe('已过期');
    expect(textOf(comp, '#check-expire')).toBe('2024-01-02 08:00');
    // The marker says it once; the function's own warning is not repeated below it.
    expect(comp.querySelector('#check-warnings')).toBeUndefined();
    expect(textOf(comp, '#check-result')).not.toMatch(NO_GARBAGE);
  });

  test('a plaintext link (expireTime 0) never expires', async () => {
    replyWith(queryReply({ scheme: PLAINTEXT, path: 'pages/product/detail', query: 'sku=A1', envVersion: 'release', expireTime: 0 }));
    const comp = open();

    await pasteAndCheck(comp, PLAINTEXT);

    expect(textOf(comp, '#check-kind')).toBe('明文 Scheme');
    expect(textOf(comp, '#check-expire')).toBe('永久有效(明文 Scheme)');
    expect(comp.querySelector('#check-expired')).toBeUndefined();
    expect(textOf(comp, '#check-result')).not.toMatch(NO_GARBAGE);
  });

  test('other warnings from the function are shown', async () => {
    replyWith(queryReply({ warnings: [{ code: 'other', zh: '这是一条提示。', en: 'A note.' }] }));
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-warnings')).toBe('这是一条提示。');
  });
});

describe('failure', () => {
  test('an error reply (85403 not found) shows its Chinese message, hint and code', async () => {
    replyWith(NOT_FOUND);
    const comp = open();

    await pasteAndCheck(comp, ENCRYPTED);

    expect(textOf(comp, '#check-failure-message')).toBe(NOT_FOUND.message.zh);
    expect(textOf(comp, '#check-failure-hint')).toBe(NOT_FOUND.hint.zh);
    expect(textOf(comp, '#check-failure-code')).toBe('错误码 85403');
    expect(textOf(comp, '#check-failure')).not.toMatch(NO_GARBAGE);
    expect(comp.querySelector('#check-result')).toBeUndefined();
    // The generate form's failure card stays out of it.
    expect(comp.querySelector('#failure')).toBeUndefined();
    expect(attrOf(comp, '#check-button', 'disabled')).toBe(false);
  });

  test('a rejected callFunction shows a Chinese message with its errMsg', async () => {
    const errMsg = 'cloud.callFunction:fail Error: errCode: -501000 | errMsg: FunctionName parameter could not be found';
    callFunction.mockRejectedValue({ errMsg });
    const comp = open();

    await pasteAndCheck(comp, ENCRYPTED);

    expect(textOf(comp, '#check-failure-message')).toBe(`调用云函数 genScheme 失败：${errMsg}`);
    expect(textOf(comp, '#check-failure-hint')).toContain('部署');
    expect(textOf(comp, '#check-failure-code')).toBe('错误码 -501000');
    expect(textOf(comp, '#check-failure')).not.toMatch(NO_GARBAGE);
  });

  test('no wx.cloud is explained, not thrown', async () => {
    mockWx.cloud = undefined;
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-failure-message')).toBe('当前微信版本不支持云开发（wx.cloud 不存在）。');
    expect(attrOf(comp, '#check-button', 'disabled')).toBe(false);
  });

  test.each([
    ['nothing', undefined],
    ['a string', 'Internal error'],
    ['an error whose errcode is not a number', { errcode: '85403', errmsg: 'scheme not exist' }],
    ['a generate reply', { errcode: 0, errmsg: 'ok', action: 'generate', openlink: ENCRYPTED, expireTime: EXPIRE_TIME, warnings: [] }],
    ['a query reply without expireTime', { ...queryReply(), expireTime: undefined }],
    ['a query reply without expired', { ...queryReply(), expired: undefined }],
  ])('a malformed result (%s) says so in Chinese', async (_name, result) => {
    replyWith(result);
    const comp = open();

    await pasteAndCheck(comp, ENCRYPTED);

    expect(textOf(comp, '#check-failure-message')).toBe('云函数 genScheme 返回了无法识别的结果。');
    expect(textOf(comp, '#check-failure')).not.toMatch(NO_GARBAGE);
    expect(comp.querySelector('#check-result')).toBeUndefined();
  });

  test('an error reply without texts still shows its code and Chinese fallbacks', async () => {
    replyWith({ errcode: 85403, errmsg: 'scheme not exist' });
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-failure-message')).toBe('云函数 genScheme 返回错误（错误码 85403）：scheme not exist。');
    expect(textOf(comp, '#check-failure-hint')).toContain('日志');
    expect(textOf(comp, '#check-failure-code')).toBe('错误码 85403');
    expect(textOf(comp, '#check-failure')).not.toMatch(NO_GARBAGE);
  });

  test('broken warnings do not hide what the link opens', async () => {
    replyWith({ ...queryReply(), warnings: [null, { code: 'x', zh: '提示。', en: '' }] });
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(textOf(comp, '#check-path')).toBe('pages/product/detail');
    expect(textOf(comp, '#check-warnings')).toBe('提示。');
    expect(comp.querySelector('#check-failure')).toBeUndefined();
  });

  test('a new check clears the old failure, and a failure clears the old result', async () => {
    const comp = open();
    replyWith(NOT_FOUND);
    await pasteAndCheck(comp, ENCRYPTED);
    replyWith(queryReply());
    await tap(comp, '#check-button');
    expect(comp.querySelector('#check-failure')).toBeUndefined();
    expect(textOf(comp, '#check-path')).toBe('pages/product/detail');
    replyWith(NOT_FOUND);
    await tap(comp, '#check-button');
    expect(comp.querySelector('#check-result')).toBeUndefined();
    expect(textOf(comp, '#check-failure-message')).toBe(NOT_FOUND.message.zh);
  });
});

describe('a malformed link is flagged before any call', () => {
  test.each([
    ['nothing', '', '请先粘贴'],
    ['only spaces', '   ', '请先粘贴'],
    ['an https address', 'https://example.com/jump.html?t=AbCdEf123', 'weixin://dl/business/?'],
    ['another weixin:// link', 'weixin://dl/scan?t=AbCdEf123', 'weixin://dl/business/?'],
    ['text around the link', `打开 ${ENCRYPTED}`, 'weixin://dl/business/?'],
    ['the prefix alone', 'weixin://dl/business/?', 't='],
    ['neither t= nor appid=', 'weixin://dl/business/?path=pages/index/index', 'appid='],
    ['an empty ticket', 'weixin://dl/business/?t=', 't='],
    ['a ticket with a bad character', 'weixin://dl/business/?t=AbC$dEf', 't='],
  ])('%s', async (_name, text, detail) => {
    replyWith(queryReply());
    const comp = open();

    await pasteAndCheck(comp, text);

    const problem = textOf(comp, '#check-problem') ?? '';
    expect(problem).toContain(detail);
    expect(problem).toMatch(/[\u4e00-\u9fff]/); // Chinese text
    expect(problem).not.toMatch(NO_GARBAGE);
    expect(callFunction).not.toHaveBeenCalled();
    expect(comp.querySelector('#check-result')).toBeUndefined();
    expect(comp.querySelector('#check-failure')).toBeUndefined();
  });

  test('editing the text clears the hint; a fixed link is then checked', async () => {
    replyWith(queryReply());
    const comp = open();
    await pasteAndCheck(comp, 'weixin://dl/business/?x=1');
    expect(comp.querySelector('#check-problem')).toBeDefined();

    await paste(comp, ENCRYPTED);
    expect(comp.querySelector('#check-problem')).toBeUndefined();

    await tap(comp, '#check-button');
    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(textOf(comp, '#check-path')).toBe('pages/product/detail');
  });
});

describe('while the check runs', () => {
  test('the button shows progress, is disabled, and a second tap makes no second call', async () => {
    let finish: (value: unknown) => void = () => {};
    callFunction.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    const comp = open();
    expect(attrOf(comp, '#check-button', 'loading')).toBe(false);
    expect(textOf(comp, '#check-button')).toBe('检查');

    await pasteAndCheck(comp, ENCRYPTED);
    expect(attrOf(comp, '#check-button', 'loading')).toBe(true);
    expect(attrOf(comp, '#check-button', 'disabled')).toBe(true);
    expect(textOf(comp, '#check-button')).toBe('检查中…');

    await tap(comp, '#check-button'); // the stub button fires even when disabled: the handler must refuse
    expect(callFunction).toHaveBeenCalledTimes(1);

    finish({ errMsg: 'cloud.callFunction:ok', result: queryReply() });
    await simulate.sleep(0);
    expect(textOf(comp, '#check-path')).toBe('pages/product/detail');
    expect(attrOf(comp, '#check-button', 'loading')).toBe(false);
    expect(attrOf(comp, '#check-button', 'disabled')).toBe(false);
    expect(textOf(comp, '#check-button')).toBe('检查');
  });

  test('the button comes back after a rejection too', async () => {
    callFunction.mockRejectedValue({ errMsg: 'cloud.callFunction:fail timeout' });
    const comp = open();
    await pasteAndCheck(comp, ENCRYPTED);
    expect(attrOf(comp, '#check-button', 'disabled')).toBe(false);
    expect(textOf(comp, '#check-button')).toBe('检查');
  });
});

describe('检查此链接 after generating', () => {
  const generated: GenerateReply = {
    errcode: 0,
    errmsg: 'ok',
    action: 'generate',
    openlink: ENCRYPTED,
    expireTime: EXPIRE_TIME,
    expireAt: new Date(EXPIRE_TIME * 1000).toISOString(),
    attempts: 1,
    warnings: [],
  };

  test('fills the box with the new link and checks it at once', async () => {
    callFunction
      .mockResolvedValueOnce({ errMsg: 'cloud.callFunction:ok', result: generated })
      .mockResolvedValueOnce({ errMsg: 'cloud.callFunction:ok', result: queryReply({ path: 'pages/index/index', envVersion: 'release' }) });
    const comp = open();
    expect(comp.querySelector('#check-generated')).toBeUndefined();
    await tap(comp, '#generate');

    await tap(comp, '#check-generated');

    expect(callFunction).toHaveBeenCalledTimes(2);
    expect(callFunction.mock.calls[1][0]).toStrictEqual({ name: 'genScheme', data: { action: 'query', scheme: ENCRYPTED } });
    expect(attrOf(comp, '#check-input', 'value')).toBe(ENCRYPTED);
    expect(textOf(comp, '#check-path')).toBe('pages/index/index');
    expect(textOf(comp, '#check-version')).toBe('正式版 release');
    // The generated link stays on screen.
    expect(textOf(comp, '#openlink')).toBe(ENCRYPTED);
  });
});
