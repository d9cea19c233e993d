/**
 * The README's picture of 链接管理: the real page under miniprogram-simulate with sample data
 * (links-sample.ts, through a stand-in callFunction), its jsdom DOM plus app.wxss and its own
 * WXSS (rpx → px at a 375 px wide screen, class names as j-component prefixes them), a plain
 * look for the built-in components (button, input, radio), then headless Chromium (render-png.js,
 * in a child process: this project runs in jsdom). It must fit 375 px without sideways scrolling.
 * With GENSCHEME_SCREENSHOTS=1 it is written to docs/screenshots/ (committed), otherwise to a
 * temp folder:
 *
 *   GENSCHEME_SCREENSHOTS=1 npx jest --selectProjects miniprogram -- test/miniprogram/links-screenshot.test.ts
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as simulate from 'miniprogram-simulate';
import { ensureChromium, INSTALL_TIMEOUT_MS } from '../web/chromium';
import { loadPage, MINIPROGRAM_ROOT, mockWx, openPage, tap, type Comp } from './helpers';
import { SAMPLE_DAYS, SAMPLE_LINKS, type SentData } from './links-sample';
import { drawWxaCode } from '../../emulator/src/wxacode';
import { TextEncoder as NodeTextEncoder } from 'node:util';

// jsdom has no TextEncoder, which the QR encoder uses.
(globalThis as { TextEncoder?: unknown }).TextEncoder ??= NodeTextEncoder;

/** The selected link's 小程序码, as the emulator draws it (a QR code of its scene), shown from a data URL. */
const CODE_PNG = `data:image/png;base64,${drawWxaCode({ scene: 'l=spring-sms', page: 'pages/code/index', envVersion: 'release', width: 280, lineColor: { r: 0, g: 0, b: 0 }, isHyaline: false }, 'wx0123456789abcdef').toString('base64')}`;

jest.setTimeout(60_000);

const SAVE = process.env.GENSCHEME_SCREENSHOTS === '1';
const OUT = SAVE ? join(__dirname, '../../docs/screenshots') : mkdtempSync(join(tmpdir(), 'links-page-'));
const PAGE = loadPage('pages/links/index');
/** The phone's width: 750 rpx. */
const SCREEN_PX = 375;

const ok = { errcode: 0, errmsg: 'ok', warnings: [] };

/** WXSS as the browser reads it: rpx in px, `.name` as j-component writes the class (`page--name`), tags as `wx-*` elements. */
export function wxssToCss(wxss: string): string {
  return wxss
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `${+((Number(n) * SCREEN_PX) / 750).toFixed(2)}px`)
    .replace(/(^|[^\w\d-])\.([A-Za-z_][\w-]*)/g, '$1.page--$2')
    .replace(/(^|[\s,>+~])(view|text|button|input|picker|label|radio|navigator)(?=[\s,{.:>+~])/g, '$1wx-$2');
}

/** What DevTools draws for the built-in components, roughly (their stubs have no look of their own). */
const BUILT_INS = `
html, body { margin: 0; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; background: #f2f3f5; }
.nav { height: 44px; line-height: 44px; text-align: center; font-size: 17px; font-weight: 600; background: #fff; border-bottom: 1px solid #e5e5e5; }
page, wx-view, wx-picker, wx-radio-group { display: block; }
wx-text { display: inline; }
wx-label { display: inline-flex; align-items: center; }
wx-input { display: block; min-height: 1.6em; }
wx-radio { display: inline-block; box-sizing: border-box; width: 16px; height: 16px; margin-right: 6px; border: 1px solid #d1d1d1; border-radius: 50%; }
wx-radio.checked { border: 5px solid #07c160; }
wx-button.page--code-action { display: inline-block; padding: 0 1.34em; font-size: 13px; line-height: 2.3; font-weight: 400; }
wx-button.page--code-action.page--primary { background: #07c160; color: #fff; }
wx-button { display: block; box-sizing: border-box; padding: 0 14px; border-radius: 5px; background: #f2f2f2; color: #000; font-size: 18px; line-height: 2.56; text-align: center; font-weight: 600; }
wx-button.page--create, wx-button.page--copy { background: #07c160; color: #fff; }
wx-button.page--toggle, wx-button.page--copy, wx-button.page--retry { display: inline-block; padding: 0 1.34em; font-size: 13px; line-height: 2.3; font-weight: 400; }
`;

/** The page's DOM as a standalone HTML document. */
function htmlOf(comp: Comp): string {
  const css = ['app.wxss', 'pages/links/index.wxss'].map((file) => wxssToCss(readFileSync(join(MINIPROGRAM_ROOT, file), 'utf8'))).join('\n');
  // The radio stubs carry no state: mark the checked one (the page's kind) for the picture.
  const kind = (comp.instance as unknown as { data: { kind: string } }).data.kind;
  // miniprogram-simulate has already written the inline styles' rpx as px one to one: scale them.
  let body = comp.dom!.outerHTML.replace(
    /style="([^"]*)"/g,
    (_m, style: string) => `style="${style.replace(/(-?\d*\.?\d+)px/g, (_n, n: string) => `${(Number(n) * SCREEN_PX) / 750}px`)}"`,
  );
  const radios = body.split('<wx-radio>');
  const checked = kind === 'scheme' ? 1 : 2;
  body = radios.map((part, i) => (i === 0 ? part : `<wx-radio${i === checked ? ' class="checked"' : ''}>${part}`)).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=${SCREEN_PX}">
<style>${BUILT_INS}</style><style>${css}</style></head><body><div class="nav">链接管理</div>${body}</body></html>`;
}

beforeAll(() => {
  if (SAVE) {
    // Without a CJK font Chromium draws the Chinese text as boxes.
    const fonts = execSync('fc-list :lang=zh family 2>/dev/null || true').toString().trim();
    if (!fonts) throw new Error('No Chinese font for the screenshots: apt-get install -y fonts-noto-cjk');
  }
  mkdirSync(OUT, { recursive: true });
  ensureChromium();
}, INSTALL_TIMEOUT_MS);

afterEach(() => {
  delete mockWx.cloud;
});

test('wxssToCss converts rpx at 375 px, prefixes classes and names the built-in tags', () => {
  expect(wxssToCss('.a .b-c { margin: 24rpx 0 8rpx; line-height: 1.6; }\n.actions button { width: 1rpx; }\npage { font-size: 30rpx; }')).toBe(
    '.page--a .page--b-c { margin: 12px 0 4px; line-height: 1.6; }\n.page--actions wx-button { width: 0.5px; }\npage { font-size: 15px; }',
  );
});

test("miniprogram-links.png: the list, one link's 14 days and a new link, fitting 375 px", async () => {
  mockWx.cloud = {
    callFunction: async ({ data }: { data: SentData }) => {
      const result =
        data.action === 'listLinks'
          ? { ...ok, action: 'listLinks', links: SAMPLE_LINKS }
          : data.action === 'linkStats'
            ? { ...ok, action: 'linkStats', code: data.code, days: SAMPLE_DAYS }
            : data.action === 'linkCode'
              ? {
                  ...ok,
                  action: 'linkCode',
                  code: data.code,
                  fileID: `cloud://genscheme-1a2b3c.7465-genscheme-1a2b3c-1300000000/genscheme/codes/${data.code}.png`,
                  tempFileURL: CODE_PNG,
                  scene: `l=${data.code}`,
                  page: 'pages/code/index',
                  envVersion: 'release',
                  width: 430,
                  reused: true,
                }
              : {
                  ...ok,
                  action: 'createLink',
                  link: {
                    code: data.code,
                    name: data.name,
                    kind: data.kind,
                    path: data.jumpWxa.path,
                    query: data.jumpWxa.query ?? '',
                    envVersion: 'release',
                    cq: '',
                    disabled: false,
                    createdAt: '2026-11-29T09:00:00.000Z',
                    url: `https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?l=${data.code}`,
                  },
                };
      return { errMsg: 'cloud.callFunction:ok', result };
    },
  };
  const comp = openPage(PAGE);
  await (comp.instance as unknown as { onLoad(): Promise<void> }).onLoad();
  comp.querySelector('#query')!.dispatchEvent('input', { detail: { value: 'from=metro' } });
  comp.querySelector('#name')!.dispatchEvent('input', { detail: { value: '地铁海报' } });
  comp.querySelector('#code')!.dispatchEvent('input', { detail: { value: 'metro-qr' } });
  await simulate.sleep(0);
  await tap(comp, '#create-button');
  await simulate.sleep(0);
  await tap(comp, '#open-1'); // spring-sms, now second under the new link
  await simulate.sleep(0);
  expect(comp.querySelector('#created-text')).toBeTruthy();
  expect(comp.querySelector('#bar-visits-13')).toBeTruthy();

  const html = join(mkdtempSync(join(tmpdir(), 'links-page-html-')), 'miniprogram-links.html');
  expect(comp.querySelector('#code-image')).toBeTruthy();
  // <image> is a stub under simulate (its src is not in the DOM): draw it as an <img> of the code.
  writeFileSync(
    html,
    htmlOf(comp).replace(/<wx-image([^>]*)>(<\/wx-image>)?/, `<img$1 src="${CODE_PNG}" style="display:block;width:180px;height:180px;margin:8px auto">`),
  );
  const png = join(OUT, 'miniprogram-links.png');
  const out = execFileSync(process.execPath, [join(__dirname, 'render-png.js'), ensureChromium(), html, png], { encoding: 'utf8', timeout: 50_000 });
  const { scrollWidth } = JSON.parse(out) as { scrollWidth: number; height: number };
  expect(scrollWidth).toBeLessThanOrEqual(SCREEN_PX);
  expect(statSync(png).size).toBeGreaterThan(5_000);
});
