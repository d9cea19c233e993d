/**
 * End to end: genScheme (the built function, the real wx-server-sdk, the emulator in place of
 * WeChat's gateway) → its `h5Url` → the jump page (web/dist, served from 127.0.0.1, in headless
 * Chromium) → the weixin:// URL the page tries to open, which must be exactly the reply's openlink.
 *
 * The function writes h5Url with its own code (h5UrlFor in cloudfunctions/genScheme/src/handler.ts),
 * not with the page's h5UrlFromOpenlink: this is what keeps the two in step.
 */
import type { Browser } from 'playwright-core';
import type { GenerateReply, GenSchemeReply, PlaintextReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import type { LoadedFunction } from '../../emulator/src/run-function';
import { loadWithEnv } from '../support/function';
import { INSTALL_TIMEOUT_MS } from './chromium';
import { launch, serveDist, TEST_CONFIG, visit, within, type Served } from './jump-page';
import { UA } from './user-agents';

jest.setTimeout(30_000);

const H5 = 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html';
const USER = { openid: 'oWebE2eUser', source: 'wx_client' };

let emulator: Emulator;
let fn: LoadedFunction<unknown, GenSchemeReply>;
let browser: Browser;
let served: Served;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  browser = await launch(); // installs Chromium or fails with the command to run: never a silent skip
  emulator = await startEmulator({ seed: 8 });
  fn = loadWithEnv(emulator, { GENSCHEME_H5_BASE_URL: H5 });
  // The page is configured for the emulator's mini program (plaintext links carry its appid).
  served = await serveDist({ ...TEST_CONFIG, appid: emulator.appid });
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await emulator?.close();
});

/** Opens the h5Url's query on the locally served page; returns the weixin:// URL attempted. */
async function attempted(h5Url: string, ua: string): Promise<{ scheme: string | null; view: string; href: string | null }> {
  const { search } = new URL(h5Url);
  const v = await visit(browser, `${served.origin}/jump.html${search}`, ua);
  try {
    const scheme = await within(v.schemeAttempt, 5_000);
    const view = await v.view();
    return { scheme, view, href: view === 'phone' ? await v.page.getAttribute('#open-link', 'href') : null };
  } finally {
    await v.context.close();
  }
}

describe.each([
  ['Android', UA.android],
  ['iPhone', UA.iphone],
])('genScheme → h5Url → the page on %s → the same link', (_name, ua) => {
  it.each([
    ['generate', { jumpWxa: { path: 'pages/product/detail', query: 'id=9' }, expireInterval: 7 }],
    ['generate with cq', { jumpWxa: { path: 'pages/product/detail', query: 'id=9' }, cq: 'uid=42&src=sms' }],
    ['plaintext', { action: 'plaintext', jumpWxa: { path: '/pages/product/detail', query: 'id=7&ref=sms', envVersion: 'release' } }],
    ['plaintext with a Chinese query value', { action: 'plaintext', jumpWxa: { path: 'pages/product/detail', query: 'id=7&from=短信' } }],
  ])('%s', async (_what, event) => {
    const reply = (await fn.invoke(event, USER)) as GenerateReply | PlaintextReply;
    expect(reply).toMatchObject({ errcode: 0 });
    expect(reply.h5Url?.startsWith(`${H5}?`)).toBe(true);
    const seen = await attempted(reply.h5Url!, ua);
    expect(seen).toEqual({ scheme: reply.openlink, view: 'phone', href: reply.openlink });
  });
});

it("genScheme → h5Url → WeChat's in-app browser: the open tag opens the generated link's page with its query (stand-in JS-SDK)", async () => {
  const reply = (await fn.invoke({ jumpWxa: { path: 'pages/product/detail', query: 'id=9' }, cq: 'uid=42' }, USER)) as GenerateReply;
  expect(reply.errcode).toBe(0);
  const { search } = new URL(reply.h5Url!);
  // STAND-IN for jweixin-1.6.0.js (it cannot be loaded here): records wx.config and answers ready.
  const standIn =
    'window.wx={config:function(c){window.__wxConfig=c;setTimeout(function(){window.__ready&&window.__ready()},10)},ready:function(f){window.__ready=f},error:function(){}};';
  const v = await visit(browser, `${served.origin}/jump.html${search}`, UA.wechatIphone, (ctx) =>
    ctx.route('https://res.wx.qq.com/open/js/jweixin-1.6.0.js', (route) => route.fulfill({ contentType: 'text/javascript', body: standIn })),
  );
  try {
    expect(await v.view()).toBe('wechat');
    await v.page.waitForSelector('#launch-status', { state: 'hidden' });
    const tag = await v.page.$('#launch-slot wx-open-launch-weapp');
    expect(await tag?.getAttribute('path')).toBe('pages/product/detail.html?id=9');
  } finally {
    await v.context.close();
  }
});
