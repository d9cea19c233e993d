/**
 * Renders one HTML file to a PNG with headless Chromium (playwright-core), as a 375 px wide phone
 * at 2x. Run by links-screenshot.test.ts in a child process (the miniprogram project runs in jsdom).
 *   node test/miniprogram/render-png.js CHROMIUM_PATH IN.html OUT.png
 * Prints {"scrollWidth": …, "height": …} for the test to check.
 */
/* global document -- read inside page.evaluate, in the browser */
const { chromium } = require('playwright-core');

const [chromiumPath, input, output] = process.argv.slice(2);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

(async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2 });
    await page.goto(`file://${input}`);
    const size = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    await page.screenshot({ path: output, fullPage: true });
    process.stdout.write(JSON.stringify(size));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
