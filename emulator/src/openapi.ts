/** The two WeChat APIs the emulator answers: urlscheme.generate and urlscheme.query (platform-rules §1, §4, §5). */
import { DailyCounter, SlidingWindow } from './limits';
import { LinkStore } from './links';
import { randomTicket } from './rng';
import { checkGenerate } from './scheme-rules';
import { refuse, Refusal } from './wechat-errors';

export interface ApiContext {
  nowMs: number;
  appid: string;
  pages: () => Set<string>;
  links: LinkStore;
  rng: () => number;
  rate: SlidingWindow;
  daily: DailyCounter;
  visitQuota: number;
}

/** WeChat's JSON answer on success (errcode/errmsg are added by the gateway), or its refusal. */
export type ApiResult = Record<string, unknown> | Refusal;

export const API_HANDLERS: Record<string, (req: Record<string, unknown>, ctx: ApiContext) => ApiResult> = {
  'urlscheme.generate': generate,
  'urlscheme.query': query,
};

function generate(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  // §5: 100 generate calls per second per mini program → 44990.
  if (!ctx.rate.admit(ctx.nowMs)) return refuse(44990, 'more than the allowed generate calls in the last second');
  // §5: 500k schemes + URL Links a day → 44993.
  if (ctx.daily.full(ctx.nowMs)) return refuse(44993, `daily cap of ${ctx.daily.cap} links reached`);
  const order = checkGenerate(req, ctx.nowMs, ctx.pages());
  if (order instanceof Refusal) return order;
  ctx.daily.add(ctx.nowMs);
  let ticket = randomTicket(ctx.rng);
  while (ctx.links.has(ticket)) ticket = randomTicket(ctx.rng);
  const openlink = ctx.links.add(ticket, {
    appid: ctx.appid,
    path: order.path,
    query: order.query,
    create_time: Math.floor(ctx.nowMs / 1000),
    expire_time: order.expireTime,
    env_version: order.envVersion,
  });
  return { openlink };
}

function query(req: Record<string, unknown>, ctx: ApiContext): ApiResult {
  const { scheme, query_type: queryType } = req;
  if (queryType !== undefined && queryType !== null && typeof queryType !== 'number') {
    return refuse(47001, `query_type is ${JSON.stringify(queryType)}; it must be a JSON number`);
  }
  const type = queryType ?? 0; // §4: 0 = scheme info (default), 1 = visit quota
  if (type !== 0 && type !== 1) return refuse(40097, `query_type = ${type}; it must be 0 or 1`);
  const quota = { remain_visit_quota: ctx.visitQuota };
  // queryScheme doc: scheme is optional; the visit quota (query_type 1) is per mini program.
  if (type === 1 && (scheme === undefined || scheme === null || scheme === '')) return { quota_info: quota };
  if (scheme === undefined || scheme === null || scheme === '') return refuse(40097, 'scheme is missing');
  if (typeof scheme !== 'string') return refuse(47001, `scheme is ${JSON.stringify(scheme)}; it must be a string`);
  const info = ctx.links.resolve(scheme, ctx.appid, ctx.pages());
  if (info instanceof Refusal) return info;
  return type === 1 ? { quota_info: quota } : { scheme_info: info, quota_info: quota };
}
