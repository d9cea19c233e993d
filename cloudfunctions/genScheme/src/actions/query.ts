/**
 * `query`: what WeChat knows about a link (urlscheme.query, platform-rules §4): its page, query,
 * version and lifetime. The link is checked first (a malformed one costs no call), and a caller
 * sees only links it could have created itself.
 */
import type { QueryReply } from '../../../../miniprogram/shared/contract';
import type { Failure } from '../../../../miniprogram/shared/failure';
import { checkScheme } from '../../../../miniprogram/shared/links';
import { mayRead } from '../access/authorize';
import { NO_OPENLINK, lookup } from '../wechat/catalogue';
import { defineAction } from './action';
import { toNumber } from './numbers';
import * as z from 'zod/mini';

/** §4: 85403, the link is not this mini program's. Also what a caller gets for a link outside its scope, so it cannot tell the two apart. */
function notFound(field: string): Failure {
  const row = lookup(85403);
  return { errcode: 85403, source: 'wechat', rule: 'wechat.85403', field, message: row.meaning, hint: row.fix };
}

export const query = defineAction({
  name: 'query',
  defaultAccess: { user: true, public: false },
  fields: () => ({ scheme: z.string() }),

  async run(input, ctx) {
    const field = ctx.names.shown('scheme');
    // 1. The link's own form (§1–§3).
    const checked = checkScheme(input.scheme, field);
    if ('failure' in checked) return checked;

    // 2. The policy.
    const refused = await ctx.permit({ action: 'query' });
    if (refused) return { failure: refused };

    // 3. WeChat.
    const outcome = await ctx.wechat.call('urlscheme.query', { scheme: input.scheme, queryType: 0 }, { paced: false, deadline: ctx.deadline, record: ctx.record });
    if (!outcome.ok) return { failure: outcome.failure.errcode === 85403 ? notFound(field) : outcome.failure };
    const info = (outcome.value as { schemeInfo?: unknown } | undefined)?.schemeInfo;
    if (typeof info !== 'object' || info === null) {
      // An answer without scheme_info says nothing about the link: never report it as "never expires".
      return {
        failure: {
          errcode: NO_OPENLINK, source: 'wechat', rule: 'wechat.noSchemeInfo', hint: lookup(NO_OPENLINK).fix,
          message: { zh: '微信返回成功，但回复中没有链接信息（scheme_info）。', en: 'WeChat answered success, but the reply holds no scheme_info.' },
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
      scheme: input.scheme,
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

