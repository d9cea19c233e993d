/**
 * Links the emulator issued, and how urlscheme.query / urllink.query read them (platform-rules §2–§4, §8):
 *   encrypted  weixin://dl/business/?t=TICKET[&cq=CUSTOM]
 *   plaintext  weixin://dl/business/?appid=APPID&path=PATH&query=QUERY&env_version=ENV
 *   URL Link   https://wxaurl.cn/TICKET[?cq=CUSTOM]   (issued; https://wxmpurl.cn/TICKET is read too)
 * Schemes and URL Links are kept apart: a scheme's ticket never resolves as a URL Link, nor
 * the reverse (85403), and no ticket is ever issued twice across both kinds.
 */
import { checkPagePath, checkQueryText, ENV_VERSIONS } from './scheme-rules';
import type { CloudBase } from './urllink-rules';
import { refuse, Refusal } from './wechat-errors';

export const SCHEME_PREFIX = 'weixin://dl/business/?';
const CQ_MAX = 256; // §2: cq ≤ 256 characters, same charset as query (a URL Link's ?cq= too: §8 sets no limit of its own)
const PLAINTEXT_QUERY_MAX = 512; // §3: query ≤ 512 characters, url-encoded

/** scheme_info as urlscheme.query answers it (times in Unix seconds; expire_time 0 = never). */
export interface SchemeInfo {
  appid: string;
  path: string;
  query: string;
  create_time: number;
  expire_time: number;
  env_version: string;
}

/** url_link_info as urllink.query answers it (§8): a scheme's fields plus cloud_base. */
export interface UrlLinkInfo extends SchemeInfo {
  cloud_base: CloudBase;
}

export const URL_LINK_PREFIX = 'https://wxaurl.cn/';
/** §8/§12: the newest URL Link guide also shows wxmpurl.cn links; a query accepts both hosts. */
const URL_LINK_PREFIXES = [URL_LINK_PREFIX, 'https://wxmpurl.cn/'];
const TICKET_CHARS = /^[0-9A-Za-z_-]+$/;

export class LinkStore {
  private byTicket = new Map<string, SchemeInfo>();
  private urlLinks = new Map<string, UrlLinkInfo>();

  add(ticket: string, info: SchemeInfo): string {
    this.byTicket.set(ticket, info);
    return `${SCHEME_PREFIX}t=${ticket}`;
  }

  addUrlLink(ticket: string, info: UrlLinkInfo): string {
    this.urlLinks.set(ticket, info);
    return `${URL_LINK_PREFIX}${ticket}`;
  }

  /** Whether a ticket was issued, as a scheme or as a URL Link. */
  has(ticket: string): boolean {
    return this.byTicket.has(ticket) || this.urlLinks.has(ticket);
  }

  clear(): void {
    this.byTicket.clear();
    this.urlLinks.clear();
  }

  /**
   * Reads a URL Link as urllink.query does. §8: the custom parameter is joined with `?cq=`
   * (not `&cq=` as on a scheme). Emulator's reading: anything else after the ticket (another
   * parameter, `&cq=`, a second path segment, a fragment) is a malformed link → 40097.
   */
  resolveUrlLink(link: string): UrlLinkInfo | Refusal {
    const prefix = URL_LINK_PREFIXES.find((p) => link.startsWith(p));
    if (!prefix) return refuse(40097, `url_link does not start with ${URL_LINK_PREFIXES.join(' or ')}`);
    const rest = link.slice(prefix.length);
    const mark = rest.indexOf('?');
    const ticket = mark < 0 ? rest : rest.slice(0, mark);
    if (!TICKET_CHARS.test(ticket)) return refuse(40097, `url_link ticket "${ticket}" is malformed`);
    if (mark >= 0) {
      const search = rest.slice(mark + 1);
      if (!search.startsWith('cq=') || search.includes('&')) return refuse(40097, `url_link carries "?${search}"; only ?cq= may follow the ticket`);
      const problem = checkCq(search.slice(3));
      if (problem) return problem;
    }
    const info = this.urlLinks.get(ticket);
    return info ? { ...info, cloud_base: { ...info.cloud_base } } : refuse(85403, `no URL Link with ticket ${ticket} was issued`);
  }

  /** Reads a scheme as urlscheme.query does: its info, or the platform's refusal. */
  resolve(scheme: string, appid: string, pages: Set<string>): SchemeInfo | Refusal {
    if (!scheme.startsWith(SCHEME_PREFIX)) return refuse(40097, `scheme does not start with ${SCHEME_PREFIX}`);
    const params = new Map<string, string>();
    for (const part of scheme.slice(SCHEME_PREFIX.length).split('&')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      if (!params.has(key)) params.set(key, eq < 0 ? '' : part.slice(eq + 1));
    }
    if (params.has('t')) return this.resolveEncrypted(params);
    if (params.has('appid')) return resolvePlaintext(params, appid, pages);
    return refuse(40097, 'scheme has neither t= (encrypted) nor appid= (plaintext)');
  }

  private resolveEncrypted(params: Map<string, string>): SchemeInfo | Refusal {
    const ticket = params.get('t') ?? '';
    if (!TICKET_CHARS.test(ticket)) return refuse(40097, `ticket "${ticket}" is malformed`);
    if (params.has('cq')) {
      const problem = checkCq(params.get('cq') ?? '');
      if (problem) return problem;
    }
    const info = this.byTicket.get(ticket);
    return info ? { ...info } : refuse(85403, `no link with ticket ${ticket} was issued`);
  }
}

function resolvePlaintext(params: Map<string, string>, appid: string, pages: Set<string>): SchemeInfo | Refusal {
  const path = decode(params.get('path') ?? '');
  const query = decode(params.get('query') ?? '');
  const env = decode(params.get('env_version') ?? '') || 'release';
  if (path === null || query === null) return refuse(40097, 'plaintext scheme is not valid url-encoding');
  if (params.get('appid') !== appid) return refuse(85403, `appid ${params.get('appid')} is not this mini program (${appid})`);
  if (path === '') return refuse(40097, 'plaintext scheme without path');
  if (path.startsWith('/')) return refuse(40165, `plaintext path "${path}" starts with '/'`); // §3: no leading '/'
  const pathProblem = checkPagePath(path, pages, 'path');
  if (pathProblem) return pathProblem;
  if (!ENV_VERSIONS.includes(env)) return refuse(85402, `env_version "${env}" is not release, trial or develop`);
  const encodedQuery = params.get('query') ?? '';
  if (encodedQuery.length > PLAINTEXT_QUERY_MAX) {
    return refuse(40212, `plaintext query is ${encodedQuery.length} characters url-encoded; the limit is ${PLAINTEXT_QUERY_MAX}`);
  }
  return { appid, path, query, create_time: 0, expire_time: 0, env_version: env };
}

/** §2/§8: the custom parameter, url-decoded, ≤ 256 chars of the query charset (40212). */
function checkCq(encoded: string): Refusal | null {
  const cq = decode(encoded);
  if (cq === null) return refuse(40097, 'cq is not valid url-encoding');
  return checkQueryText(cq, CQ_MAX, 'cq');
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
