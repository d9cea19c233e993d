/**
 * The mini program's one client of the genScheme cloud function.
 * Request and reply types come from shared/contract.ts, so a contract change breaks
 * the page's type check instead of the page at run time.
 */
import type {
  Bilingual,
  CreateLinkReply,
  CreateLinkRequest,
  ErrorReply,
  GenerateReply,
  GenerateRequest,
  GenSchemeRequest,
  LandedReply,
  LandedRequest,
  LinkCodeReply,
  LinkCodeRequest,
  LinkStatsDay,
  LinkStatsReply,
  LinkStatsRequest,
  ListLinksReply,
  ListLinksRequest,
  QueryReply,
  QueryRequest,
  StableLink,
  UpdateLinkReply,
  UpdateLinkRequest,
  UrlLinkReply,
  UrlLinkRequest,
  Warning,
} from '../shared/contract';
import { urlLinkTicketOf } from '../shared/links';
import { SCHEME_PREFIX } from '../shared/platform';

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

/** What `action: 'generate'` can answer (a subset of the contract's GenSchemeReply). */
export type GenerateOutcome = GenerateReply | ErrorReply;

/** What `action: 'urllink'` can answer. */
export type UrlLinkOutcome = UrlLinkReply | ErrorReply;

/** What `action: 'query'` can answer. */
export type QueryOutcome = QueryReply | ErrorReply;

/** What `action: 'landed'` can answer. */
export type LandedOutcome = LandedReply | ErrorReply;

/** What the stable-link actions can answer (trusted callers only: others get -900010). */
export type CreateLinkOutcome = CreateLinkReply | ErrorReply;
export type UpdateLinkOutcome = UpdateLinkReply | ErrorReply;
export type ListLinksOutcome = ListLinksReply | ErrorReply;
export type LinkStatsOutcome = LinkStatsReply | ErrorReply;
export type LinkCodeOutcome = LinkCodeReply | ErrorReply;

/** Every request this client sends. */
type ClientRequest = GenSchemeRequest | LandedRequest | CreateLinkRequest | UpdateLinkRequest | ListLinksRequest | LinkStatsRequest | LinkCodeRequest;

/**
 * Calls genScheme with `req` and resolves to its reply, success or ErrorReply alike, with every
 * text the page shows present and non-empty. Rejects only with GenSchemeCallError, whose texts are
 * ready to show.
 */
export function generate(req: GenerateRequest): Promise<GenerateOutcome> {
  return call(req, readGenerate);
}

/** An https URL Link (`action: 'urllink'`, platform-rules §8); same outcomes as generate(). */
export function generateUrlLink(req: UrlLinkRequest): Promise<UrlLinkOutcome> {
  return call(req, readUrlLink);
}

/**
 * Asks genScheme what WeChat knows about a link (`action: 'query'`): encrypted (`?t=`, maybe
 * with `&cq=`), plaintext (`?appid=`), or a URL Link (`https://wxaurl.cn/…`, maybe with `?cq=`). Same outcomes as generate(): the reply, or a
 * GenSchemeCallError.
 */
export function query(scheme: string): Promise<QueryOutcome> {
  const req: QueryRequest = { action: 'query', scheme };
  return call(req, readQuery);
}

/**
 * Reports a launch (`action: 'landed'`) with its scene and query (onLaunch / onShow options), so
 * genScheme counts an open of the stable link whose marker they carry. Same outcomes as generate().
 */
export function landed(scene: number | undefined, options: Record<string, string | undefined>): Promise<LandedOutcome> {
  const req: LandedRequest = { action: 'landed', ...(scene === undefined ? {} : { scene }), query: options };
  return call(req, readLanded);
}

/** A new stable link (`action: 'createLink'`, trusted callers). Same outcomes as generate(). */
export function createLink(req: Omit<CreateLinkRequest, 'action'>): Promise<CreateLinkOutcome> {
  return call({ action: 'createLink', ...req } as CreateLinkRequest, (value) => readLinkReply<CreateLinkReply>(value, 'createLink'));
}

/** Changes a stable link: its name, target, cq, or `disabled` (`action: 'updateLink'`, trusted callers). */
export function updateLink(req: Omit<UpdateLinkRequest, 'action'>): Promise<UpdateLinkOutcome> {
  return call({ action: 'updateLink', ...req } as UpdateLinkRequest, (value) => readLinkReply<UpdateLinkReply>(value, 'updateLink'));
}

/** Every stable link with its totals (`action: 'listLinks'`, trusted callers). */
export function listLinks(): Promise<ListLinksOutcome> {
  const req: ListLinksRequest = { action: 'listLinks' };
  return call(req, readListLinks);
}

/** Visits, opens and openers per China-time day, oldest first (`action: 'linkStats'`, trusted callers; 14 days by default). */
export function linkStats(code: string, days?: number): Promise<LinkStatsOutcome> {
  const req: LinkStatsRequest = { action: 'linkStats', code, ...(days === undefined ? {} : { days }) };
  return call(req, readLinkStats);
}

/** A stable link's 小程序码 (`action: 'linkCode'`, trusted callers): its fileID and a temporary URL of the PNG. */
export function linkCode(req: Omit<LinkCodeRequest, 'action'>): Promise<LinkCodeOutcome> {
  return call({ action: 'linkCode', ...req } as LinkCodeRequest, readLinkCode);
}

async function call<R extends ClientRequest, T>(req: R, readSuccess: (value: Record<string, unknown>) => T | null): Promise<T | ErrorReply> {
  if (!wx.cloud) {
    throw new GenSchemeCallError('当前微信版本不支持云开发（wx.cloud 不存在）。', '请升级微信，或在开发者工具中把基础库调到 2.2.3 以上。', 'wx.cloud is missing');
  }
  let result: unknown;
  try {
    // `?.`: a stub or an old base library may resolve with nothing at all.
    result = (await wx.cloud.callFunction({ name: FUNCTION_NAME, data: req }))?.result;
  } catch (err) {
    // callFunction rejects with { errCode?, errMsg } when the network fails or the function is missing / throws.
    throw callErrorOf(err);
  }
  const reply = isObject(result) ? (result.errcode !== 0 ? readError(result) : readSuccess(result)) : null;
  if (reply === null) {
    throw new GenSchemeCallError(
      `云函数 ${FUNCTION_NAME} 返回了无法识别的结果。`,
      '请确认云端部署的 genScheme 与本小程序是同一版本(shared/contract.ts)。',
      `malformed result: ${shortJson(result)}`,
    );
  }
  return reply;
}

/*
 * The readers check the fields the page reads and hand the page a reply it can trust: a reply that
 * breaks the contract in a field the page only decorates with (warnings, h5Url) still shows its link.
 * Fields are named through field<Reply>(), so renaming one in contract.ts breaks this file's type check.
 */

function readGenerate(value: Record<string, unknown>): GenerateReply | null {
  const openlink = field<GenerateReply>(value, 'openlink');
  const expireTime = field<GenerateReply>(value, 'expireTime');
  const h5Url = field<GenerateReply>(value, 'h5Url');
  if (field<GenerateReply>(value, 'action') !== 'generate') return null;
  if (typeof openlink !== 'string' || !openlink.startsWith(SCHEME_PREFIX) || !isFiniteNumber(expireTime)) return null;
  const reply = { ...value, warnings: warningsOf(field<GenerateReply>(value, 'warnings')) } as unknown as GenerateReply;
  if (typeof h5Url !== 'string' || h5Url === '') delete reply.h5Url;
  return reply;
}

function readUrlLink(value: Record<string, unknown>): UrlLinkReply | null {
  const urlLink = field<UrlLinkReply>(value, 'urlLink');
  if (field<UrlLinkReply>(value, 'action') !== 'urllink') return null;
  if (typeof urlLink !== 'string' || urlLinkTicketOf(urlLink) === null || !isFiniteNumber(field<UrlLinkReply>(value, 'expireTime'))) return null;
  return { ...value, warnings: warningsOf(field<UrlLinkReply>(value, 'warnings')) } as unknown as UrlLinkReply;
}

function readQuery(value: Record<string, unknown>): QueryReply | null {
  const ok =
    field<QueryReply>(value, 'action') === 'query' &&
    typeof field<QueryReply>(value, 'path') === 'string' &&
    typeof field<QueryReply>(value, 'query') === 'string' &&
    typeof field<QueryReply>(value, 'envVersion') === 'string' &&
    isFiniteNumber(field<QueryReply>(value, 'createTime')) &&
    isFiniteNumber(field<QueryReply>(value, 'expireTime')) &&
    typeof field<QueryReply>(value, 'expired') === 'boolean';
  return ok ? ({ ...value, warnings: warningsOf(field<QueryReply>(value, 'warnings')) } as unknown as QueryReply) : null;
}

function readLanded(value: Record<string, unknown>): LandedReply | null {
  if (field<LandedReply>(value, 'action') !== 'landed' || typeof field<LandedReply>(value, 'counted') !== 'boolean') return null;
  return { ...value, warnings: warningsOf(field<LandedReply>(value, 'warnings')) } as unknown as LandedReply;
}

function readLinkCode(value: Record<string, unknown>): LinkCodeReply | null {
  const fileID = field<LinkCodeReply>(value, 'fileID');
  if (field<LinkCodeReply>(value, 'action') !== 'linkCode' || typeof fileID !== 'string' || !fileID.startsWith('cloud://')) return null;
  const tempFileURL = field<LinkCodeReply>(value, 'tempFileURL');
  return { ...value, tempFileURL: typeof tempFileURL === 'string' ? tempFileURL : '', warnings: warningsOf(field<LinkCodeReply>(value, 'warnings')) } as unknown as LinkCodeReply;
}

function isStableLink(value: unknown): value is StableLink {
  if (!isObject(value)) return false;
  const text = (key: keyof StableLink) => typeof value[key] === 'string';
  return text('code') && value.code !== '' && text('name') && text('path') && text('query') && text('cq') && typeof value.disabled === 'boolean' && (value.url === undefined || text('url'));
}

function readLinkReply<T extends CreateLinkReply | UpdateLinkReply>(value: Record<string, unknown>, action: T['action']): T | null {
  if (field<T>(value, 'action') !== action || !isStableLink(field<T>(value, 'link'))) return null;
  return { ...value, warnings: warningsOf(field<T>(value, 'warnings')) } as unknown as T;
}

function readListLinks(value: Record<string, unknown>): ListLinksReply | null {
  const links = field<ListLinksReply>(value, 'links');
  if (field<ListLinksReply>(value, 'action') !== 'listLinks' || !Array.isArray(links)) return null;
  const isListed = (l: unknown) => isObject(l) && isFiniteNumber(l.visits) && isFiniteNumber(l.opens) && isStableLink(l);
  if (!links.every(isListed)) return null;
  return { ...value, warnings: warningsOf(field<ListLinksReply>(value, 'warnings')) } as unknown as ListLinksReply;
}

function readLinkStats(value: Record<string, unknown>): LinkStatsReply | null {
  const days = field<LinkStatsReply>(value, 'days');
  if (field<LinkStatsReply>(value, 'action') !== 'linkStats' || typeof field<LinkStatsReply>(value, 'code') !== 'string' || !Array.isArray(days)) return null;
  const isDay = (d: unknown) => isObject(d) && typeof d.date === 'string' && (['visits', 'opens', 'openers'] as Array<keyof LinkStatsDay>).every((k) => isFiniteNumber(d[k]));
  if (!days.every(isDay)) return null;
  return { ...value, warnings: warningsOf(field<LinkStatsReply>(value, 'warnings')) } as unknown as LinkStatsReply;
}

/**
 * An error reply with a number errcode is shown even when its texts are missing or empty (an older or
 * hand-written function, a proxy): what it has, with Chinese fallbacks, and never "undefined".
 */
function readError(value: Record<string, unknown>): ErrorReply | null {
  const errcode = field<ErrorReply>(value, 'errcode');
  if (typeof errcode !== 'number' || !Number.isFinite(errcode)) return null;
  const rawErrmsg = field<ErrorReply>(value, 'errmsg');
  const errmsg = typeof rawErrmsg === 'string' ? rawErrmsg.trim() : '';
  const message = field<ErrorReply>(value, 'message') as Partial<Bilingual> | undefined;
  const hint = field<ErrorReply>(value, 'hint') as Partial<Bilingual> | undefined;
  const fallbackZh = `云函数 ${FUNCTION_NAME} 返回错误（错误码 ${errcode}）${errmsg ? `：${errmsg}` : ''}。`;
  return {
    ...value,
    errcode,
    errmsg,
    message: { zh: textOf(message?.zh) ?? fallbackZh, en: textOf(message?.en) ?? (errmsg || `errcode ${errcode}`) },
    hint: { zh: textOf(hint?.zh) ?? FALLBACK_HINT_ZH, en: textOf(hint?.en) ?? 'Try again later; if it keeps failing, read the function log.' },
    warnings: warningsOf(field<ErrorReply>(value, 'warnings')),
  } as ErrorReply;
}

const FALLBACK_HINT_ZH = `请稍后重试；若一直失败，请在云开发控制台 → 云函数 → ${FUNCTION_NAME} → 日志中查看原因。`;

/** Keeps the warnings the page can show: objects with a non-empty Chinese text. */
function warningsOf(value: unknown): Warning[] {
  if (!Array.isArray(value)) return [];
  return value.filter((w): w is Warning => isObject(w) && textOf(w.zh) !== undefined);
}

function field<T>(value: Record<string, unknown>, key: keyof T & string): unknown {
  return value[key];
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * What to tell the user about a rejected callFunction. The errCode (also inside errMsg as
 * `errCode: -504002`) tells a missing function from one that crashed or a wrong environment.
 */
function callErrorOf(err: unknown): GenSchemeCallError {
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

function shortJson(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}
