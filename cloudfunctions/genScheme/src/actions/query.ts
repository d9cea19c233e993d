/**
 * `query`: what WeChat knows about a link (urlscheme.query, platform-rules §4; for a URL Link
 * urllink.query, §8): its page, query, version and lifetime. The link is checked first (a
 * malformed one costs no call), and a caller sees only links it could have created itself.
 */
import type { QueryReply } from '../../../../miniprogram/shared/contract';
import type { Failure } from '../../../../miniprogram/shared/failure';
import { checkScheme } from '../../../../miniprogram/shared/links';
import { checkUrlLink, looksLikeUrlLink } from '../../../../miniprogram/shared/url-links';
import { inputFailure } from '../../../../miniprogram/shared/failure';
import { mayRead } from '../access/authorize';
import { lookup } from '../wechat/catalogue';
import { INVALID_FIELD, NO_OPENLINK } from '../wechat/codes';
import { defineAction } from './action';
import { toNumber } from '../wechat/numbers';

/** §4: 85403, the link is not this mini program's. Also what a caller gets for a link outside its scope, so it cannot tell the two apart. */
function notFound(field: string): Failure {
  const row = lookup(85403);
  return { errcode: 85403, source: 'wechat', rule: 'wechat.85403', field, message: row.meaning, hint: row.fix };
}

export const query = defineAction({
  name: 'query',
  defaultAccess: { user: true, public: false },
  // §8: the link may be given as `urlLink` (`url_link`) as well as `scheme`.
  aliases: { url_link: 'urlLink' },
  fields: (z) => ({ scheme: z.optional(z.string()), urlLink: z.optional(z.string()) }),

  async run(input, ctx) {
    if ((input.scheme === undefined) === (input.urlLink === undefined)) {
      const [a, b] = [ctx.names.shown('scheme'), ctx.names.shown('urlLink')];
      const both = input.scheme !== undefined;
      return {
        failure: inputFailure({
          errcode: INVALID_FIELD,
          field: both ? b : 'scheme',
          rule: both ? 'query.twoLinks' : 'event.required',
          message: both
            ? { zh: `${a} 与 ${b} 只能给一个。`, en: `Give ${a} or ${b}, not both.` }
            : { zh: 'action "query" 需要字段 scheme（或 urlLink）。', en: 'action "query" needs the field scheme (or urlLink).' },
          hint: both
            ? { zh: '一次查询一个链接。', en: 'Query one link at a time.' }
            : { zh: '补上 scheme：weixin://dl/business/?t=… 或 https://wxaurl.cn/…。', en: 'Add scheme: weixin://dl/business/?t=… or https://wxaurl.cn/….' },
        }),
      };
    }
    const link = (input.scheme ?? input.urlLink) as string;
    const field = ctx.names.shown(input.scheme !== undefined ? 'scheme' : 'urlLink');
    // A URL Link (§8, both hosts §12) goes to urllink.query; anything else is read as a scheme.
    const kind = input.urlLink !== undefined || looksLikeUrlLink(link) ? 'urllink' : 'scheme';
    // 1. The link's own form (§1–§3, §8).
    const checked = kind === 'urllink' ? checkUrlLink(link, field) : checkScheme(link, field);
    if ('failure' in checked) return checked;

    // 2. The policy.
    const refused = await ctx.permit({ action: 'query' });
    if (refused) return { failure: refused };

    // 3. WeChat.
    const outcome =
      kind === 'urllink'
        ? await ctx.wechat.call('urllink.query', { urlLink: link, queryType: 0 }, { paced: false, deadline: ctx.deadline, record: ctx.record })
        : await ctx.wechat.call('urlscheme.query', { scheme: link, queryType: 0 }, { paced: false, deadline: ctx.deadline, record: ctx.record });
    if (!outcome.ok) return { failure: outcome.failure.errcode === 85403 ? notFound(field) : outcome.failure };
    const infoKey = kind === 'urllink' ? 'urlLinkInfo' : 'schemeInfo';
    const info = (outcome.value as Record<string, unknown> | undefined)?.[infoKey];
    if (typeof info !== 'object' || info === null) {
      // An answer without scheme_info / url_link_info says nothing about the link: never report it as "never expires".
      const wire = kind === 'urllink' ? 'url_link_info' : 'scheme_info';
      return {
        failure: {
          errcode: NO_OPENLINK,
          source: 'wechat',
          rule: kind === 'urllink' ? 'wechat.noUrlLinkInfo' : 'wechat.noSchemeInfo',
          hint: lookup(NO_OPENLINK).fix,
          message: { zh: `微信返回成功，但回复中没有链接信息（${wire}）。`, en: `WeChat answered success, but the reply holds no ${wire}.` },
        },
      };
    }
    const fields = info as Record<string, unknown>;
    const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : '');
    const time = (key: string) => {
      const n = toNumber(fields[key]);
      return Number.isFinite(n) ? n : 0;
    };
    if (!mayRead(ctx.policy, ctx.caller, { path: text('path'), envVersion: text('envVersion') })) return { failure: notFound(field) };

    // 4. The reply.
    const expireTime = time('expireTime');
    const reply: QueryReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'query',
      kind,
      scheme: link,
      appid: text('appid'),
      path: text('path'),
      query: text('query'),
      envVersion: text('envVersion'),
      createTime: time('createTime'),
      expireTime,
      expired: expireTime > 0 && expireTime <= Math.floor(ctx.clock.now() / 1000),
      warnings: [],
      attempts: ctx.record.attempts,
    };
    if (reply.expired) reply.warnings.push({ code: 'query.expired', zh: '该链接已过期。', en: 'This link has expired.' });
    return reply;
  },
});
