/**
 * The WeChat APIs the emulator answers: urlscheme.generate / urlscheme.query
 * (platform-rules §1, §4) and urllink.generate / urllink.query (§8), under the shared
 * generation limits of §5; wxacode.getUnlimited (§12), answered with an image.
 */
import { DailyCounter, SlidingWindow } from './limits';
import { LinkStore } from './links';
import { randomTicket } from './rng';
import { checkGenerate } from './scheme-rules';
import { checkUrlLinkGenerate } from './urllink-rules';
import { refuse, Refusal } from './wechat-errors';
import { checkGetUnlimited, drawWxaCode } from './wxacode';

export interface ApiContext {
  nowMs: number;
  appid: string;
  pages: () => Set<string>;
  links: LinkStore;
  rng: () => number;
  /** One window for urlscheme.generate and urllink.generate together (§5). */
  rate: SlidingWindow;
  /** One counter for schemes and URL Links together (§5, §8). */
  daily: DailyCounter;
  visitQuota: number;
  /** §12: wxacode.getUnlimited calls per sliding minute (5,000; 45009 beyond). */
  wxacodeRate: SlidingWindow;
}

/** An answer that is not JSON: the bytes WeChat sends (a 小程序码's image). */
export class BinaryAnswer {
  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
    readonly summary: Record<string, unknown>,
  ) {}
}

/** WeChat's JSON answer on success (errcode/errmsg are added by the gateway), or its refusal. */
export type ApiResult = Record<string, unknown> | Refusal | BinaryAnswer;

export const API_HANDLERS: Record<string, (req: Record<string, unknown>, ctx: ApiContext) => ApiResult> = {
  'urlscheme.generate': generateScheme,
  'urlscheme.query': queryScheme,
  'urllink.generate': generateUrlLink,
  'urllink.query': queryUrlLink,
  'wxacode.getUnlimited': getUnlimited,
};

/** The served api names, for the fault plan's selector and the docs. */
export const API_NAMES = Object.keys(API_HANDLERS);

const SCHEME_TICKET_LENGTH = 14; // weixin://dl/business/?t=a1B2c3D4e5F6g7
const URL_LINK_TICKET_LENGTH = 12; // https://wxaurl.cn/a1B2c3D4e5F6

/** §5, shared by both generate apis: the rate window, then the daily cap. */
function admitGeneration(ctx: ApiContext): Refusal | null {
  // §5: 100 generate calls per second per mini program (schemes and URL Links together) → 44990.
  if (!ctx.rate.admit(ctx.nowMs)) return refuse(44990, 'more than the allowed generate calls in the last second');
  // §5/§8: 500k schemes + URL Links a day → 44993.
  if (ctx.daily.full(ctx.nowMs)) return refuse(44993, `daily cap of ${ctx.daily.cap} links (schemes and URL Links) reached`);
  return null;
}

/** Counts the link toward the daily cap and returns a ticket not yet issued, of either kind. */
function issueTicket(ctx: ApiContext, length: number): string {
  ctx.daily.add(ctx.nowMs);
  let ticket = randomTicket(ctx.rng, length);
  while (ctx.links.has(ticket)) ticket = randomTicket(ctx.rng, length);
  return ticket;
}

function generateScheme(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  const refused = admitGeneration(ctx);
  if (refused) return refused;
  const order = checkGenerate(req, ctx.nowMs, ctx.pages());
  if (order instanceof Refusal) return order;
  const openlink = ctx.links.add(issueTicket(ctx, SCHEME_TICKET_LENGTH), {
    appid: ctx.appid,
    path: order.path,
    query: order.query,
    create_time: Math.floor(ctx.nowMs / 1000),
    expire_time: order.expireTime,
    env_version: order.envVersion,
  });
  return { openlink };
}

function generateUrlLink(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  const refused = admitGeneration(ctx);
  if (refused) return refused;
  const order = checkUrlLinkGenerate(req, ctx.nowMs, ctx.pages());
  if (order instanceof Refusal) return order;
  const urlLink = ctx.links.addUrlLink(issueTicket(ctx, URL_LINK_TICKET_LENGTH), {
    appid: ctx.appid,
    path: order.path,
    query: order.query,
    create_time: Math.floor(ctx.nowMs / 1000),
    expire_time: order.expireTime,
    env_version: order.envVersion,
    cloud_base: order.cloudBase,
  });
  return { url_link: urlLink };
}

/** §4/§8: query_type 0 = link info (the default), 1 = visit quota; a string is 47001. */
function queryTypeOf(req: Record<string, unknown>): 0 | 1 | Refusal {
  const queryType = req.query_type;
  if (queryType !== undefined && queryType !== null && typeof queryType !== 'number') {
    return refuse(47001, `query_type is ${JSON.stringify(queryType)}; it must be a JSON number`);
  }
  const type = queryType ?? 0;
  if (type !== 0 && type !== 1) return refuse(40097, `query_type = ${type}; it must be 0 or 1`);
  return type;
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '';

function queryScheme(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  const { scheme } = req;
  const type = queryTypeOf(req);
  if (type instanceof Refusal) return type;
  const quota = { remain_visit_quota: ctx.visitQuota };
  // queryScheme doc: scheme is optional; the visit quota (query_type 1) is per mini program.
  if (type === 1 && isBlank(scheme)) return { quota_info: quota };
  if (isBlank(scheme)) return refuse(40097, 'scheme is missing');
  if (typeof scheme !== 'string') return refuse(47001, `scheme is ${JSON.stringify(scheme)}; it must be a string`);
  const info = ctx.links.resolve(scheme, ctx.appid, ctx.pages());
  if (info instanceof Refusal) return info;
  return type === 1 ? { quota_info: quota } : { scheme_info: info, quota_info: quota };
}

/**
 * §8: url_link + query_type → url_link_info + quota_info; 85403 when not found.
 * Emulator's reading: url_link is required for both query types (unlike urlscheme.query's
 * scheme, the URL Link doc has no quota-only form) — missing → 40097.
 */
function queryUrlLink(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  const { url_link: link } = req;
  const type = queryTypeOf(req);
  if (type instanceof Refusal) return type;
  if (isBlank(link)) return refuse(40097, 'url_link is missing');
  if (typeof link !== 'string') return refuse(47001, `url_link is ${JSON.stringify(link)}; it must be a string`);
  const info = ctx.links.resolveUrlLink(link);
  if (info instanceof Refusal) return info;
  const quota = { remain_visit_quota: ctx.visitQuota };
  return type === 1 ? { quota_info: quota } : { url_link_info: info, quota_info: quota };
}

/** §12: the image on success; 40169 / 41030 / 40097 / 45009 as JSON otherwise. */
function getUnlimited(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  if (!ctx.wxacodeRate.admit(ctx.nowMs)) return refuse(45009, 'more than 5,000 wxacode.getUnlimited calls in the last minute');
  const pages = ctx.pages();
  const order = checkGetUnlimited(req, pages, pages.values().next().value ?? '');
  if (order instanceof Refusal) return order;
  const png = drawWxaCode(order, ctx.appid);
  return new BinaryAnswer('image/png', png, {
    contentType: 'image/png',
    bytes: png.length,
    scene: order.scene,
    page: order.page,
    env_version: order.envVersion,
    width: order.width,
  });
}
