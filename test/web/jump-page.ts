/**
 * Serves the built jump page (web/dist) from 127.0.0.1 and opens it in headless Chromium.
 *
 * For the end-to-end test (genScheme → h5Url → page): `attemptedScheme(h5Url, UA.android)`
 * opens the page with the h5Url's query on a local copy of the page and returns the
 * weixin:// URL the page tried to open (null when it tried none).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { DESKTOP, PHONE, UA } from './user-agents';

export const DIST = join(__dirname, '../../web/dist');

/** The page's settings in the tests (stand-in ids of the right shape). */
export const TEST_CONFIG = {
  appid: 'wx0123456789abcdef',
  username: 'gh_0123456789ab',
  name: '作业打卡',
  env: 'genscheme-test-1a2b3c',
  signatureUrl: '',
  live: null as null | { path?: string; query?: string; envVersion?: string },
};
export type TestConfig = typeof TEST_CONFIG;

export interface Served {
  origin: string;
  /** Every request the server answered: path (with query) and body bytes sent. */
  log: Array<{ url: string; bytes: number }>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * Serves web/dist; `config` replaces config.js the way a team edits it on the hosting: an
 * object becomes a one-line config.js, a string is served as config.js as it is, null serves
 * the committed web/dist/config.js.
 */
export async function serveDist(config: Partial<TestConfig> | string | null = TEST_CONFIG): Promise<Served> {
  const log: Served['log'] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'jump.html';
    let body: Buffer;
    if (path === 'config.js' && typeof config === 'string') body = Buffer.from(config);
    else if (path === 'config.js' && config) body = Buffer.from(`window.GENSCHEME_CONFIG = ${JSON.stringify(config)};\n`);
    else if (/^[\w.-]+$/.test(path)) {
      try {
        body = readFileSync(join(DIST, path));
      } catch {
        res.writeHead(404).end();
        log.push({ url: req.url ?? '', bytes: 0 });
        return;
      }
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(body);
    log.push({ url: req.url ?? '', bytes: body.length });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
}

export interface Visit {
  page: Page;
  context: BrowserContext;
  /** Every URL the page requested, in order (weixin:// attempts included). */
  requests: string[];
  /** Navigations the page asked for (CDP Page.frameRequestedNavigation): url and reason (scriptInitiated, anchorClick, …). */
  navigations: Array<{ url: string; reason: string }>;
  /** Requests that failed: a weixin:// attempt ends here (net::ERR_ABORTED) once Chromium gives up on it. */
  failed: string[];
  /** Resolves with the first weixin:// URL the page tries to open. */
  schemeAttempt: Promise<string>;
  /** The view the page settled on (body[data-view]), waiting for it to leave "loading". */
  view(): Promise<string>;
}

/** Opens `url` as a visitor with user agent `userAgent` (phone-sized unless it is a desktop UA). */
export async function visit(browser: Browser, url: string, userAgent: string, setup?: (context: BrowserContext) => Promise<unknown>): Promise<Visit> {
  const desktop = userAgent === UA.desktop || userAgent === UA.windowsWechat;
  const context = await browser.newContext({ userAgent, locale: 'zh-CN', ...(desktop ? DESKTOP : PHONE) });
  // Nothing may leave 127.0.0.1 unless a test routes it on purpose.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort('blockedbyclient'));
  if (setup) await setup(context);
  const page = await context.newPage();
  const requests: string[] = [];
  let found: (url: string) => void = () => undefined;
  const schemeAttempt = new Promise<string>((resolve) => (found = resolve));
  const navigations: Visit['navigations'] = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  cdp.on('Page.frameRequestedNavigation', (event) => navigations.push({ url: event.url, reason: event.reason }));
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  page.on('request', (request) => {
    requests.push(request.url());
    if (request.url().startsWith('weixin://')) found(request.url());
  });
  // A page that sets location.href to a scheme while loading never fires `load`.
  await page.goto(url, { waitUntil: 'commit' });
  const view = async () => {
    await page.waitForSelector('body:not([data-view="loading"])', { state: 'attached', timeout: 10_000 });
    return (await page.getAttribute('body', 'data-view')) ?? '';
  };
  return { page, context, requests, navigations, failed, schemeAttempt, view };
}

/** Waits up to `ms` for a promise; null when it did not settle. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 20 ms for up to `ms`; returns whether it came true. */
export async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/**
 * End-to-end helper: the weixin:// URL the jump page tries to open for `h5Url` (only its
 * query is used; the page is served locally from web/dist), or null if it tries none.
 */
export async function attemptedScheme(h5Url: string, userAgent: string = UA.android, config: Partial<TestConfig> = TEST_CONFIG): Promise<string | null> {
  const served = await serveDist(config);
  const browser = await launch();
  try {
    const { search } = new URL(h5Url);
    const { schemeAttempt, view } = await visit(browser, `${served.origin}/jump.html${search}`, userAgent);
    await view();
    return await within(schemeAttempt, 2_000);
  } finally {
    await browser.close();
    await served.close();
  }
}
