/**
 * The 活码 router page (pages/code/index) under miniprogram-simulate, through the real client
 * module: wx.cloud.callFunction is a stand-in answering `landed` per the contract.
 */
import * as simulate from 'miniprogram-simulate';
import { loadPage, mockWx, openPage, tap, textOf, type Comp } from './helpers';

const PAGE = loadPage('pages/code/index');
const ok = { errcode: 0 as const, errmsg: 'ok' as const, warnings: [] };

let callFunction: jest.Mock;
let reply: unknown;

beforeEach(() => {
  reply = { ...ok, action: 'landed', counted: true, code: 'spring-qr', path: 'pages/product/detail', query: 'id=42' };
  callFunction = jest.fn(async () => ({ errMsg: 'cloud.callFunction:ok', result: reply }));
  mockWx.cloud = { callFunction };
  mockWx.redirectTo = jest.fn();
  mockWx.reLaunch = jest.fn();
  mockWx.getEnterOptionsSync = jest.fn(() => ({ scene: 1047, query: {} }));
});
afterEach(() => {
  delete mockWx.cloud;
  delete mockWx.getEnterOptionsSync;
});

async function open(options: Record<string, string>): Promise<Comp> {
  const comp = openPage(PAGE);
  (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad(options);
  await simulate.sleep(0);
  await simulate.sleep(0);
  return comp;
}

test("a scanned code: landed with the scene as WeChat passes it, then redirectTo the link's current target", async () => {
  await open({ scene: 'l%3Dspring-qr' });
  expect(callFunction).toHaveBeenCalledTimes(1);
  expect(callFunction.mock.calls[0][0]).toEqual({ name: 'genScheme', data: { action: 'landed', scene: 1047, query: { scene: 'l%3Dspring-qr' } } });
  expect(mockWx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/product/detail?id=42' }));
});

test('long-pressed (1048): the scene value the runtime reports is sent; a target without query', async () => {
  mockWx.getEnterOptionsSync = jest.fn(() => ({ scene: 1048, query: {} }));
  reply = { ...ok, action: 'landed', counted: true, code: 'spring-qr', path: 'pages/order/list', query: '' };
  await open({ scene: 'l%3Dspring-qr' });
  expect(callFunction.mock.calls[0][0].data.scene).toBe(1048);
  expect(mockWx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/order/list' }));
});

test('a disabled link: a friendly message, no redirect; 回到首页 relaunches the home page', async () => {
  reply = {
    errcode: -900031,
    errmsg: 'disabled',
    message: { zh: '稳定链接 "spring-qr" 已停用。', en: 'x' },
    hint: { zh: '活动可能已结束。', en: 'y' },
    retryable: false,
    source: 'genscheme',
    action: 'landed',
  };
  const comp = await open({ scene: 'l%3Dspring-qr' });
  expect(textOf(comp, '#failed')).toContain('活动已结束');
  expect(textOf(comp, '#message')).toBe('稳定链接 "spring-qr" 已停用。');
  expect(mockWx.redirectTo).not.toHaveBeenCalled();
  await tap(comp, '#home');
  expect(mockWx.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
});

test('an unknown link and an unreadable scene: a message; the latter calls nobody', async () => {
  reply = {
    errcode: -900030,
    errmsg: 'not found',
    message: { zh: '找不到稳定链接 "nope"。', en: 'x' },
    hint: { zh: '检查代码。', en: 'y' },
    retryable: false,
    source: 'genscheme',
    action: 'landed',
  };
  const unknown = await open({ scene: 'l%3Dnope1' });
  expect(textOf(unknown, '#failed')).toContain('找不到这个链接');
  callFunction.mockClear();
  const broken = await open({});
  expect(textOf(broken, '#failed')).toContain('这个小程序码不完整');
  expect(callFunction).not.toHaveBeenCalled();
});
