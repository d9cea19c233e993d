/**
 * The page's calls to genScheme, through the WeChat CloudBase web SDK in identityless mode:
 * live generation (optional, off by default: `generate` on each visit) and stable links
 * (`?l=CODE`: `resolveLink` on each visit). Such a visitor has no OPENID: genScheme treats
 * it as a *public* caller (rate-limited, release links only unless the function says otherwise).
 *
 * The SDK is the outside world: `generateLive` takes any object with a `callFunction` of the
 * SDK's shape, so the page logic is tested with a stand-in; `loadCloud` is the thin part that
 * needs the real script (https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js).
 */
import type { GenSchemeReply, GenerateRequest, ResolveLinkReply, ResolveLinkRequest } from '../../miniprogram/shared/contract';
import { ticketOf } from '../../miniprogram/shared/links';
import { STABLE_LINK_MARKER } from '../../miniprogram/shared/stable-links';
import { urlLinkParts } from '../../miniprogram/shared/url-links';

/** The part of the CloudBase web SDK (`cloud.Cloud` instance) this page uses. */
export interface CallFunctionLike {
  callFunction(options: { name: string; data: GenerateRequest | ResolveLinkRequest }): Promise<{ result?: unknown }>;
}

export interface CallFailure {
  ok: false;
  zh: string;
  en: string;
  hintZh?: string;
}

export type LiveResult = { ok: true; scheme: string } | CallFailure;

/**
 * What a stable link opens: a scheme (`scheme`) or an https URL Link (`urlLink`), and the page
 * and query for the open tag inside WeChat.
 */
export type StableResult = { ok: true; scheme?: string; urlLink?: string; path?: string; query: string } | CallFailure;

export const LIVE_FUNCTION_NAME = 'genScheme';
export const CLOUD_SDK_URL = 'https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js';
export const GENERATE_FAILED_ZH = '暂时无法生成链接，请稍后再试。';
export const RESOLVE_FAILED_ZH = '暂时无法打开链接，请稍后再试。';

function isReply(value: unknown): value is GenSchemeReply {
  return typeof value === 'object' && value !== null && typeof (value as { errcode?: unknown }).errcode === 'number';
}

/**
 * One genScheme call through the SDK: its success reply, or a failure ready for the error view
 * (genScheme's own Chinese message and hint when it refused; `failZh` when the call failed).
 */
async function callGenScheme(
  cloud: CallFunctionLike,
  data: GenerateRequest | ResolveLinkRequest,
  failZh: string,
): Promise<{ ok: true; reply: Record<string, unknown> } | CallFailure> {
  let result: unknown;
  try {
    ({ result } = await cloud.callFunction({ name: LIVE_FUNCTION_NAME, data }));
  } catch (error) {
    // Typically PERMISSION_DENIED: identityless access or the function's security rule is not set up.
    return { ok: false, zh: failZh, en: `callFunction(${LIVE_FUNCTION_NAME}) failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isReply(result)) {
    return { ok: false, zh: failZh, en: `${LIVE_FUNCTION_NAME} returned no reply: ${JSON.stringify(result)}` };
  }
  if (result.errcode !== 0) {
    const failure = result as Extract<GenSchemeReply, { message: unknown }>;
    return {
      ok: false,
      zh: failure.message?.zh || failZh,
      en: `${failure.errcode} ${failure.errmsg ?? ''}`.trim(),
      hintZh: failure.retryable ? '请稍后再试。' : failure.hint?.zh,
    };
  }
  return { ok: true, reply: result as unknown as Record<string, unknown> };
}

export async function generateLive(cloud: CallFunctionLike, request: GenerateRequest): Promise<LiveResult> {
  const called = await callGenScheme(cloud, request, GENERATE_FAILED_ZH);
  if (!called.ok) return called;
  const openlink = typeof called.reply.openlink === 'string' ? called.reply.openlink : '';
  if (ticketOf(openlink) === null) {
    return { ok: false, zh: GENERATE_FAILED_ZH, en: `${LIVE_FUNCTION_NAME} returned no encrypted scheme: ${openlink}` };
  }
  return { ok: true, scheme: openlink };
}

/**
 * The open tag's query for a stable link: the reply's query with the link's marker (`gsl=CODE`)
 * added when absent. The open tag carries no cq, so without it an open from inside WeChat could
 * not be told apart (and `landed` would not count it).
 */
export function openTagQuery(query: string, code: string): string {
  if (`&${query}`.includes(`&${STABLE_LINK_MARKER}=`)) return query;
  return `${query ? `${query}&` : ''}${STABLE_LINK_MARKER}=${code}`;
}

/**
 * `?l=CODE`: asks genScheme (`resolveLink`) for what the stable link opens now. Only an encrypted
 * scheme or a URL Link on WeChat's own hosts is ever opened; anything else is a failure.
 */
export async function resolveStable(cloud: CallFunctionLike, code: string): Promise<StableResult> {
  const called = await callGenScheme(cloud, { action: 'resolveLink', code }, RESOLVE_FAILED_ZH);
  if (!called.ok) return called;
  const reply = called.reply as Partial<ResolveLinkReply>;
  const path = typeof reply.path === 'string' ? reply.path.replace(/^\//, '') : undefined;
  const query = openTagQuery(typeof reply.query === 'string' ? reply.query : '', code);
  if (reply.kind === 'urllink') {
    if (typeof reply.urlLink === 'string' && urlLinkParts(reply.urlLink)) return { ok: true, urlLink: reply.urlLink, path, query };
  } else if (typeof reply.openlink === 'string' && ticketOf(reply.openlink) !== null) {
    return { ok: true, scheme: reply.openlink, path, query };
  }
  return { ok: false, zh: RESOLVE_FAILED_ZH, en: `${LIVE_FUNCTION_NAME} resolveLink returned nothing to open: ${JSON.stringify(reply).slice(0, 300)}` };
}

interface CloudSdkGlobal {
  Cloud: new (options: { identityless: true; resourceAppid: string; resourceEnv: string }) => CallFunctionLike & { init(): Promise<unknown> };
}

/** Loads the CloudBase web SDK and opens an identityless session to the mini program's environment. */
export async function loadCloud(appid: string, env: string, loadScript: (src: string) => Promise<void>): Promise<CallFunctionLike> {
  await loadScript(CLOUD_SDK_URL);
  const sdk = (window as unknown as { cloud?: CloudSdkGlobal }).cloud;
  if (!sdk?.Cloud) throw new Error('the CloudBase web SDK did not define window.cloud');
  const cloud = new sdk.Cloud({ identityless: true, resourceAppid: appid, resourceEnv: env });
  await cloud.init();
  return cloud;
}
