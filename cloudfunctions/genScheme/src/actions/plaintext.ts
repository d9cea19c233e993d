/**
 * `plaintext`: a plaintext scheme built locally (platform-rules §3): no call, no quota, never
 * expires, and works only for pages declared in the MP admin.
 */
import type { PlaintextReply } from '../../../../miniprogram/shared/contract';
import { checkPlaintext } from '../../../../miniprogram/shared/checks';
import { buildPlaintextLink, jumpPageUrlForPlaintext } from '../../../../miniprogram/shared/links';
import { defineAction } from './action';
import { jumpWxaField } from '../event-fields';
import { checkTarget } from '../links/target';

export const plaintext = defineAction({
  name: 'plaintext',
  defaultAccess: { user: true, public: true },
  fields: (z) => ({ jumpWxa: jumpWxaField(z) }),

  async run(input, ctx) {
    const { names } = ctx;
    // 1. The platform's rules. The query is url-encoded into the link, so any text fits (§3).
    const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages, false);
    if ('failure' in checked) return checked;
    const parts = { ...checked.target, appid: ctx.settings.appid || ctx.caller.appid || '' };
    const broken = checkPlaintext(parts, { path: names.shown('jumpWxa.path'), query: names.shown('jumpWxa.query') });
    if (broken) return { failure: broken };

    // 2. The policy.
    const refused = await ctx.permit({
      action: 'plaintext',
      path: parts.path,
      envVersion: parts.envVersion,
      queryLength: parts.query.length,
      fields: { path: names.shown('jumpWxa.path'), envVersion: names.shown('jumpWxa.envVersion'), query: names.shown('jumpWxa.query') },
    });
    if (refused) return { failure: refused };

    // 3. The reply: no call to WeChat.
    const reply: PlaintextReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'plaintext',
      openlink: buildPlaintextLink(parts),
      warnings: [
        {
          code: 'plaintext.declare',
          zh: `明文 Scheme 只对在小程序管理后台「设置 → 隐私与安全 → 明文 Scheme 拉起此小程序」中声明过的页面有效（${parts.path}）；未声明时打开会失败（85405）。`,
          en: `A plaintext scheme works only for pages declared in the MP admin (设置 → 隐私与安全 → 明文 Scheme 拉起此小程序): ${parts.path}; otherwise opening it fails (85405).`,
        },
      ],
    };
    if (ctx.settings.h5BaseUrl) reply.h5Url = jumpPageUrlForPlaintext(ctx.settings.h5BaseUrl, parts);
    return reply;
  },
});
