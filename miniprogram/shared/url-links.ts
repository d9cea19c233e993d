/**
 * URL Links (platform-rules §8): `https://wxaurl.cn/TICKET` and its custom parameter `?cq=`, read
 * and written the same way by the function, the mini program and the H5 page. Pure.
 */
import { checkCq } from './checks';
import { clip, inputFailure, type Failure } from './failure';
import { decoded } from './links';
import { TICKET_PATTERN, URL_LINK_HOSTS } from './platform';

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
        errcode: 40097, field: 'urlLink', rule: 'cq.link',
        message: { zh: '只能给 URL Link（https://wxaurl.cn/…，且还没有 cq）追加 cq。', en: 'A cq can be added only to a URL Link (https://wxaurl.cn/…) that has none yet.' },
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
  const fail = (errcode: number, rule: string, message: Failure['message'], hint: Failure['hint']) => ({ failure: inputFailure({ errcode, field, rule, message, hint }) });
  const whole = {
    zh: '传入完整链接，例如 https://wxaurl.cn/XXXX（可带 ?cq=）。',
    en: 'Pass the whole link, e.g. https://wxaurl.cn/XXXX (a ?cq= may follow).',
  };
  const parts = urlLinkParts(link);
  if (!parts) {
    const shown = clip(link);
    const ampCq = /^https:\/\/[a-z.]+\/[^/?#&]+&cq=/.test(link);
    return fail(40097, 'urlLink.format',
      { zh: `${field} "${shown}" 不是 URL Link（https://wxaurl.cn/票据 或 https://wxmpurl.cn/票据）。`, en: `${field} "${shown}" is not a URL Link (https://wxaurl.cn/TICKET or https://wxmpurl.cn/TICKET).` },
      ampCq
        ? { zh: 'URL Link 的 cq 用 ?cq= 连接，不是 &cq=（&cq= 是 URL Scheme 的写法）。', en: 'A URL Link takes its cq with ?cq=, not &cq= (that is the URL Scheme form).' }
        : whole);
  }
  if (parts.cq !== undefined) {
    const raw = decoded(parts.cq);
    const bad = raw === null ? null : checkCq(raw, field);
    if (raw === null || bad) {
      return fail(40212, 'urlLink.cq',
        { zh: `${field} 的 cq 参数无效：${bad?.message.zh ?? '百分号编码残缺。'}`, en: `The cq of ${field} is invalid: ${bad?.message.en ?? 'broken percent-encoding.'}` },
        { zh: '传入 urllink 返回的原始 urlLink，或用 encodeURIComponent 编码 cq。', en: 'Pass the urlLink the urllink action returned, or encode the cq with encodeURIComponent.' });
    }
  }
  return { urlLink: { host: parts.host, ticket: parts.ticket } };
}
