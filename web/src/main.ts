/**
 * The jump page: reads its URL and its config, then shows one view:
 *   phone   → opens the weixin:// link at once, with a button carrying the same link;
 *   wechat  → the open tag, with a readable fallback;
 *   qr      → desktop and WeCom: a QR code of this page to scan with the phone;
 *   error   → a link that cannot work, and never a broken redirect.
 * A stable link (`?l=CODE`) first asks genScheme what it opens (phone and WeChat only; desktop
 * and WeCom get the QR code of this fixed URL with no call).
 * `document.body.dataset.view` names the view shown (tests wait on it).
 */
import { readConfig, type WebConfig } from './config';
import { parseJumpParams, type JumpError, type JumpParams } from './link-params';
import { GENERATE_FAILED_ZH, generateLive, loadCloud, RESOLVE_FAILED_ZH, resolveStable, type StableResult } from './live';
import { startOpenTag } from './open-tag';
import { encodeQr } from './qr';
import { classifyClient } from './user-agent';

type View = 'loading' | 'phone' | 'wechat' | 'qr' | 'error';
type Ok = Exclude<JumpParams, JumpError>;
type Stable = Extract<Ok, { mode: 'stable' }>;

const byId = (id: string) => document.getElementById(id) as HTMLElement;

function show(view: View): void {
  for (const section of Array.from(document.querySelectorAll('main > section'))) {
    (section as HTMLElement).hidden = section.id !== `view-${view}`;
  }
  document.body.dataset.view = view;
}

function setTitles(name: string): void {
  const title = name ? `打开「${name}」` : '打开小程序';
  document.title = title;
  for (const h of Array.from(document.querySelectorAll('.title'))) h.textContent = title;
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

function showError(error: { zh: string; en: string; hintZh?: string; fixZh?: string }): void {
  byId('error-message').textContent = error.zh;
  byId('error-hint').textContent = error.hintZh || '请联系发送链接的商家获取新的链接。';
  // For whoever sends the link and tests it: the rule's own advice and the English detail.
  byId('error-detail').textContent = [error.fixZh, error.en].filter(Boolean).join(' ');
  show('error');
}

/** Copies this page's URL; `execCommand` covers WeChat web views without the Clipboard API. */
function wireCopyButtons(): void {
  for (const button of Array.from(document.querySelectorAll('button.copy'))) {
    button.addEventListener('click', () => {
      const done = () => (button.textContent = '已复制，去微信或浏览器中粘贴打开');
      const fallback = () => {
        const area = document.createElement('textarea');
        area.value = location.href;
        area.setAttribute('readonly', '');
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        const copied = document.execCommand('copy');
        area.remove();
        button.textContent = copied ? '已复制，去微信或浏览器中粘贴打开' : '请长按地址栏复制链接';
      };
      if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, fallback);
      else fallback();
    });
  }
}

function openScheme(scheme: string, os: 'ios' | 'android' | 'other'): void {
  const link = byId('open-link') as HTMLAnchorElement;
  link.href = scheme;
  link.dataset.scheme = scheme;
  byId('note-ios').hidden = os !== 'ios';
  byId('note-android').hidden = os === 'ios';
  show('phone');
  // Android SMS apps don't recognise weixin:// links; a page navigating to it does the job.
  // Some browsers block this without a tap: the button above carries the same link.
  location.href = scheme;
}

/** `?l=CODE`: what the stable link opens now, from genScheme (resolveLink). */
async function resolve(jump: Stable, config: WebConfig): Promise<StableResult> {
  try {
    return await resolveStable(await loadCloud(config.appid, config.env, loadScript), jump.code);
  } catch (error) {
    return { ok: false, zh: RESOLVE_FAILED_ZH, en: String(error) };
  }
}

async function phone(jump: Ok, config: WebConfig, os: 'ios' | 'android' | 'other'): Promise<void> {
  if (jump.mode === 'stable') {
    const result = await resolve(jump, config);
    if (!result.ok) return showError(result);
    // A URL Link is an https page of WeChat's: a plain redirect (replacing this page in the history).
    if (result.urlLink) return location.replace(result.urlLink);
    return openScheme(result.scheme!, os);
  }
  if (jump.mode !== 'live') return openScheme(jump.scheme, os);
  byId('view-loading').querySelector('h1')!.textContent = '正在生成链接…';
  let result;
  try {
    result = await generateLive(await loadCloud(config.appid, config.env, loadScript), jump.request);
  } catch (error) {
    result = { ok: false as const, zh: GENERATE_FAILED_ZH, en: String(error) };
  }
  if (result.ok) openScheme(result.scheme, os);
  else showError(result);
}

/** Inside WeChat a ticket cannot be opened: the open tag goes to the page (and query) instead. */
async function wechat(jump: Ok, config: WebConfig): Promise<void> {
  let target: { path?: string; query?: string } = jump;
  if (jump.mode === 'stable') {
    const result = await resolve(jump, config);
    if (!result.ok) return showError(result);
    target = result;
  }
  show('wechat');
  const status = byId('launch-status');
  const lead = byId('fallback-lead');
  const unavailable = (reason: string) => {
    console.warn('[genScheme] open tag unavailable:', reason);
    byId('launch-slot').hidden = true;
    status.textContent = '当前页面无法直接打开小程序。';
    lead.textContent = '请在浏览器中打开：';
  };
  // A ticket link does not tell the page which mini-program page it opens; without a path
  // (or without the page's AppID and original id) the open tag cannot be used.
  if (target.path === undefined || !config.username || !config.appid) {
    unavailable(target.path === undefined ? 'the link has no path for the open tag' : 'config has no appid/username');
    return;
  }
  startOpenTag(
    byId('launch-slot'),
    { username: config.username, appid: config.appid, path: target.path, query: target.query ?? '', signatureUrl: config.signatureUrl, loadScript },
    () => (status.hidden = true),
    unavailable,
  );
}

function qr(kind: 'wecom' | 'desktop'): void {
  byId(kind === 'wecom' ? 'lead-wecom' : 'lead-desktop').hidden = false;
  const url = location.href;
  byId('page-url').textContent = url;
  show('qr');
  const canvas = byId('qr') as HTMLCanvasElement;
  let code;
  try {
    code = encodeQr(url);
  } catch {
    canvas.hidden = true; // far too long for a QR code: the URL text and the copy button remain
    return;
  }
  const quiet = 4;
  const cells = code.size + 2 * quiet;
  const ratio = window.devicePixelRatio || 1;
  const scale = Math.max(1, Math.floor((220 * ratio) / cells));
  canvas.width = canvas.height = cells * scale;
  // Whole device pixels per module keep the edges sharp for the camera.
  canvas.style.width = canvas.style.height = `${(cells * scale) / ratio}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  code.dark.forEach((row, r) => row.forEach((on, c) => on && ctx.fillRect((c + quiet) * scale, (r + quiet) * scale, scale, scale)));
}

function main(): void {
  const { config, warnings } = readConfig((window as unknown as { GENSCHEME_CONFIG?: unknown }).GENSCHEME_CONFIG);
  for (const warning of warnings) console.warn('[genScheme]', warning);
  setTitles(config.name);
  wireCopyButtons();
  const jump = parseJumpParams(location.search, config);
  if (!jump.ok) return showError(jump);
  const client = classifyClient(navigator.userAgent, navigator.maxTouchPoints || 0);
  document.body.dataset.client = client.kind;
  if (client.kind === 'phone') void phone(jump, config, client.os);
  else if (client.kind === 'wechat') void wechat(jump, config);
  else qr(client.kind);
}

main();
