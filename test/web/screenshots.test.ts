/**
 * Each view fits its screen: the thing to tap or scan is fully visible without scrolling and
 * nothing overflows sideways. With GENSCHEME_SCREENSHOTS=1 the screenshots are written to
 * docs/screenshots/ (committed; CI does not regenerate them), otherwise to a temp folder.
 *
 *   GENSCHEME_SCREENSHOTS=1 npx jest --selectProjects web -- test/web/screenshots.test.ts
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { INSTALL_TIMEOUT_MS } from './chromium';
import { launch, serveDist, visit, type Served } from './jump-page';
import { UA } from './user-agents';

jest.setTimeout(30_000);

const SAVE = process.env.GENSCHEME_SCREENSHOTS === '1';
const OUT = SAVE ? join(__dirname, '../../docs/screenshots') : mkdtempSync(join(tmpdir(), 'jump-page-'));
const TICKET = 'AbCdEf_0123-xyz';

/** A STAND-IN for the CloudBase web SDK (as in stable-link.test.ts): resolveLink answers per the contract. */
const CLOUD_SDK = 'https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js';
const RESOLVED = {
  errcode: 0,
  errmsg: 'ok',
  warnings: [],
  action: 'resolveLink',
  code: 'SPRING24',
  kind: 'scheme',
  openlink: `weixin://dl/business/?t=${TICKET}&cq=gsl%3DSPRING24`,
  expireTime: 1_900_000_000,
  expireAt: '2030-03-17T17:46:40.000Z',
  path: 'pages/product/detail',
  query: 'id=9',
  envVersion: 'release',
  reused: true,
};
const DISABLED = {
  errcode: -900042,
  errmsg: 'link disabled',
  message: { zh: '链接 OLD2025 已停用。', en: 'Link OLD2025 is disabled.' },
  hint: { zh: '这个活动已经结束，请联系发送方获取新的链接。', en: 'Ask the sender.' },
  retryable: false,
  source: 'input',
  action: 'resolveLink',
};
const stableSdk = (ctx: BrowserContext) =>
  ctx.route(CLOUD_SDK, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `window.cloud={Cloud:function(){this.init=function(){return Promise.resolve()};this.callFunction=function(c){return Promise.resolve({result:c.data.code==='SPRING24'?${JSON.stringify(RESOLVED)}:${JSON.stringify(DISABLED)}})}}};`,
    }),
  );

let browser: Browser;
let served: Served;

beforeAll(async () => {
  if (SAVE) {
    // Without a CJK font Chromium draws the Chinese text as boxes.
    const fonts = execSync('fc-list :lang=zh family 2>/dev/null || true').toString().trim();
    if (!fonts) throw new Error('No Chinese font for the screenshots: apt-get install -y fonts-noto-cjk');
  }
  mkdirSync(OUT, { recursive: true });
  browser = await launch();
  served = await serveDist();
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

it.each([
  ['web-android', UA.android, `?t=${TICKET}&cq=uid%3D42`, 'phone', '#open-link'],
  ['web-iphone', UA.iphone, '?path=pages/product/detail&query=id%3D9&env_version=release', 'phone', '#open-link'],
  ['web-wechat-fallback', UA.wechatAndroid, `?t=${TICKET}&path=pages/order/list&query=id%3D7`, 'wechat', '#wechat-fallback'],
  ['web-wecom', UA.wecom, `?t=${TICKET}&cq=uid%3D42`, 'qr', '#qr'],
  ['web-desktop-qr', UA.desktop, `?t=${TICKET}&cq=uid%3D42`, 'qr', '#qr'],
  ['web-error', UA.android, `?t=${TICKET}&cq=${'a'.repeat(257)}`, 'error', '#error-hint'],
  ['web-stable-link', UA.iphone, '?l=SPRING24', 'phone', '#open-link'],
  ['web-stable-disabled', UA.android, '?l=OLD2025', 'error', '#error-hint'],
])('%s: the view fits the screen', async (name, ua, search, expectedView, key) => {
  const { page, context, view } = await visit(browser, `${served.origin}/jump.html${search}`, ua, search.startsWith('?l=') ? stableSdk : undefined);
  try {
    expect(await view()).toBe(expectedView);
    if (expectedView === 'wechat') {
      // The JS-SDK is blocked here, as when it fails to load: wait for the fallback wording.
      await page.waitForFunction(() => document.getElementById('launch-status')?.textContent?.includes('无法直接打开'));
    }
    const viewport = page.viewportSize()!;
    const box = (await page.locator(key).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(5_000);
  } finally {
    await context.close();
  }
});
