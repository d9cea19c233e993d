/**
 * A rejected or unreadable wx.cloud.callFunction as the page shows it: what went wrong and what to
 * do, in Chinese, told apart by the platform's errCode (a missing function, one that crashed, a
 * wrong environment, a time-out).
 */
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
    /** callFunction's errCode, when it gave one. */
    readonly errCode?: number,
  ) {
    super(message);
    this.name = 'GenSchemeCallError';
    // Keeps `instanceof` working should the compiler down-level classes to ES5.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * What to tell the user about a rejected callFunction. The errCode (also inside errMsg as
 * `errCode: -504002`) tells a missing function from one that crashed or a wrong environment.
 */
export function callErrorOf(err: unknown): GenSchemeCallError {
  const errMsg = errMsgOf(err);
  const errCode = errCodeOf(err, errMsg);
  return new GenSchemeCallError(`调用云函数 ${FUNCTION_NAME} 失败：${errMsg}`, callHintOf(errCode, errMsg), errMsg, errCode);
}

function callHintOf(errCode: number | undefined, errMsg: string): string {
  // Codes: WeChat's cloud error-code list (-504002 / -40401x function failed, -501002 timeout,
  // -501005 environment) and what the platform answers for a function not deployed (-501000);
  // "env not exists" comes with -501007, which also covers other invalid parameters.
  if (errCode === -501000 || /FunctionName parameter could not be found|function not found/i.test(errMsg)) {
    return `找不到云函数 ${FUNCTION_NAME}：请在开发者工具中右键 cloudfunctions/${FUNCTION_NAME} →「上传并部署：所有文件」（index.js 已包含 wx-server-sdk），并确认 config.ts 中的环境 ID 就是部署的环境。`;
  }
  if (errCode === -504002 || errCode === -404010 || errCode === -404011 || /functions execute fail/i.test(errMsg)) {
    return `云函数 ${FUNCTION_NAME} 运行出错：请在云开发控制台 → 云函数 → ${FUNCTION_NAME} → 日志中查看原因；index.js 须是 npm run build 构建的完整文件（已包含 wx-server-sdk）。`;
  }
  if (errCode === -501005 || /env(ironment)? not exist|INVALID_ENV/i.test(errMsg)) {
    return '云开发环境不存在或不可用：请核对 config.ts 中的环境 ID（云开发控制台 → 设置 → 环境 ID），并确认环境未欠费。';
  }
  if (errCode === -501002 || /time ?out/i.test(errMsg)) {
    return `调用超时：请稍后重试；若一直超时，请把云函数 ${FUNCTION_NAME} 的超时时间设为 10 秒。`;
  }
  return `请检查网络；确认已在云开发控制台部署 ${FUNCTION_NAME}，且 config.ts 中的环境 ID 正确。`;
}

function errCodeOf(err: unknown, errMsg: string): number | undefined {
  const direct = typeof err === 'object' && err !== null ? (err as { errCode?: unknown }).errCode : undefined;
  if (typeof direct === 'number' && Number.isFinite(direct) && direct !== 0) return direct;
  const inText = /errCode:\s*(-?\d+)/.exec(errMsg);
  return inText ? Number(inText[1]) : undefined;
}

function errMsgOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { errMsg, message } = err as { errMsg?: unknown; message?: unknown };
    if (typeof errMsg === 'string' && errMsg) return errMsg;
    if (typeof message === 'string' && message) return message;
  }
  return typeof err === 'string' && err ? err : '未知错误';
}
