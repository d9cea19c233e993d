/**
 * URL Links (platform-rules §8): `https://wxaurl.cn/TICKET` and its custom parameter `?cq=`, read
 * and written the same way by the function, the mini program and the H5 page, and the check of a
 * link's own `cloud_base` middle page. Pure.
 */
import { checkCq, checkQuery } from './checks';
import { clip, inputFailure, type Failure } from './failure';
import { decoded } from './links';
import { APPID_PATTERN, CLOUDBASE_ENV_PATTERN, DOMAIN_PATTERN, TICKET_PATTERN, URL_LINK_HOSTS, WEB_PATH_PATTERN } from './platform';

/** Longer than any URL Link: a host, a ticket (≤ 128) and a cq (≤ 256 characters, ≤ 9 bytes each once encoded). */
const URL_LINK_MAX_LENGTH = 2600;

/** Whether the text is meant as a URL Link (§8, §12: https://wxaurl.cn/ or https://wxmpurl.cn/), well formed or not. */
export function looksLikeUrlLink(text: string): boolean {
  return /^https?:\/\/(?:[^/?#]*\.)?(?:wxaurl|wxmpurl)\.cn(?:[/?#]|$)/i.test(text);
}

/** A URL Link's parts, the cq still encoded; null when the text is not `https://HOST/TICKET[?cq=…]`. */
export function urlLinkParts(link: string): { host: string; ticket: string; cq?: string } | null {
  if (link.length > URL_LINK_MAX_LENGTH) return null;
  const m = /^https:\/\/([a-z.]+)\/([^/?#&]+)(?:\?cq=([^&#]*))?$/.exec(link);
  if (!m || !(URL_LINK_HOSTS as readonly string[]).includes(m[1]) || !TICKET_PATTERN.test(m[2])) return null;
  return m[3] === undefined ? { host: m[1], ticket: m[2] } : { host: m[1], ticket: m[2], cq: m[3] };
}

/** The ticket of a URL Link (§8; both hosts, §12), or null when the text is not one. */
export function urlLinkTicketOf(link: string): string | null {
  return urlLinkParts(link)?.ticket ?? null;
}

/** §8: the custom parameter joins a URL Link with `?cq=` (not the scheme's `&cq=`), url-encoded. */
export function appendUrlLinkCq(urlLink: string, cq: string): string {
  return `${urlLink}?cq=${encodeURIComponent(cq)}`;
}

/** §8: one URL Link serves many recipients, each with a cq of its own; only a URL Link without a cq takes one. */
export function urlLinkWithCq(urlLink: string, cq: string): { urlLink: string } | { failure: Failure } {
  const parts = urlLinkParts(urlLink);
  if (!parts || parts.cq !== undefined) {
    return {
      failure: inputFailure({
        errcode: 40097,
        field: 'urlLink',
        rule: 'cq.link',
        message: {
          zh: '只能给 URL Link（https://wxaurl.cn/…，且还没有 cq）追加 cq。',
          en: 'A cq can be added only to a URL Link (https://wxaurl.cn/…) that has none yet.',
        },
        hint: { zh: '传入 urllink 返回的 urlLink。', en: 'Pass the urlLink the urllink action returned.' },
      }),
    };
  }
  const bad = checkCq(cq);
  return bad ? { failure: bad } : { urlLink: appendUrlLinkCq(urlLink, cq) };
}

/**
 * Checks a URL Link before it is sent to urllink.query (§8): the host (wxaurl.cn or wxmpurl.cn,
 * §12), the ticket, and a `?cq=` whose decoded value keeps the cq rules. A `&cq=` (the scheme's
 * form, §2) is refused with the fix. A malformed link costs no call.
 */
export function checkUrlLink(link: string, field = 'urlLink'): { urlLink: { host: string; ticket: string } } | { failure: Failure } {
  const fail = (errcode: number, rule: string, message: Failure['message'], hint: Failure['hint']) => ({
    failure: inputFailure({ errcode, field, rule, message, hint }),
  });
  const whole = {
    zh: '传入完整链接，例如 https://wxaurl.cn/XXXX（可带 ?cq=）。',
    en: 'Pass the whole link, e.g. https://wxaurl.cn/XXXX (a ?cq= may follow).',
  };
  const parts = urlLinkParts(link);
  if (!parts) {
    const shown = clip(link);
    const ampCq = /^https:\/\/[a-z.]+\/[^/?#&]+&cq=/.test(link);
    return fail(
      40097,
      'urlLink.format',
      {
        zh: `${field} "${shown}" 不是 URL Link（https://wxaurl.cn/票据 或 https://wxmpurl.cn/票据）。`,
        en: `${field} "${shown}" is not a URL Link (https://wxaurl.cn/TICKET or https://wxmpurl.cn/TICKET).`,
      },
      ampCq
        ? {
            zh: 'URL Link 的 cq 用 ?cq= 连接，不是 &cq=（&cq= 是 URL Scheme 的写法）。',
            en: 'A URL Link takes its cq with ?cq=, not &cq= (that is the URL Scheme form).',
          }
        : whole,
    );
  }
  if (parts.cq !== undefined) {
    const raw = decoded(parts.cq);
    const bad = raw === null ? null : checkCq(raw, field);
    if (raw === null || bad) {
      return fail(
        40212,
        'urlLink.cq',
        {
          zh: `${field} 的 cq 参数无效：${bad?.message.zh ?? '百分号编码残缺。'}`,
          en: `The cq of ${field} is invalid: ${bad?.message.en ?? 'broken percent-encoding.'}`,
        },
        {
          zh: '传入 urllink 返回的原始 urlLink，或用 encodeURIComponent 编码 cq。',
          en: 'Pass the urlLink the urllink action returned, or encode the cq with encodeURIComponent.',
        },
      );
    }
  }
  return { urlLink: { host: parts.host, ticket: parts.ticket } };
}

/** §8: `cloud_base` of urllink.generate, cloud-call (camelCase) names. */
export interface CloudBaseParts {
  env?: string;
  domain?: string;
  path?: string;
  query?: string;
  resourceAppid?: string;
}

/**
 * §8: a URL Link's own middle page on a CloudBase static website: `env` is the environment ID
 * (required; not its display name), `domain` an optional custom host name, `path` a page without
 * a query string, `query` ≤ 1024 characters of the §1 set, `resource_appid` an AppID. WeChat names
 * no errcode for a bad one, so these are genScheme's own (-900003), except the query's 40212.
 * `fields` are the names as the caller spelt them.
 */
export function checkCloudBase(cb: CloudBaseParts, fields: Record<keyof CloudBaseParts, string>): Failure | null {
  const bad = (key: keyof CloudBaseParts, message: Failure['message'], hint: Failure['hint']) =>
    inputFailure({ errcode: -900003, field: fields[key], rule: `cloudBase.${key}`, message, hint });
  const env = cb.env ?? '';
  if (!CLOUDBASE_ENV_PATTERN.test(env)) {
    const f = fields.env;
    return bad(
      'env',
      env === ''
        ? { zh: `${f} 必填：中间页所在的云开发环境 ID。`, en: `${f} is required: the ID of the CloudBase environment that hosts the middle page.` }
        : {
            zh: `${f} "${clip(env)}" 不是云开发环境 ID（字母、数字和 -，6 到 40 个字符）。`,
            en: `${f} "${clip(env)}" is not a CloudBase environment ID (letters, digits and -, 6 to 40 characters).`,
          },
      {
        zh: '填环境 ID（云开发控制台「环境 ID」，如 prod-4g5h6j7k8l），不是环境名称。',
        en: 'Give the environment ID (the CloudBase console\'s "环境 ID", e.g. prod-4g5h6j7k8l), not its display name.',
      },
    );
  }
  if (cb.domain !== undefined && cb.domain !== '' && !DOMAIN_PATTERN.test(cb.domain)) {
    const f = fields.domain;
    return bad(
      'domain',
      { zh: `${f} "${clip(cb.domain)}" 不是域名。`, en: `${f} "${clip(cb.domain)}" is not a host name.` },
      {
        zh: '只写域名本身，如 m.example.com（不带 https:// 和路径）；不用自定义域名时不填。',
        en: 'Give the host name only, e.g. m.example.com (no https://, no path); leave it out without a custom domain.',
      },
    );
  }
  const path = cb.path ?? '';
  const qAt = path.search(/[?#]/);
  if (qAt >= 0) {
    const f = fields.path;
    return bad(
      'path',
      { zh: `${f} 不能带 query 或 #（"${path[qAt]}" 之后的部分）。`, en: `${f} must not carry a query string or fragment (the part after "${path[qAt]}").` },
      {
        zh: `把参数移到 ${fields.query}，path 只写 "${clip(path.slice(0, qAt))}"。`,
        en: `Move the parameters into ${fields.query} and keep the path as "${clip(path.slice(0, qAt))}".`,
      },
    );
  }
  if (!WEB_PATH_PATTERN.test(path)) {
    const f = fields.path;
    return bad(
      'path',
      {
        zh: `${f} "${clip(path)}" 含有网址路径中不允许的字符，或超过 1024 个字符。`,
        en: `${f} "${clip(path)}" has characters a URL path cannot hold, or is over 1024 characters.`,
      },
      { zh: '例如 /jump.html；其他字符先百分号编码。', en: 'For example /jump.html; percent-encode other characters.' },
    );
  }
  const query = checkQuery(cb.query ?? '', { field: fields.query, rule: 'cloudBase.query' });
  if (query) return query;
  if (cb.resourceAppid !== undefined && cb.resourceAppid !== '' && !APPID_PATTERN.test(cb.resourceAppid)) {
    const f = fields.resourceAppid;
    return bad(
      'resourceAppid',
      {
        zh: `${f} "${clip(cb.resourceAppid)}" 不是小程序 AppID（wx 加 16 位十六进制）。`,
        en: `${f} "${clip(cb.resourceAppid)}" is not a mini-program AppID (wx + 16 hex digits).`,
      },
      { zh: '资源复用时填资源方小程序的 AppID；否则不填。', en: 'Give the AppID of the mini program whose resources are shared; otherwise leave it out.' },
    );
  }
  return null;
}
