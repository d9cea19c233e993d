/**
 * Counting opens of stable links, the mini program's side: app.ts's onLaunch / onShow report
 * `{ action: 'landed', scene, query }` through services/genscheme.ts when the scene is a link's
 * (1065, 1286, 1194, 1167: platform-rules §9) and the query carries a stable link's marker
 * (`gsl=CODE`, as a key of its own or inside a raw `cq`) — once per launch, never blocking, a
 * failure only logged. The link-target pages report nothing themselves (one path, not two).
 * wx.cloud.callFunction is a jest mock answering per the contract (LandedReply).
 */
import * as simulate from 'miniprogram-simulate';
import type { LandedReply } from '../../miniprogram/shared/contract';
import { loadPage, mockWx, textOf } from './helpers';

type LaunchOptions = { scene?: number; query?: Record<string, string>; path?: string };
interface AppHooks {
  onLaunch(options?: LaunchOptions): void;
  onShow(options?: LaunchOptions): void;
}

const counted = (code: string): LandedReply => ({ errcode: 0, errmsg: 'ok', warnings: [], action: 'landed', counted: true, code });

let callFunction: jest.Mock;
let warn: jest.SpyInstance;
let app: AppHooks;

/** A fresh app process: app.ts loaded anew (its own memory of what it reported). */
function startApp(): AppHooks {
  let registered: AppHooks | undefined;
  (globalThis as Record<string, unknown>).App = (options: AppHooks) => (registered = options);
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- app.ts loaded anew, for its side effect (App())
    require('../../miniprogram/app');
  });
  return registered!;
}

/** What WeChat does on a cold start: onLaunch, then onShow, with the same options. */
function coldStart(options: LaunchOptions) {
  app = startApp();
  app.onLaunch(options);
  app.onShow(options);
}

/** Lets the (unawaited) report and its logging run. */
const settle = () => simulate.sleep(10);

beforeEach(() => {
  callFunction = jest.fn(async () => ({ errMsg: 'cloud.callFunction:ok', result: counted('SPRING24') }));
  mockWx.cloud = { init: jest.fn(), callFunction };
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  delete mockWx.cloud;
  delete (globalThis as Record<string, unknown>).App;
  jest.restoreAllMocks();
});

test('a cold start from a stable link: one landed call with the scene and the query, after wx.cloud.init', async () => {
  const query = { id: '42', from: 'sms', gsl: 'SPRING24' };
  coldStart({ scene: 1065, path: 'pages/product/detail', query });
  await settle();
  expect(callFunction).toHaveBeenCalledTimes(1);
  expect(callFunction).toHaveBeenCalledWith({ name: 'genScheme', data: { action: 'landed', scene: 1065, query } });
  const init = (mockWx.cloud as { init: jest.Mock }).init;
  expect(init.mock.invocationCallOrder[0]).toBeLessThan(callFunction.mock.invocationCallOrder[0]);
});

test.each([1065, 1286, 1194, 1167])("scene %i (a link's, §9) with a marker: one call", async (scene) => {
  coldStart({ scene, query: { gsl: 'SPRING24' } });
  await settle();
  expect(callFunction).toHaveBeenCalledTimes(1);
  expect(callFunction.mock.calls[0][0].data).toEqual({ action: 'landed', scene, query: { gsl: 'SPRING24' } });
});

test.each([1001, 1011, 1089, 1047])('scene %i (not a link) with a marker: no call', async (scene) => {
  coldStart({ scene, query: { gsl: 'SPRING24' } });
  await settle();
  expect(callFunction).not.toHaveBeenCalled();
});

test.each([
  ['no query at all', undefined],
  ['an ordinary query', { id: '42', cq: 'uid=7' }],
  ['an empty marker', { gsl: '' }],
  ['a marker that is no link code', { gsl: 'a.b' }],
  ['a cq without the marker', { cq: 'from%3Dsms%26uid%3D7' }],
  ['a key that only looks like it', { xgsl: 'SPRING24', cq: 'xgsl=SPRING24' }],
])('%s: no call', async (_what, query: Record<string, string> | undefined) => {
  coldStart({ scene: 1065, query });
  await settle();
  expect(callFunction).not.toHaveBeenCalled();
});

test.each([
  ['encoded', { cq: 'from%3Dsms%26gsl%3DPrint_QR' }],
  ['decoded', { cq: 'from=sms&gsl=Print_QR' }],
  ['alone, beside the link query', { id: '9', cq: 'gsl=Print_QR' }],
])('the marker inside a raw cq (%s): one call with the query as it came', async (_what, query: Record<string, string>) => {
  coldStart({ scene: 1194, query });
  await settle();
  expect(callFunction).toHaveBeenCalledTimes(1);
  expect(callFunction.mock.calls[0][0]).toEqual({ name: 'genScheme', data: { action: 'landed', scene: 1194, query } });
});

describe('once per launch', () => {
  test('the onShow after onLaunch (same options, keys in another order) counts nothing', async () => {
    app = startApp();
    app.onLaunch({ scene: 1065, query: { id: '1', gsl: 'SPRING24' } });
    app.onShow({ scene: 1065, query: { gsl: 'SPRING24', id: '1' } });
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
  });

  test('back from the background with the same options (task switcher): no second call', async () => {
    coldStart({ scene: 1065, query: { gsl: 'SPRING24' } });
    app.onShow({ scene: 1065, query: { gsl: 'SPRING24' } });
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
  });

  test('a hot launch from another link counts again; an ordinary return in between changes nothing', async () => {
    coldStart({ scene: 1065, query: { gsl: 'SPRING24' } });
    app.onShow({ scene: 1001, query: {} });
    app.onShow({ scene: 1167, query: { gsl: 'Print_QR' } });
    app.onShow({ scene: 1167, query: { gsl: 'Print_QR' } });
    await settle();
    expect(callFunction.mock.calls.map((call) => call[0].data.query.gsl)).toEqual(['SPRING24', 'Print_QR']);
  });

  test('a new cold start (a new process) from the same link counts again', async () => {
    coldStart({ scene: 1065, query: { gsl: 'SPRING24' } });
    coldStart({ scene: 1065, query: { gsl: 'SPRING24' } });
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(2);
  });

  test('a cold start without a link, then a hot launch from one: one call', async () => {
    coldStart({ scene: 1001, query: {} });
    app.onShow({ scene: 1286, query: { gsl: 'SPRING24' } });
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
    expect(callFunction.mock.calls[0][0].data.scene).toBe(1286);
  });
});

describe('a failing report never reaches the user: the app goes on, and the failure is logged', () => {
  test.each([
    ['callFunction rejects (no network)', () => Promise.reject({ errMsg: 'cloud.callFunction:fail request:fail' })],
    [
      'callFunction throws at once',
      () => {
        throw new Error('boom');
      },
    ],
    ['callFunction never answers', () => new Promise(() => undefined)],
    [
      'genScheme refuses',
      async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: {
          errcode: -900010,
          errmsg: 'rate limited',
          message: { zh: '请求过于频繁。', en: 'Too many requests.' },
          hint: { zh: '稍后再试。', en: 'Later.' },
          retryable: true,
          source: 'policy',
          action: 'landed',
        },
      }),
    ],
    ['an unreadable result', async () => ({ errMsg: 'cloud.callFunction:ok', result: 'oops' })],
  ])('%s', async (what, answer) => {
    callFunction.mockImplementation(answer);
    app = startApp();
    // Both hooks return at once (nothing awaited) and throw nothing.
    expect(app.onLaunch({ scene: 1065, query: { gsl: 'SPRING24' } })).toBeUndefined();
    expect(app.onShow({ scene: 1065, query: { gsl: 'SPRING24' } })).toBeUndefined();
    await settle();
    expect(callFunction).toHaveBeenCalledTimes(1);
    const logged = warn.mock.calls.some((args) => String(args[0]).startsWith('[genScheme] landed'));
    expect(logged).toBe(what !== 'callFunction never answers');
  });

  test('no wx.cloud at all (base library too old): logged, nothing thrown, nothing called', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    mockWx.cloud = undefined;
    app = startApp();
    expect(() => app.onLaunch({ scene: 1065, query: { gsl: 'SPRING24' } })).not.toThrow();
    expect(() => app.onShow({ scene: 1065, query: { gsl: 'SPRING24' } })).not.toThrow();
    await settle();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('2.2.3'));
  });

  test('an old base library passing no options: no call, nothing thrown', async () => {
    app = startApp();
    expect(() => app.onLaunch()).not.toThrow();
    expect(() => app.onShow()).not.toThrow();
    await settle();
    expect(callFunction).not.toHaveBeenCalled();
  });
});

describe('the link-target pages only show the link: they report nothing themselves', () => {
  const TARGETS = ['pages/publishHomework/publishHomework', 'pages/product/detail', 'pages/order/list', 'packageA/pages/promo/index'];
  const ids = new Map(TARGETS.map((page) => [page, loadPage(page)]));
  const originalGetEnterOptionsSync = mockWx.getEnterOptionsSync;
  afterEach(() => {
    mockWx.getEnterOptionsSync = originalGetEnterOptionsSync;
  });

  test.each(TARGETS)('%s', async (page) => {
    const options = { id: '42', gsl: 'SPRING24' };
    mockWx.getEnterOptionsSync = jest.fn(() => ({ scene: 1065, path: page, query: options }));
    const comp = simulate.render(ids.get(page)!);
    (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad(options);
    await settle();
    expect(callFunction).not.toHaveBeenCalled();
    expect(textOf(comp, '#scene')).toBe('加密 URL Scheme 打开(场景值 1065)，稳定链接 SPRING24');
    expect(textOf(comp, '#query')).toBe('id=42\ngsl=SPRING24');
  });
});
