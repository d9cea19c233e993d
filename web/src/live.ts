/**
 * Live generation (optional, off by default): one genScheme call per visit, through the
 * WeChat CloudBase web SDK in identityless mode. Such a visitor has no OPENID: genScheme treats
 * it as a *public* caller (rate-limited, release links only unless the function says otherwise).
 *
 * The SDK is the outside world: `generateLive` takes any object with a `callFunction` of the
 * SDK's shape, so the page logic is tested with a stand-in; `loadCloud` is the thin part that
 * needs the real script (https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js).
 */
import type { GenSchemeReply, GenerateRequest } from '../../miniprogram/shared/contract';
import { ticketOf } from '../../miniprogram/shared/links';

/** The part of the CloudBase web SDK (`cloud.Cloud` instance) this page uses. */
export interface CallFunctionLike {
  callFunction(options: { name: string; data: GenerateRequest }): Promise<{ result?: unknown }>;
}

export type LiveResult = { ok: true; scheme: string } | { ok: false; zh: string; en: string; hintZh?: string };

export const LIVE_FUNCTION_NAME = 'genScheme';
export const CLOUD_SDK_URL = 'https://res.wx.qq.com/open/js/cloudbase/1.1.0/cloud.js';

function isReply(value: unknown): value is GenSchemeReply {
  return typeof value === 'object' && value !== null && typeof (value as { errcode?: unknown }).errcode === 'number';
}

export async function generateLive(cloud: CallFunctionLike, request: GenerateRequest): Promise<LiveResult> {
  let result: unknown;
  try {
    ({ result } = await cloud.callFunction({ name: LIVE_FUNCTION_NAME, data: request }));
  } catch (error) {
    // Typically PERMISSION_DENIED: identityless access or the function's security rule is not set up.
    return {
      ok: false,
      zh: '暂时无法生成链接，请稍后再试。',
      en: `callFunction(${LIVE_FUNCTION_NAME}) failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!isReply(result)) {
    return { ok: false, zh: '暂时无法生成链接，请稍后再试。', en: `${LIVE_FUNCTION_NAME} returned no reply: ${JSON.stringify(result)}` };
  }
  if (result.errcode !== 0) {
    const failure = result as Extract<GenSchemeReply, { message: unknown }>;
    return {
      ok: false,
      zh: failure.message?.zh ?? '暂时无法生成链接，请稍后再试。',
      en: `${failure.errcode} ${failure.errmsg ?? ''}`.trim(),
      hintZh: failure.retryable ? '请稍后再试。' : failure.hint?.zh,
    };
  }
  const openlink = 'openlink' in result && typeof result.openlink === 'string' ? result.openlink : '';
  if (ticketOf(openlink) === null) {
    return { ok: false, zh: '暂时无法生成链接，请稍后再试。', en: `${LIVE_FUNCTION_NAME} returned no encrypted scheme: ${openlink}` };
  }
  return { ok: true, scheme: openlink };
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
