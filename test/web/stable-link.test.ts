/**
 * The stable-link mode (`jump.html?l=CODE`) of the built page (web/dist) in headless Chromium.
 *
 * The CloudBase web SDK (cloud.js) is replaced by a STAND-IN routed in its place: a `window.cloud`
 * whose callFunction records each call and answers `resolveLink` per the contract
 * (miniprogram/shared/contract.ts: ResolveLinkReply, ErrorReply) from a table of codes, the way
 * genScheme would. The function's side of resolveLink is tested with the function itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ErrorReply, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { stableLinkUrl } from '../../miniprogram/shared/stable-links';
import { INSTALL_TIMEOUT_MS } from './chromium';
import { DIST, launch, serveDist, TEST_CONFIG, until, visit, within, type Served } from './jump-page';
import { UA } from './user-agents';

jest.setTimeout(30_000);

const CLOUD_SDK = 'https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js';
const JSSDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';
const BUDGET = 30 * 1024;

function resolved(code: string, fields: Partial<ResolveLinkReply>): ResolveLinkReply {
  return {
    errcode: 0,
    errmsg: 'ok',
    warnings: [],
    action: 'resolveLink',
    code,
    kind: 'scheme',
    expireTime: 1_900_000_000,
    expireAt: '2030-03-17T17:46:40.000Z',
    path: 'pages/product/detail',
    query: 'id=42',
    envVersion: 'release',
    reused: true,
    ...fields,
  };
}

function refused(zh: string, hintZh: string, errcode: number, rule: string): ErrorReply {
  return {
    errcode,
    errmsg: rule,
    message: { zh, en: rule },
    hint: { zh: hintZh, en: 'ask the sender' },
    rule,
    retryable: false,
    source: 'input',
    action: 'resolveLink',
  };
}

const SCHEME = resolved('SPRING24', { openlink: 'weixin://dl/business/?t=StableTicket_42&cq=from%3Dsms%26gsl%3DSPRING24' });
const URL_LINK = resolved('print-qr', {
  kind: 'urllink',
  urlLink: 'https://wxaurl.cn/StableUrlTicket9?cq=gsl%3Dprint-qr',
  path: 'packageA/pages/promo/index',
  query: 'from=print',
});
const MARKED = resolved('Mail_7', { openlink: 'weixin://dl/business/?t=StableTicket_7&cq=gsl%3DMail_7', path: 'pages/order/list', query: 'tab=2&gsl=Mail_7' });
const UNKNOWN = refused('找不到链接 nosuch，它可能从未创建。', '请确认链接完整，或联系发送方获取新链接。', -900041, 'link.unknown');
const DISABLED = refused('链接 OLD2025 已停用。', '活动已结束，请联系发送方。', -900042, 'link.disabled');

/** What the stand-in answers: a reply per code, an unknown code's refusal otherwise; "THROWS" makes callFunction reject. */
const TABLE: Record<string, object> = { SPRING24: SCHEME, 'print-qr': URL_LINK, Mail_7: MARKED, OLD2025: DISABLED };

/** STAND-IN for cloud.js: `window.cloud.Cloud`, recording its options and every callFunction. */
const standInSdk =
  `window.__calls=[];window.cloud={Cloud:function(o){window.__cloudOptions=o;this.init=function(){return Promise.resolve()};` +
  `this.callFunction=function(c){window.__calls.push(c);var t=${JSON.stringify(TABLE)},u=${JSON.stringify(UNKNOWN)};` +
  `if(c.data.code==='THROWS')return Promise.reject(new Error('PERMISSION_DENIED: identityless access is off'));` +
  `return new Promise(function(r){setTimeout(function(){r({result:t[c.data.code]||u})},20)})}}};`;

/** STAND-IN for jweixin-1.6.0.js: wx.config succeeds. */
const standInJssdk =
  'window.wx={config:function(c){window.__wxConfig=c;setTimeout(function(){window.__ready&&window.__ready()},10)},ready:function(f){window.__ready=f},error:function(){}};';

const withSdk = (ctx: BrowserContext) => ctx.route(CLOUD_SDK, (route) => route.fulfill({ contentType: 'text/javascript', body: standInSdk }));

let browser: Browser;
let served: Served;

beforeAll(async () => {
  browser = await launch();
  served = await serveDist();
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const url = (code: string) => stableLinkUrl(`${served.origin}/jump.html`, encodeURIComponent(code));
const weixinRequests = (requests: string[]) => requests.filter((r) => r.startsWith('weixin://'));
const offOrigin = (requests: string[]) => requests.filter((r) => !r.startsWith(served.origin) && !r.startsWith('weixin://'));
const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls?: unknown[] }).__calls ?? null);

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector))?.trim() ?? '';
}

describe.each([
  ['Android', UA.android],
  ['iPhone', UA.iphone],
])('%s browser', (_name, ua) => {
  it("resolves the code through genScheme (identityless) and opens exactly the reply's openlink", async () => {
    const { page, context, requests, schemeAttempt, view } = await visit(browser, url('SPRING24'), ua, withSdk);
    try {
      expect(await within(schemeAttempt, 5_000)).toBe(SCHEME.openlink);
      expect(await view()).toBe('phone');
      expect(await page.getAttribute('#open-link', 'href')).toBe(SCHEME.openlink);
      await page.waitForTimeout(200);
      expect(new Set(weixinRequests(requests))).toEqual(new Set([SCHEME.openlink]));
      expect(await calls(page)).toEqual([{ name: 'genScheme', data: { action: 'resolveLink', code: 'SPRING24' } }]);
      expect(await page.evaluate(() => (window as unknown as { __cloudOptions: unknown }).__cloudOptions)).toEqual({
        identityless: true,
        resourceAppid: TEST_CONFIG.appid,
        resourceEnv: TEST_CONFIG.env,
      });
      expect(offOrigin(requests)).toEqual([CLOUD_SDK]);
    } finally {
      await context.close();
    }
  });

  it('redirects to the urlLink of a URL Link reply (a plain https redirect, no weixin:// attempt)', async () => {
    const { page, context, requests, navigations } = await visit(browser, url('print-qr'), ua, async (ctx) => {
      await withSdk(ctx);
      await ctx.route('https://wxaurl.cn/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>wxaurl stand-in</title>' }));
    });
    try {
      await page.waitForURL(URL_LINK.urlLink!, { timeout: 5_000 });
      expect(navigations.map((n) => n.url)).toContain(URL_LINK.urlLink);
      expect(requests.filter((r) => r.startsWith('https://wxaurl.cn/'))).toEqual([URL_LINK.urlLink]);
      expect(weixinRequests(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("WeChat in-app browser: the open tag goes to the reply's page and query (a ticket cannot be opened there)", () => {
  it.each([
    ['a scheme link (Android WeChat)', 'SPRING24', UA.wechatAndroid, 'pages/product/detail.html?id=42&gsl=SPRING24'],
    ['a URL Link (iPhone WeChat)', 'print-qr', UA.wechatIphone, 'packageA/pages/promo/index.html?from=print&gsl=print-qr'],
    ['a query that already carries the marker', 'Mail_7', UA.wechatAndroid, 'pages/order/list.html?tab=2&gsl=Mail_7'],
  ])('%s', async (_what, code, ua, tagPath) => {
    const { page, context, requests, schemeAttempt, view } = await visit(browser, url(code), ua, async (ctx) => {
      await withSdk(ctx);
      await ctx.route(JSSDK, (route) => route.fulfill({ contentType: 'text/javascript', body: standInJssdk }));
    });
    try {
      expect(await view()).toBe('wechat');
      await page.waitForSelector('#launch-status', { state: 'hidden' });
      const tag = await page.$('#launch-slot wx-open-launch-weapp');
      expect(await tag?.getAttribute('username')).toBe(TEST_CONFIG.username);
      expect(await tag?.getAttribute('path')).toBe(tagPath);
      expect(await calls(page)).toEqual([{ name: 'genScheme', data: { action: 'resolveLink', code } }]);
      expect(offOrigin(requests)).toEqual([CLOUD_SDK, JSSDK]);
      expect(await within(schemeAttempt, 300)).toBeNull();
      expect(requests.filter((r) => r.startsWith('https://wxaurl.cn/'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an unknown code inside WeChat gets the error view, not the open tag', async () => {
    const { page, context, view } = await visit(browser, url('nosuch'), UA.wechatIphone, withSdk);
    try {
      expect(await view()).toBe('error');
      expect(await text(page, '#error-message')).toBe(UNKNOWN.message.zh);
      expect(await page.$('wx-open-launch-weapp')).toBeNull();
    } finally {
      await context.close();
    }
  });
});

describe("a stable link that cannot open gets the error view with genScheme's own words, and no weixin:// attempt", () => {
  it.each([
    ['an unknown code', 'nosuch', UNKNOWN.message.zh, UNKNOWN.hint.zh],
    ['a disabled code', 'OLD2025', DISABLED.message.zh, DISABLED.hint.zh],
    ['a failing callFunction (identityless access off)', 'THROWS', '暂时无法打开链接，请稍后再试。', '请联系发送链接的商家获取新的链接。'],
  ])('%s', async (_what, code, message, hint) => {
    for (const ua of [UA.android, UA.iphone]) {
      const { page, context, requests, view } = await visit(browser, url(code), ua, withSdk);
      try {
        expect(await view()).toBe('error');
        expect(await text(page, '#error-message')).toBe(message);
        expect(await text(page, '#error-hint')).toBe(hint);
        expect(await page.textContent('#error-detail')).not.toBe('');
        expect(await calls(page)).toEqual([{ name: 'genScheme', data: { action: 'resolveLink', code } }]);
        await page.waitForTimeout(100);
        expect(weixinRequests(requests)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('the CloudBase web SDK failing to load: the error view', async () => {
    // Not routed: visit() aborts every request leaving 127.0.0.1, as a blocked res.wx.qq.com would.
    const { page, context, requests, view } = await visit(browser, url('SPRING24'), UA.android);
    try {
      expect(await view()).toBe('error');
      expect(await text(page, '#error-message')).toBe('暂时无法打开链接，请稍后再试。');
      expect(await text(page, '#error-detail')).toContain('cloud.js');
      expect(weixinRequests(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['a code with a bad character', '?l=SPRING.24', 'SPRING.24'],
    ['a code too short', '?l=ab', '"ab"'],
    ['an empty code', '?l=', '链接代码'],
    ['a code given twice', '?l=SPRING24&l=OTHER1', 'l 出现了多次'],
    ['a code with a ticket beside it', '?l=SPRING24&t=AbCdEf', '不能和 t'],
  ])('%s: named in the error view, and no call at all', async (_what, search, words) => {
    for (const ua of [UA.android, UA.iphone, UA.wechatAndroid]) {
      const { page, context, requests, view } = await visit(browser, `${served.origin}/jump.html${search}`, ua, withSdk);
      try {
        expect(await view()).toBe('error');
        expect(await text(page, '#error-message')).toContain(words);
        expect(await text(page, '#error-hint')).not.toBe('');
        await page.waitForTimeout(100);
        expect(offOrigin(requests)).toEqual([]); // the SDK was never even loaded
        expect(weixinRequests(requests)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('a page whose config has no CloudBase environment: the error view, no call', async () => {
    const unconfigured = await serveDist({ ...TEST_CONFIG, env: '' });
    const { page, context, requests, view } = await visit(browser, `${unconfigured.origin}/jump.html?l=SPRING24`, UA.android, withSdk);
    try {
      expect(await view()).toBe('error');
      expect(await text(page, '#error-message')).toContain('云开发环境');
      expect(offOrigin(requests).filter((r) => !r.startsWith(unconfigured.origin))).toEqual([]);
    } finally {
      await context.close();
      await unconfigured.close();
    }
  });
});

describe('desktop and WeCom', () => {
  it.each([
    ['a desktop browser', UA.desktop],
    ['WeCom', UA.wecom],
  ])('%s: the QR code of the fixed URL, and no call', async (_what, ua) => {
    const { page, context, requests, view } = await visit(browser, url('SPRING24'), ua, withSdk);
    try {
      expect(await view()).toBe('qr');
      expect(await text(page, '#page-url')).toBe(url('SPRING24'));
      await page.waitForTimeout(100);
      expect(offOrigin(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

it(`page weight of the stable-link mode: the page's own files stay within ${BUDGET} bytes (plus the CloudBase SDK)`, async () => {
  // The committed config.js (comments and all) with appid and env filled in, as a team deploys it.
  const deployed = readFileSync(join(DIST, 'config.js'), 'utf8')
    .replace("appid: ''", `appid: '${TEST_CONFIG.appid}'`)
    .replace("env: ''", `env: '${TEST_CONFIG.env}'`);
  expect(deployed).toContain(TEST_CONFIG.env);
  const site = await serveDist(deployed);
  const finished: Array<{ url: string; body: number }> = [];
  const { context, schemeAttempt, view } = await visit(browser, stableLinkUrl(`${site.origin}/jump.html`, 'SPRING24'), UA.android, async (ctx) => {
    await withSdk(ctx);
    ctx.on('requestfinished', async (request) => finished.push({ url: request.url(), body: (await request.sizes()).responseBodySize }));
  });
  try {
    expect(await within(schemeAttempt, 5_000)).toBe(SCHEME.openlink);
    expect(await view()).toBe('phone');
    expect(await until(() => finished.filter((f) => f.url.startsWith(site.origin)).length >= 3, 5_000)).toBe(true);
    const own = finished.filter((f) => f.url.startsWith(site.origin));
    expect(own.map((f) => new URL(f.url).pathname).sort()).toEqual(['/config.js', '/jump.html', '/jump.js']);
    const body = own.reduce((n, f) => n + f.body, 0);
    process.stdout.write(`page weight (stable link ?l=): ${body} B of the page's own files, plus cloud.js\n`);
    expect(body).toBeGreaterThan(10_000);
    expect(body).toBeLessThanOrEqual(BUDGET);
  } finally {
    await context.close();
    await site.close();
  }
});
