/**
 * Inside WeChat's browser a `weixin://` link does nothing; the open tag `wx-open-launch-weapp`
 * opens the mini program instead. It needs the JS-SDK (1.6.0+) and a `wx.config` that asks
 * for the tag. On CloudBase static hosting `wx.config` takes the mini program's AppID with any
 * non-empty signature (WeChat's "静态网站 H5 跳小程序" guide); elsewhere an official account's
 * signature is needed, fetched from `signatureUrl`.
 */

export const JSSDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';
const TAG = 'wx-open-launch-weapp';
/** Give up waiting for wx.ready / wx.error after this long and show the fallback. */
const READY_TIMEOUT_MS = 8000;

/**
 * The open tag's `path`: the page path with `.html` appended (WeChat's open-tag guide and
 * static-hosting example; without it the tag reports the page as missing), then `?query`.
 * An empty path means the home page: '' (the tag then gets no `path` attribute), never ".html".
 */
export function openTagPath(path: string, query = ''): string {
  const page = path.replace(/^\//, '');
  return page ? `${page}.html${query ? `?${query}` : ''}` : '';
}

interface WxSdk {
  config(options: Record<string, unknown>): void;
  ready(callback: () => void): void;
  error(callback: (res: { errMsg?: string }) => void): void;
}

interface Signature {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

async function signatureFor(appid: string, signatureUrl: string): Promise<Signature> {
  if (!signatureUrl) {
    // CloudBase static hosting: no signature is computed; any non-empty values will do.
    return { appId: appid, timestamp: Math.floor(Date.now() / 1000), nonceStr: 'genscheme', signature: 'genscheme' };
  }
  const pageUrl = location.href.split('#')[0];
  const response = await fetch(`${signatureUrl}${signatureUrl.includes('?') ? '&' : '?'}url=${encodeURIComponent(pageUrl)}`);
  if (!response.ok) throw new Error(`signature endpoint answered ${response.status}`);
  return (await response.json()) as Signature;
}

const BUTTON_TEMPLATE =
  '<style>.b{display:block;width:100%;height:52px;border:0;border-radius:10px;background:#07c160;color:#fff;font-size:18px;font-weight:600}</style>' +
  '<button class="b">打开小程序</button>';

export interface OpenTagOptions {
  username: string;
  appid: string;
  path: string;
  query: string;
  signatureUrl: string;
  loadScript: (src: string) => Promise<void>;
}

/**
 * Puts the open tag into `slot` and configures the JS-SDK. `onFail` is called once, with a
 * reason, when the tag cannot work (SDK not loaded, wx.config rejected, tag unsupported).
 */
export function startOpenTag(slot: HTMLElement, options: OpenTagOptions, onReady: () => void, onFail: (reason: string) => void): void {
  let settled = false;
  const settle = (ok: boolean, reason = '') => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (ok) onReady();
    else {
      slot.textContent = '';
      onFail(reason);
    }
  };
  const timer = setTimeout(() => settle(false, 'wx.config gave no answer'), READY_TIMEOUT_MS);

  const tag = document.createElement(TAG);
  tag.setAttribute('username', options.username);
  const path = openTagPath(options.path, options.query);
  if (path) tag.setAttribute('path', path);
  else if (options.query) console.warn('[genScheme] open tag: no page path, so the home page opens without the query', options.query);
  const template = document.createElement('script');
  template.type = 'text/wxtag-template';
  template.textContent = BUTTON_TEMPLATE;
  tag.appendChild(template);
  slot.appendChild(tag);
  tag.addEventListener('error', (event) => console.warn('[genScheme] open tag:', (event as unknown as CustomEvent).detail));
  document.addEventListener('WeixinOpenTagsError', (event) => settle(false, String((event as CustomEvent).detail?.errMsg ?? 'WeixinOpenTagsError')));

  options
    .loadScript(JSSDK_URL)
    .then(() => signatureFor(options.appid, options.signatureUrl))
    .then((signature) => {
      const wx = (window as unknown as { wx?: WxSdk }).wx;
      if (!wx) throw new Error('the JS-SDK did not define window.wx');
      wx.ready(() => settle(true));
      wx.error((res) => settle(false, res.errMsg ?? 'wx.config failed'));
      wx.config({ debug: false, ...signature, jsApiList: [], openTagList: [TAG] });
    })
    .catch((error: unknown) => settle(false, error instanceof Error ? error.message : String(error)));
}
