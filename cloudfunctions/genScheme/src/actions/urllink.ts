/**
 * `urllink`: an https URL Link through urllink.generate (platform-rules §8): the scheme's rules for
 * page, query, env_version and expiry (§1, §8), an optional custom parameter joined with `?cq=`
 * (§8, not the scheme's `&cq=`), and an optional `cloud_base` middle page (§8). Same policy, rate
 * limits, pacing (URL Links count toward the same 100 calls a second, §5), daily count, reuse,
 * retries and time budget as `generate`: both issue through links/issue.ts.
 *
 * The target comes in either shape: genScheme's `jumpWxa {path, query, envVersion}`, or flat as in
 * WeChat's doc (`path`, `query`, `env_version`/`envVersion`), never both.
 */
import type { UrlLinkReply } from '../../../../miniprogram/shared/contract';
import { checkCq } from '../../../../miniprogram/shared/checks';
import { checkCloudBase, type CloudBaseParts } from '../../../../miniprogram/shared/url-links';
import { clip, inputFailure, type Failure } from '../../../../miniprogram/shared/failure';
import { FieldNames } from '../field-names';
import { INVALID_FIELD, UNKNOWN_FIELD } from '../wechat/codes';
import { defineAction } from './action';
import { planExpiry } from '../links/expiry';
import { expiryFields, jumpWxaField, optionalString } from '../event-fields';
import { issueLink } from '../links/issue';
import { LINK_KINDS } from '../links/kinds';
import { reusedWarning } from '../links/reuse';
import { checkTarget, type TargetInput } from '../links/target';

/** §8 cloud_base's keys, HTTPS spelling → cloud-call spelling. */
const CLOUD_BASE_KEYS: Readonly<Record<string, keyof CloudBaseParts>> = {
  env: 'env',
  domain: 'domain',
  path: 'path',
  query: 'query',
  resource_appid: 'resourceAppid',
  resourceAppid: 'resourceAppid',
};

const FLAT = ['path', 'query', 'envVersion'] as const;

/**
 * cloud_base as given → its parts under cloud-call names, with each field's name as the caller spelt
 * it; an unknown key, a key given twice or a value that is not a string is a Failure naming it.
 */
function readCloudBase(
  raw: Record<string, unknown>,
  shownAt: string,
): { parts: CloudBaseParts; fields: Record<keyof CloudBaseParts, string> } | { failure: Failure } {
  const parts: CloudBaseParts = {};
  const fields: Record<keyof CloudBaseParts, string> = {
    env: `${shownAt}.env`,
    domain: `${shownAt}.domain`,
    path: `${shownAt}.path`,
    query: `${shownAt}.query`,
    resourceAppid: `${shownAt}.resource_appid`,
  };
  for (const key of Object.keys(raw)) {
    const shown = clip(`${shownAt}.${key}`, 80);
    const canonical = Object.prototype.hasOwnProperty.call(CLOUD_BASE_KEYS, key) ? CLOUD_BASE_KEYS[key] : undefined;
    if (!canonical) {
      return {
        failure: inputFailure({
          errcode: UNKNOWN_FIELD,
          field: shown,
          rule: 'event.unknownField',
          message: { zh: `字段 ${shown} 无法识别，genScheme 不会忽略它。`, en: `Field ${shown} is not known; genScheme does not ignore unknown fields.` },
          hint: {
            zh: `${shownAt} 可用的字段：env, domain, path, query, resource_appid。`,
            en: `Fields of ${shownAt}: env, domain, path, query, resource_appid.`,
          },
        }),
      };
    }
    if (parts[canonical] !== undefined) {
      return {
        failure: inputFailure({
          errcode: INVALID_FIELD,
          field: shown,
          rule: 'event.duplicateField',
          message: {
            zh: `${shown} 与 ${fields[canonical]} 是同一个字段，只能写一次。`,
            en: `${shown} and ${fields[canonical]} are the same field; give it once.`,
          },
          hint: { zh: '只保留一种写法（camelCase 或 snake_case）。', en: 'Keep one spelling (camelCase or snake_case).' },
        }),
      };
    }
    const value = raw[key];
    if (typeof value !== 'string') {
      return {
        failure: inputFailure({
          errcode: 47001,
          field: shown,
          rule: 'event.type',
          message: { zh: `${shown} 应为字符串。`, en: `${shown} must be a string.` },
          hint: { zh: '改为字符串类型。', en: 'Send a string.' },
        }),
      };
    }
    parts[canonical] = value;
    fields[canonical] = shown;
  }
  return { parts, fields };
}

export const urllink = defineAction({
  name: 'urllink',
  defaultAccess: { user: true, public: true },
  // §8: the doc's flat fields in snake_case; the expiry ones are shared (event.ts).
  aliases: { env_version: 'envVersion', cloud_base: 'cloudBase' },
  fields: (z) => ({
    jumpWxa: jumpWxaField(z),
    path: optionalString(z),
    query: optionalString(z),
    envVersion: optionalString(z),
    ...expiryFields(z),
    cq: optionalString(z),
    cloudBase: z.optional(z.looseObject({})),
    reuse: z.optional(z.boolean()),
  }),

  async run(input, ctx) {
    const { names, clock } = ctx;
    // 0. One shape of target: jumpWxa or the flat fields of §8, not both.
    const flatGiven = FLAT.filter((key) => input[key] !== undefined);
    if (input.jumpWxa !== undefined && flatGiven.length) {
      const [a, b] = [names.shown('jumpWxa'), names.shown(flatGiven[0])];
      return {
        failure: inputFailure({
          errcode: INVALID_FIELD,
          field: b,
          rule: 'urllink.twoShapes',
          message: {
            zh: `${a} 与顶层的 ${b} 不能同时使用：链接的目标只能用一种写法给出。`,
            en: `${a} and the top-level ${b} cannot be used together: give the link's target one way.`,
          },
          hint: {
            zh: `要么全部写在 ${a} 里（path、query、envVersion），要么按微信文档平铺在顶层（path、query、env_version），不要混用。`,
            en: `Either put it all in ${a} (path, query, envVersion), or flat at the top level as in WeChat's doc (path, query, env_version); not both.`,
          },
        }),
      };
    }
    // The checks name fields as the caller spelt them, whichever shape it used.
    let targetNames = names;
    let target: TargetInput | undefined = input.jumpWxa;
    if (input.jumpWxa === undefined) {
      targetNames = new FieldNames();
      for (const key of FLAT) targetNames.set(`jumpWxa.${key}`, names.shown(key));
      target = { path: input.path, query: input.query, envVersion: input.envVersion };
    }
    const shown = {
      path: targetNames.shown('jumpWxa.path'),
      query: targetNames.shown('jumpWxa.query'),
      envVersion: targetNames.shown('jumpWxa.envVersion'),
    };

    // 1. The platform's rules, before any quota is spent (§8 = §1's rules for each field).
    const checked = checkTarget(target, targetNames, ctx.settings.pages);
    if ('failure' in checked) return checked;
    const cqFailure = input.cq === undefined ? null : checkCq(input.cq, names.shown('cq'));
    if (cqFailure) return { failure: cqFailure };
    const planned = planExpiry(input, names, Math.floor(clock.now() / 1000));
    if ('failure' in planned) return planned;
    const { expiry } = planned;
    let cloudBase: CloudBaseParts | undefined;
    if (input.cloudBase !== undefined) {
      const read = readCloudBase(input.cloudBase as Record<string, unknown>, names.shown('cloudBase'));
      if ('failure' in read) return read;
      const broken = checkCloudBase(read.parts, read.fields);
      if (broken) return { failure: broken };
      cloudBase = read.parts;
    }

    // 2.–4. The policy, the shared state and WeChat (links/issue.ts). URL Links are reused like
    // schemes (never across kinds); one with its own cloud_base middle page is always made anew.
    const issued = await issueLink(
      {
        target: { kind: 'urllink', ...checked.target },
        expiry,
        reuse: input.reuse !== false && ctx.settings.reuse && cloudBase === undefined,
        ask: {
          action: 'urllink',
          path: checked.target.path,
          envVersion: checked.target.envVersion,
          days: expiry.days,
          daysField: expiry.field,
          queryLength: checked.target.query.length,
          fields: shown,
        },
        extra: cloudBase ? { cloudBase } : undefined,
      },
      ctx,
    );
    if ('failure' in issued) return issued;

    // 5. The reply.
    const { link, reused } = issued;
    const reply: UrlLinkReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'urllink',
      urlLink: input.cq === undefined ? link.link : LINK_KINDS.urllink.joinCq(link.link, input.cq),
      expireTime: link.expireTime,
      expireAt: new Date(link.expireTime * 1000).toISOString(),
      warnings: reused ? [...issued.warnings, reusedWarning(link.expireTime)] : issued.warnings,
      attempts: ctx.record.attempts,
    };
    if (reused) reply.reused = true;
    return reply;
  },
});
