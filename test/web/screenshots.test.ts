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
import type { Browser } from 'playwright-core';
import { INSTALL_TIMEOUT_MS } from './chromium';
import { launch, serveDist, visit, type Served } from './jump-page';
import { UA } from './user-agents';

jest.setTimeout(30_000);

const SAVE = process.env.GENSCHEME_SCREENSHOTS === '1';
const OUT = SAVE ? join(__dirname, '../../docs/screenshots') : mkdtempSync(join(tmpdir(), 'jump-page-'));
const TICKET = 'AbCdEf_0123-xyz';

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
])('%s: the view fits the screen', async (name, ua, search, expectedView, key) => {
  const { page, context, view } = await visit(browser, `${served.origin}/jump.html${search}`, ua);
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
