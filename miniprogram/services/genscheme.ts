/**
 * The mini program's one client of the genScheme cloud function.
 * Request and reply types come from shared/contract.ts, so a contract change breaks
 * the page's type check instead of the page at run time.
 */
import type { ErrorReply, GenerateReply, GenerateRequest, GenSchemeRequest, QueryReply, QueryRequest } from '../shared/contract';

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

/** What `action: 'query'` can answer. */
export type QueryOutcome = QueryReply | ErrorReply;

/**
 * Calls genScheme with `req` and resolves to its reply, success or ErrorReply alike.
 * Rejects only with GenSchemeCallError, whose texts are ready to show.
 */
export function generate(req: GenerateRequest): Promise<GenerateOutcome> {
  return call(req, isGenerateReply);
}

/**
 * Asks genScheme what WeChat knows about a link (`action: 'query'`): encrypted (`?t=`, maybe
 * with `&cq=`) or plaintext (`?appid=`). Same outcomes as generate(): the reply, or a
 * GenSchemeCallError.
 */
export function query(scheme: string): Promise<QueryOutcome> {
  const req: QueryRequest = { action: 'query', scheme };
  return call(req, isQueryReply);
}

async function call<R extends GenSchemeRequest, T>(req: R, isReply: (value: unknown) => value is T): Promise<T> {
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

/* The guards check the fields the page reads; the rest is trusted to the contract. */

function isGenerateReply(value: unknown): value is GenerateOutcome {
  if (!isObject(value)) return false;
  if (value.errcode !== 0) return isErrorReply(value);
  return value.action === 'generate' && typeof value.openlink === 'string' && typeof value.expireTime === 'number';
}

function isQueryReply(value: unknown): value is QueryOutcome {
  if (!isObject(value)) return false;
  if (value.errcode !== 0) return isErrorReply(value);
  return (
    value.action === 'query' &&
    typeof value.path === 'string' &&
    typeof value.query === 'string' &&
    typeof value.envVersion === 'string' &&
    isFiniteNumber(value.createTime) &&
    isFiniteNumber(value.expireTime) &&
    typeof value.expired === 'boolean'
  );
}

function isErrorReply(reply: Record<string, any>): boolean {
  return typeof reply.errcode === 'number' && typeof reply.message?.zh === 'string' && typeof reply.hint?.zh === 'string';
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
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
