/**
 * The mini program's one client of the genScheme cloud function.
 * Request and reply types come from shared/contract.ts, so a contract change breaks
 * the page's type check instead of the page at run time.
 */
import type { ErrorReply, GenerateReply, GenerateRequest } from '../shared/contract';

export const FUNCTION_NAME = 'genScheme';

/** The call did not produce a reply we can read: network, missing function, bad result. */
export class GenSchemeCallError extends Error {
  constructor(
    /** What went wrong, for the user. */
    readonly zh: string,
    /** What to do about it, for the user. */
    readonly hintZh: string,
    /** The platform's errMsg or our own English summary, for logs. */
    message: string,
  ) {
    super(message);
    this.name = 'GenSchemeCallError';
    // Keeps `instanceof` working should the compiler down-level classes to ES5.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** What `action: 'generate'` can answer (a subset of the contract's GenSchemeReply). */
export type GenerateOutcome = GenerateReply | ErrorReply;

/**
 * Calls genScheme with `req` and resolves to its reply, success or ErrorReply alike.
 * Rejects only with GenSchemeCallError, whose texts are ready to show.
 */
export async function generate(req: GenerateRequest): Promise<GenerateOutcome> {
  if (!wx.cloud) {
    throw new GenSchemeCallError('当前微信版本不支持云开发(wx.cloud 不存在)。', '请升级微信,或在开发者工具中把基础库调到 2.2.3 以上。', 'wx.cloud is missing');
  }
  let result: unknown;
  try {
    ({ result } = await wx.cloud.callFunction({ name: FUNCTION_NAME, data: req }));
  } catch (err) {
    // callFunction rejects with { errMsg } when the network fails or the function is missing / throws.
    const errMsg = errMsgOf(err);
    throw new GenSchemeCallError(
      `调用云函数 ${FUNCTION_NAME} 失败:${errMsg}`,
      `请检查网络;确认已在云开发控制台部署 ${FUNCTION_NAME},且 config.ts 中的环境 ID 正确。`,
      errMsg,
    );
  }
  if (!isReply(result)) {
    throw new GenSchemeCallError(
      `云函数 ${FUNCTION_NAME} 返回了无法识别的结果。`,
      '请确认云端部署的 genScheme 与本小程序是同一版本(shared/contract.ts)。',
      `malformed result: ${shortJson(result)}`,
    );
  }
  return result;
}

/** Checks the fields the page reads; the rest is trusted to the contract. */
function isReply(value: unknown): value is GenerateOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as Record<string, any>;
  if (reply.errcode === 0) {
    return reply.action === 'generate' && typeof reply.openlink === 'string' && typeof reply.expireTime === 'number';
  }
  return typeof reply.errcode === 'number' && typeof reply.message?.zh === 'string' && typeof reply.hint?.zh === 'string';
}

function errMsgOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { errMsg, message } = err as { errMsg?: unknown; message?: unknown };
    if (typeof errMsg === 'string' && errMsg) return errMsg;
    if (typeof message === 'string' && message) return message;
  }
  return typeof err === 'string' && err ? err : '未知错误';
}

function shortJson(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}
