/**
 * The built jump page (web/dist) in headless Chromium, served from 127.0.0.1, as each kind
 * of visitor sees it. A weixin:// attempt is observed as the request Chromium makes for it.
 * Every request to another host is aborted unless a test routes it on purpose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { h5UrlFromOpenlink } from '../../web/src/h5-url';
import { buildPlaintextLink } from '../../miniprogram/shared/links';
import { INSTALL_TIMEOUT_MS } from './chromium';
import { attemptedScheme, DIST, launch, serveDist, TEST_CONFIG, until, visit, within, type Served } from './jump-page';
import { UA } from './user-agents';

jest.setTimeout(30_000);

const JSSDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';
const CLOUD_SDK = 'https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js';
const TICKET = 'AbCdEf_0123-xyz';
const BUDGET = 30 * 1024;

let browser: Browser;
let served: Served;

beforeAll(async () => {
  browser = await launch(); // installs Chromium or fails with the command to run: never a silent skip
  served = await serveDist();
  // Warm-up: the first tap in a freshly started headless Chromium is sometimes lost.
  const warmUp = await visit(browser, `${served.origin}/jump.html?t=${TICKET}`, UA.android);
  await warmUp.view();
  await warmUp.page.click('#open-link', { noWaitAfter: true });
  await warmUp.context.close();
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

const url = (search: string) => `${served.origin}/jump.html${search}`;
const weixinRequests = (requests: string[]) => requests.filter((r) => r.startsWith('weixin://'));
const offOrigin = (requests: string[]) => requests.filter((r) => !r.startsWith(served.origin) && !r.startsWith('weixin://'));

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector))?.trim() ?? '';
}

/** Reads the QR code drawn on the page's canvas back with jsQR, as a phone camera would. */
async function readQr(page: Page): Promise<string | null> {
  const image = await page.evaluate(() => {
    const canvas = document.getElementById('qr') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
  });
  const rgba = new Uint8ClampedArray(Buffer.from(image.rgba, 'base64'));
  return jsQR(rgba, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

describe.each([
  ['Android', UA.android],
  ['iPhone', UA.iphone],
])('%s browser', (_name, ua) => {
  const plaintext = buildPlaintextLink({ appid: TEST_CONFIG.appid, path: 'pages/product/detail', query: 'id=9&ref=sms', envVersion: 'trial' });
  it.each([
    ['a ticket', `?t=${TICKET}`, `weixin://dl/business/?t=${TICKET}`],
    ['a ticket with cq', `?t=${TICKET}&cq=${encodeURIComponent('uid=42&from=sms')}`, `weixin://dl/business/?t=${TICKET}&cq=uid%3D42%26from%3Dsms`],
    ['a plaintext link', '?path=pages/product/detail&query=id%3D9%26ref%3Dsms&env_version=trial', plaintext],
  ])('opens %s at once, and the button carries the same link', async (_what, search, expected) => {
    const { page, context, requests, navigations, failed, schemeAttempt, view } = await visit(browser, url(search), ua);
    try {
      expect(await within(schemeAttempt, 5_000)).toBe(expected);
      // Chromium gives up on the scheme (it has no handler for it) with net::ERR_ABORTED.
      expect(await until(() => failed.includes(expected), 5_000)).toBe(true);
      expect(await view()).toBe('phone');
      expect(await page.getAttribute('#open-link', 'href')).toBe(expected);
      expect(await page.getAttribute('#open-link', 'data-scheme')).toBe(expected);
      expect(await page.isVisible('#open-link')).toBe(true);
      expect(await text(page, '#open-link')).toBe('打开小程序');
      expect(await page.isVisible(ua === UA.iphone ? '#note-ios' : '#note-android')).toBe(true);
      // The visitor's tap makes the same attempt (for browsers that block the automatic one).
      // The visitor's tap asks for the same navigation (for browsers that block the automatic one).
      await page.click('#open-link', { noWaitAfter: true });
      expect(await until(() => navigations.some((n) => n.reason === 'anchorClick'), 5_000)).toBe(true);
      expect(navigations.map((n) => n.url)).toEqual([expected, expected]);
      expect(new Set(weixinRequests(requests))).toEqual(new Set([expected]));
      expect(offOrigin(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe(`page weight, measured by the browser: ${BUDGET} bytes at most, all from the page's own origin`, () => {
  // The committed web/dist/config.js (comments and all) with only the appid filled in, as a team deploys it.
  const deployedConfig = readFileSync(join(DIST, 'config.js'), 'utf8').replace("appid: ''", `appid: '${TEST_CONFIG.appid}'`);
  let site: Served;
  beforeAll(async () => {
    expect(deployedConfig).toContain(TEST_CONFIG.appid);
    site = await serveDist(deployedConfig);
  });
  afterAll(() => site?.close());

  it.each([
    ['mode 1: a ticket with the longest cq', `?t=${TICKET}&cq=${'a'.repeat(256)}`, UA.android],
    ['mode 1 on an iPhone', `?t=${TICKET}&cq=uid%3D42`, UA.iphone],
    ['mode 2: a plaintext link', '?path=pages/product/detail&query=id%3D9%26ref%3Dsms&env_version=trial', UA.android],
  ])('%s', async (_what, search, ua) => {
    const finished: Array<{ url: string; body: number; headers: number }> = [];
    const { page, context, requests, schemeAttempt, view } = await visit(browser, `${site.origin}/jump.html${search}`, ua, async (ctx) =>
      ctx.on('requestfinished', async (request) => {
        const sizes = await request.sizes();
        finished.push({ url: request.url(), body: sizes.responseBodySize, headers: sizes.responseHeadersSize });
      }),
    );
    try {
      expect(await within(schemeAttempt, 5_000)).toMatch(/^weixin:\/\/dl\/business\/\?/);
      expect(await view()).toBe('phone');
      expect(await until(() => finished.length >= 3, 5_000)).toBe(true);
      await page.waitForTimeout(200); // anything loaded late would show up here
      const http = requests.filter((r) => !r.startsWith('weixin://'));
      expect(http.every((r) => r.startsWith(`${site.origin}/`))).toBe(true);
      expect(finished.map((f) => new URL(f.url).pathname).sort()).toEqual(['/config.js', '/jump.html', '/jump.js']);
      const body = finished.reduce((n, f) => n + f.body, 0);
      const wire = finished.reduce((n, f) => n + f.body + f.headers, 0);
      process.stdout.write(`page weight (${_what}): ${body} B of bodies, ${wire} B with response headers\n`);
      expect(body).toBeGreaterThan(10_000); // the measurement measures something
      expect(body).toBeLessThanOrEqual(BUDGET);
    } finally {
      await context.close();
    }
  });
});

describe('WeChat in-app browser', () => {
  it('shows the readable fallback when the JS-SDK cannot load, and fetches nothing else from outside', async () => {
    const { page, context, requests, schemeAttempt, view } = await visit(browser, url(`?t=${TICKET}&path=pages/order/list&query=id%3D7`), UA.wechatAndroid);
    try {
      expect(await view()).toBe('wechat');
      await page.waitForFunction(() => document.getElementById('launch-status')?.textContent?.includes('无法直接打开'));
      expect(await page.isVisible('#wechat-fallback')).toBe(true);
      expect(await text(page, '#wechat-fallback')).toContain('在浏览器打开');
      expect(await page.isVisible('button.copy')).toBe(true);
      expect(await page.$('wx-open-launch-weapp')).toBeNull();
      expect(offOrigin(requests)).toEqual([JSSDK]);
      expect(await within(schemeAttempt, 300)).toBeNull(); // a scheme does nothing inside WeChat
    } finally {
      await context.close();
    }
  });

  it('puts up the open tag with the gh_ id and path.html?query once wx.config succeeds (stand-in JS-SDK)', async () => {
    // STAND-IN for jweixin-1.6.0.js: records wx.config and answers ready, as WeChat would.
    const standIn =
      'window.wx={config:function(c){window.__wxConfig=c;setTimeout(function(){window.__ready&&window.__ready()},10)},ready:function(f){window.__ready=f},error:function(){}};';
    const { page, context, requests, view } = await visit(browser, url(`?t=${TICKET}&path=pages/order/list&query=id%3D7`), UA.wechatIphone, (ctx) =>
      ctx.route(JSSDK, (route) => route.fulfill({ contentType: 'text/javascript', body: standIn })),
    );
    try {
      expect(await view()).toBe('wechat');
      await page.waitForSelector('#launch-status', { state: 'hidden' });
      const tag = await page.$('#launch-slot wx-open-launch-weapp');
      expect(await tag?.getAttribute('username')).toBe(TEST_CONFIG.username);
      expect(await tag?.getAttribute('path')).toBe('pages/order/list.html?id=7');
      const config = await page.evaluate(() => (window as unknown as { __wxConfig: Record<string, unknown> }).__wxConfig);
      expect(config).toMatchObject({ appId: TEST_CONFIG.appid, openTagList: ['wx-open-launch-weapp'], jsApiList: [] });
      expect(config.signature).toBeTruthy();
      expect(offOrigin(requests)).toEqual([JSSDK]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['an empty path (the home page)', `?t=${TICKET}&path=`, null],
    ['a live target on the home page', '', { path: '', query: '' }],
  ])('opens the home page for %s: the open tag gets no path, never ".html" (stand-in JS-SDK)', async (_what, search, live: object | null) => {
    const standIn =
      'window.wx={config:function(c){setTimeout(function(){window.__ready&&window.__ready()},10)},ready:function(f){window.__ready=f},error:function(){}};';
    const site = live ? await serveDist({ ...TEST_CONFIG, live }) : served;
    const { page, context, view } = await visit(browser, `${site.origin}/jump.html${search}`, UA.wechatAndroid, (ctx) =>
      ctx.route(JSSDK, (route) => route.fulfill({ contentType: 'text/javascript', body: standIn })),
    );
    try {
      expect(await view()).toBe('wechat');
      await page.waitForSelector('#launch-status', { state: 'hidden' });
      const tag = await page.$('#launch-slot wx-open-launch-weapp');
      expect(tag).not.toBeNull();
      expect(await tag!.getAttribute('username')).toBe(TEST_CONFIG.username);
      expect(await tag!.getAttribute('path')).toBeNull();
    } finally {
      await context.close();
      if (site !== served) await site.close();
    }
  });

  it('without a path (a bare ticket link) says to open the page in the browser, and loads no SDK', async () => {
    const { page, context, requests, view } = await visit(browser, url(`?t=${TICKET}`), UA.wechatAndroid);
    try {
      expect(await view()).toBe('wechat');
      expect(await text(page, '#launch-status')).toContain('无法直接打开');
      expect(await text(page, '#fallback-lead')).toContain('请在浏览器中打开');
      expect(await text(page, '#wechat-fallback')).toContain('在浏览器打开');
      await page.waitForTimeout(200);
      expect(offOrigin(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe.each([
  ['WeCom', UA.wecom, '#lead-wecom', '企业微信'],
  ['a desktop browser', UA.desktop, '#lead-desktop', '扫一扫'],
  ['WeChat for Windows', UA.windowsWechat, '#lead-desktop', '扫一扫'],
])('%s', (_name, ua, lead, words) => {
  it('explains, and shows a QR code of this very page instead of opening anything', async () => {
    const search = `?t=${TICKET}&cq=uid%3D42`;
    const { page, context, requests, schemeAttempt, view } = await visit(browser, url(search), ua);
    try {
      expect(await view()).toBe('qr');
      expect(await text(page, lead)).toContain(words);
      expect(await page.isVisible('#qr')).toBe(true);
      expect(await readQr(page)).toBe(url(search));
      expect(await text(page, '#page-url')).toBe(url(search));
      expect(await within(schemeAttempt, 300)).toBeNull();
      expect(offOrigin(requests)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('bad links get the error view and no weixin:// attempt', () => {
  it.each([
    ['a ticket with a bad character', '?t=AB.CD', '链接不完整或已被改动'],
    ['cq of 257 characters', `?t=${TICKET}&cq=${'a'.repeat(257)}`, '257'],
    ['cq with a character the platform refuses', `?t=${TICKET}&cq=${encodeURIComponent('名=值')}`, '不允许的字符'],
    ['a plaintext query of 513 characters encoded', `?path=pages/index/index&query=${encodeURIComponent('a=b&'.repeat(64) + 'x')}`, '513'],
    ['a bad env_version', '?path=pages/index/index&env_version=prod', 'release'],
    ['no parameters at all', '', '链接不完整'],
    ['a path with a query string', `?path=${encodeURIComponent('pages/a/b?x=1')}`, '不能带 query'],
    ['a path traversal', `?path=${encodeURIComponent('pages/../../etc/passwd')}`, '..'],
    ['a ticket link with a bad env_version', `?t=${TICKET}&env_version=prod`, 'release'],
  ])('%s', async (_what, search, words) => {
    for (const ua of [UA.android, UA.iphone, UA.wechatAndroid, UA.desktop]) {
      const { page, context, requests, view } = await visit(browser, url(search), ua);
      try {
        expect(await view()).toBe('error');
        expect(await page.isVisible('#error-message')).toBe(true);
        expect(await text(page, '#error-message')).toContain(words);
        expect(await text(page, '#error-hint')).not.toBe('');
        expect(await page.textContent('#error-detail')).not.toBe('');
        await page.waitForTimeout(100);
        expect(weixinRequests(requests)).toEqual([]);
        expect(offOrigin(requests)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('shows markup from the URL as text, never as HTML (path and ticket echoed in the messages)', async () => {
    const markup = '<img src=x onerror="window.__xss=1">';
    for (const search of [`?path=${encodeURIComponent(`pages/${markup}`)}`, `?t=${encodeURIComponent(markup)}`]) {
      const { page, context, requests, view } = await visit(browser, url(search), UA.android);
      try {
        expect(await view()).toBe('error');
        const shown = `${await page.textContent('#error-message')} ${await page.textContent('#error-detail')}`;
        expect(shown).toContain(markup);
        expect(await page.$$('main img')).toHaveLength(0);
        await page.waitForTimeout(100);
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
        expect(requests.filter((r) => /\/x$/.test(r))).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('a plaintext link on a page whose config has no appid', async () => {
    const unconfigured = await serveDist({ ...TEST_CONFIG, appid: '' });
    const { page, context, requests, view } = await visit(browser, `${unconfigured.origin}/jump.html?path=pages/index/index`, UA.android);
    try {
      expect(await view()).toBe('error');
      expect(await text(page, '#error-message')).toContain('AppID');
      expect(weixinRequests(requests)).toEqual([]);
    } finally {
      await context.close();
      await unconfigured.close();
    }
  });
});

describe('live generation (STAND-IN for the CloudBase web SDK, routed in place of cloud.js)', () => {
  const live = { path: 'pages/index/index', query: 'from=sms' };
  /** A fake `window.cloud` whose callFunction answers like genScheme would. */
  const sdk = (reply: object) =>
    `window.cloud={Cloud:function(o){window.__cloudOptions=o;this.init=function(){return Promise.resolve()};` +
    `this.callFunction=function(c){window.__call=c;return Promise.resolve({result:${JSON.stringify(reply)}})}}};`;

  it('calls genScheme identityless and opens the link it returns', async () => {
    const liveServed = await serveDist({ ...TEST_CONFIG, live });
    const openlink = 'weixin://dl/business/?t=LiveTicket42&cq=uid%3D7';
    const { page, context, schemeAttempt, view } = await visit(browser, `${liveServed.origin}/jump.html?cq=uid%3D7`, UA.android, (ctx) =>
      ctx.route(CLOUD_SDK, (route) => route.fulfill({ contentType: 'text/javascript', body: sdk({ errcode: 0, errmsg: 'ok', action: 'generate', openlink }) })),
    );
    try {
      expect(await within(schemeAttempt, 5_000)).toBe(openlink);
      expect(await view()).toBe('phone');
      expect(await page.getAttribute('#open-link', 'href')).toBe(openlink);
      const seen = await page.evaluate(() => {
        const seen = window as unknown as { __cloudOptions: unknown; __call: unknown };
        return { options: seen.__cloudOptions, call: seen.__call };
      });
      expect(seen.options).toEqual({ identityless: true, resourceAppid: TEST_CONFIG.appid, resourceEnv: TEST_CONFIG.env });
      expect(seen.call).toEqual({ name: 'genScheme', data: { action: 'generate', jumpWxa: { path: 'pages/index/index', query: 'from=sms' }, cq: 'uid=7' } });
    } finally {
      await context.close();
      await liveServed.close();
    }
  });

  it("shows genScheme's refusal in the error view", async () => {
    const liveServed = await serveDist({ ...TEST_CONFIG, live });
    const refusal = {
      errcode: -900010,
      errmsg: 'rate limited',
      message: { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests.' },
      hint: { zh: '稍后再试。', en: '' },
      retryable: true,
    };
    const { page, context, requests, view } = await visit(browser, `${liveServed.origin}/jump.html`, UA.iphone, (ctx) =>
      ctx.route(CLOUD_SDK, (route) => route.fulfill({ contentType: 'text/javascript', body: sdk(refusal) })),
    );
    try {
      expect(await view()).toBe('error');
      expect(await text(page, '#error-message')).toBe(refusal.message.zh);
      expect(weixinRequests(requests)).toEqual([]);
    } finally {
      await context.close();
      await liveServed.close();
    }
  });
});

describe('attemptedScheme (the helper for the end-to-end test)', () => {
  it('returns the weixin:// link the page opens for an h5Url, or null for a bad one', async () => {
    const openlink = `weixin://dl/business/?t=${TICKET}&cq=uid%3D42`;
    const h5Url = h5UrlFromOpenlink('https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html', openlink);
    await expect(attemptedScheme(h5Url, UA.android)).resolves.toBe(openlink);
    await expect(attemptedScheme('https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?t=bad.ticket', UA.android)).resolves.toBeNull();
  }, 30_000);
});
