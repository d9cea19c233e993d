/**
 * Counting opens of stable links, the mini program's side: a link-target page opened by a stable
 * link (its marker `gsl=CODE` in the onLoad options, as a key of its own or inside a raw `cq`,
 * platform-rules §9) calls genScheme once with `{ action: 'landed', scene, query: options }`
 * through services/genscheme.ts; an ordinary open calls nothing; a failure never reaches the user.
 * wx.cloud.callFunction is a jest mock answering per the contract (LandedReply).
 */
import * as simulate from 'miniprogram-simulate';
import type { LandedReply } from '../../miniprogram/shared/contract';
import { loadPage, mockWx, textOf } from './helpers';

const TARGETS = ['pages/publishHomework/publishHomework', 'pages/product/detail', 'pages/order/list', 'packageA/pages/promo/index'];
const ids = new Map(TARGETS.map((page) => [page, loadPage(page)]));
const originalGetEnterOptionsSync = mockWx.getEnterOptionsSync;

const counted = (code: string): LandedReply => ({ errcode: 0, errmsg: 'ok', warnings: [], action: 'landed', counted: true, code });

let callFunction: jest.Mock;
let warn: jest.SpyInstance;

beforeEach(() => {
  callFunction = jest.fn(async () => ({ errMsg: 'cloud.callFunction:ok', result: counted('SPRING24') }));
  mockWx.cloud = { callFunction };
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  mockWx.getEnterOptionsSync = originalGetEnterOptionsSync;
  delete mockWx.cloud;
  warn.mockRestore();
});

function openWith(page: string, options: Record<string, string>, scene?: number) {
  mockWx.getEnterOptionsSync = jest.fn(() => ({ scene, path: page, query: options }));
  const comp = simulate.render(ids.get(page)!);
  (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad(options);
  return comp;
}

/** Lets the (unawaited) report and its logging run. */
const settle = () => simulate.sleep(10);

describe.each(TARGETS)('%s', (page) => {
  test('the marker as a key of its own: one landed call with the scene and the options', async () => {
    const options = { id: '42', from: 'sms', gsl: 'SPRING24' };
    const comp = openWith(page, options, 1065);
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(callFunction).toHaveBeenCalledWith({ name: 'genScheme', data: { action: 'landed', scene: 1065, query: options } });
    expect(textOf(comp, '#scene')).toBe('加密 URL Scheme 打开(场景值 1065)，稳定链接 SPRING24');
    expect(textOf(comp, '#query')).toBe('id=42\nfrom=sms\ngsl=SPRING24');
  });

  test('no marker: no call at all (an ordinary open)', async () => {
    const comp = openWith(page, { id: '42', cq: 'uid=7' }, 1065);
    await settle();
    expect(callFunction).not.toHaveBeenCalled();
    expect(textOf(comp, '#scene')).toBe('加密 URL Scheme 打开(场景值 1065)');
  });
});

test.each([
  ['encoded', { cq: 'from%3Dsms%26gsl%3DPrint_QR' }],
  ['decoded', { cq: 'from=sms&gsl=Print_QR' }],
  ['alone, beside the link query', { id: '9', cq: 'gsl=Print_QR' }],
])('the marker inside a raw cq (%s): one landed call with the options as they came', async (_what, options: Record<string, string>) => {
  const comp = openWith('packageA/pages/promo/index', options, 1194);
  await settle();
  expect(callFunction).toHaveBeenCalledTimes(1);
  expect(callFunction.mock.calls[0][0]).toEqual({ name: 'genScheme', data: { action: 'landed', scene: 1194, query: options } });
  expect(textOf(comp, '#scene')).toBe('场景值 1194，稳定链接 Print_QR');
});

test.each([
  ['an empty marker', { gsl: '' }],
  ['a marker that is no link code', { gsl: 'a.b' }],
  ['a cq without the marker', { cq: 'from%3Dsms%26uid%3D7' }],
  ['a key that only looks like it', { xgsl: 'SPRING24', cq: 'xgsl=SPRING24' }],
])('%s: no call', async (_what, options: Record<string, string>) => {
  openWith('pages/product/detail', options, 1065);
  await settle();
  expect(callFunction).not.toHaveBeenCalled();
});

test('without getEnterOptionsSync (old base library) the call goes without a scene', async () => {
  const comp = simulate.render(ids.get('pages/order/list')!);
  mockWx.getEnterOptionsSync = undefined;
  (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad({ gsl: 'SPRING24' });
  await settle();
  expect(callFunction).toHaveBeenCalledWith({ name: 'genScheme', data: { action: 'landed', query: { gsl: 'SPRING24' } } });
  expect(textOf(comp, '#scene')).toBe('未知，稳定链接 SPRING24');
});

describe('a failing report never reaches the user: the page renders, and the failure is logged', () => {
  test.each([
    ['callFunction rejects (no network)', () => Promise.reject({ errMsg: 'cloud.callFunction:fail request:fail' })],
    ['callFunction never answers', () => new Promise(() => undefined)],
    ['genScheme refuses', async () => ({ errMsg: 'cloud.callFunction:ok', result: { errcode: -900010, errmsg: 'rate limited', message: { zh: '请求过于频繁。', en: 'Too many requests.' }, hint: { zh: '稍后再试。', en: 'Later.' }, retryable: true, source: 'policy', action: 'landed' } })],
    ['an unreadable result', async () => ({ errMsg: 'cloud.callFunction:ok', result: 'oops' })],
  ])('%s', async (what, answer) => {
    callFunction.mockImplementation(answer);
    const comp = openWith('pages/product/detail', { id: '42', gsl: 'SPRING24' }, 1065);
    // Rendered at once, before the report settles.
    expect(textOf(comp, '#query')).toBe('id=42\ngsl=SPRING24');
    expect(textOf(comp, '#scene')).toBe('加密 URL Scheme 打开(场景值 1065)，稳定链接 SPRING24');
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(textOf(comp, '#query')).toBe('id=42\ngsl=SPRING24');
    const logged = warn.mock.calls.some((args) => String(args[0]).startsWith('[genScheme] landed'));
    expect(logged).toBe(what !== 'callFunction never answers');
  });

  test('no wx.cloud at all (base library too old): the page renders, nothing thrown', async () => {
    mockWx.cloud = undefined;
    const comp = openWith('pages/order/list', { gsl: 'SPRING24' }, 1065);
    await settle();
    expect(textOf(comp, '#query')).toBe('gsl=SPRING24');
    expect(warn).toHaveBeenCalled();
  });
});
