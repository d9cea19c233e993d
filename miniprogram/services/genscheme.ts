/**
 * The mini program's one client of the genScheme cloud function.
 * Request and reply types come from shared/contract.ts, so a contract change breaks
 * the page's type check instead of the page at run time.
 */
import type {
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
  LinkStatsReply,
  LinkStatsRequest,
  ListLinksReply,
  ListLinksRequest,
  QueryReply,
  QueryRequest,
  UpdateLinkReply,
  UpdateLinkRequest,
  UrlLinkReply,
  UrlLinkRequest,
} from '../shared/contract';
import { FUNCTION_NAME, GenSchemeCallError, callErrorOf } from './call-error';
import { isObject, readError, readGenerate, readLanded, readLinkCode, readLinkReply, readLinkStats, readListLinks, readQuery, readUrlLink } from './read-reply';

export { FUNCTION_NAME, GenSchemeCallError } from './call-error';

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
    throw new GenSchemeCallError(
      '当前微信版本不支持云开发（wx.cloud 不存在）。',
      '请升级微信，或在开发者工具中把基础库调到 2.2.3 以上。',
      'wx.cloud is missing',
    );
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

function shortJson(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 200);
  } catch {
    return String(value);
  }
}
