/**
 * What wx-server-sdk throws, read as genScheme's Failure. The SDK reports WeChat's errcode, a
 * cloud-call code or a CloudBase code as `errCode` (cloudbase-wire notes in platform-rules §1).
 */
import { clip, type Failure } from '../../../../miniprogram/shared/failure';
import { lookup } from './catalogue';
import { INTERNAL } from './codes';

/** The errCode a wx-server-sdk error (or a WeChat JSON answer) carries, if any. */
export function codeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errCode, errcode } = error as { errCode?: unknown; errcode?: unknown };
  const code = errCode ?? errcode;
  return typeof code === 'number' && Number.isFinite(code) ? code : undefined;
}

/** The error's text as the SDK gave it, short. Reading a hostile value never throws. */
export function errMsgOf(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null) {
      const { errMsg, errmsg, message } = error as { errMsg?: unknown; errmsg?: unknown; message?: unknown };
      const text = errMsg ?? errmsg ?? message;
      if (typeof text === 'string') return clip(text, 300);
    }
    return clip(String(error), 300);
  } catch {
    return 'unprintable error';
  }
}

/**
 * -1 is two things in wx-server-sdk: WeChat's own "system busy" answer (errmsg "system error",
 * §1), and any exception inside the SDK (it stamps errCode -1 on every plain Error). Only the
 * first is safe to retry: after an SDK exception WeChat may already have made the link.
 */
export function isWeChatBusy(error: unknown): boolean {
  return codeOf(error) === -1 && /:fail system error/i.test(errMsgOf(error));
}

/** A failure reported by wx-server-sdk, in the catalogue's words; `attempts` counts the calls made. */
export function sdkFailure(error: unknown, attempts: number): Failure {
  const code = codeOf(error) ?? INTERNAL;
  const row = lookup(code);
  const sdkInternal = code === -1 && !isWeChatBusy(error);
  const meaning = sdkInternal
    ? {
        zh: 'wx-server-sdk 内部出错（不是微信的“系统繁忙”），genScheme 没有重试，以免重复生成。',
        en: 'wx-server-sdk failed internally (not WeChat\'s "system busy"); genScheme did not retry, so as not to generate twice.',
      }
    : row.meaning;
  const tried = attempts > 1 ? { zh: `（已尝试 ${attempts} 次）`, en: ` (after ${attempts} attempts)` } : { zh: '', en: '' };
  return {
    errcode: code,
    source: row.source,
    rule: `${row.source}.${code}`,
    message: { zh: meaning.zh + tried.zh, en: meaning.en + tried.en },
    detail: errMsgOf(error),
    hint: sdkInternal ? { zh: '稍后重试；若持续出现，查看云函数日志。', en: "Try again shortly; if it persists, see the function's logs." } : row.fix,
  };
}
