/**
 * Links, written once and read by every side: the ticket of an encrypted scheme, the custom
 * parameter, the plaintext scheme, and the H5 jump page's URL for a link (the function writes
 * it into `h5Url`, the jump page reads it back). Pure; "§n" = docs/platform-rules.md.
 */
import { checkCq, checkEnvVersion, normalisePath, type PlaintextParts } from './checks';
import { clip, inputFailure, type Failure } from './failure';
import { APPID_PATTERN, DEFAULT_ENV_VERSION, SCHEME_PREFIX, TICKET_PATTERN } from './platform';

/** The `key=value` pairs after `weixin://dl/business/?`, values as written (still encoded); null when not a scheme. */
export function schemeFields(scheme: string): Map<string, string> | null {
  if (!scheme.startsWith(SCHEME_PREFIX)) return null;
  const fields = new Map<string, string>();
  for (const pair of scheme.slice(SCHEME_PREFIX.length).split('&')) {
    const at = pair.indexOf('=');
    if (at > 0 && !fields.has(pair.slice(0, at))) fields.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return fields;
}

/** The ticket of an encrypted scheme (§1), or null when the text is not one. */
export function ticketOf(scheme: string): string | null {
  const ticket = schemeFields(scheme)?.get('t');
  return ticket !== undefined && TICKET_PATTERN.test(ticket) ? ticket : null;
}

/** §2: the custom parameter joins an encrypted scheme with `&cq=` (not `?cq=`), url-encoded. */
export function appendCq(openlink: string, cq: string): string {
  return `${openlink}&cq=${encodeURIComponent(cq)}`;
}

/**
 * §2: one generated scheme serves many recipients, each with a cq of its own, with no further
 * call and no quota. Only an encrypted scheme without a cq takes one.
 */
export function linkWithCq(openlink: string, cq: string): { openlink: string } | { failure: Failure } {
  if (!ticketOf(openlink) || /[?&]cq=/.test(openlink)) {
    return {
      failure: inputFailure({
        errcode: 40097,
        field: 'openlink',
        rule: 'cq.link',
        message: {
          zh: '只能给加密 Scheme（weixin://dl/business/?t=…，且还没有 cq）追加 cq。',
          en: 'A cq can be added only to an encrypted scheme (weixin://dl/business/?t=…) that has none yet.',
        },
        hint: {
          zh: '传入 generate 返回的 openlink；明文 Scheme 请把参数放进 query。',
          en: 'Pass the openlink generate returned; for a plaintext scheme put parameters in its query.',
        },
      }),
    };
  }
  const bad = checkCq(cq);
  return bad ? { failure: bad } : { openlink: appendCq(openlink, cq) };
}

/** §3: `weixin://dl/business/?appid=…&path=…&query=…&env_version=…`; the path as is, the query url-encoded. */
export function buildPlaintextLink(parts: PlaintextParts): string {
  const path = encodeURI(normalisePath(parts.path));
  const query = encodeURIComponent(parts.query ?? '');
  return `${SCHEME_PREFIX}appid=${parts.appid}&path=${path}&query=${query}&env_version=${parts.envVersion ?? DEFAULT_ENV_VERSION}`;
}

/** decodeURIComponent, or null when the text is not valid percent-encoding. */
export function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Longer than any link WeChat issues: a ticket (≤ 128) with a cq (≤ 256 characters, up to 9 bytes
 * each once encoded), or a plaintext link whose query is ≤ 512 once encoded (§1–§3).
 */
const SCHEME_MAX_LENGTH = 4096;

/** A scheme the `query` action may forward: the encrypted form (with its cq checked) or the plaintext form. */
export type CheckedScheme = { kind: 'encrypted'; ticket: string } | { kind: 'plaintext'; appid: string; path: string };

/**
 * Checks a scheme before it is sent to urlscheme.query (§1–§4): an encrypted scheme's ticket and
 * cq, a plaintext scheme's appid, path and env_version. A malformed link costs no call.
 */
export function checkScheme(scheme: string, field = 'scheme'): { scheme: CheckedScheme } | { failure: Failure } {
  const fail = (errcode: number, rule: string, message: Failure['message'], hint: Failure['hint']) => ({
    failure: inputFailure({ errcode, field, rule, message, hint }),
  });
  const fields = scheme.length > SCHEME_MAX_LENGTH ? null : schemeFields(scheme);
  const wholeLink = {
    zh: '传入完整链接，例如 weixin://dl/business/?t=XXXX（可带 &cq=）。',
    en: 'Pass the whole link, e.g. weixin://dl/business/?t=XXXX (an &cq= may follow).',
  };
  if (!fields) {
    const shown = clip(scheme);
    return fail(
      40097,
      'scheme.format',
      { zh: `scheme "${shown}" 不是 weixin://dl/business/ 链接。`, en: `scheme "${shown}" is not a weixin://dl/business/ link.` },
      wholeLink,
    );
  }
  const cq = fields.get('cq');
  if (cq !== undefined) {
    const raw = decoded(cq);
    const bad = raw === null ? null : checkCq(raw, field);
    if (raw === null || bad) {
      return fail(
        40212,
        'scheme.cq',
        {
          zh: `${field} 的 cq 参数无效：${bad?.message.zh ?? '百分号编码残缺。'}`,
          en: `The cq of ${field} is invalid: ${bad?.message.en ?? 'broken percent-encoding.'}`,
        },
        {
          zh: '传入 generate 返回的原始 openlink，或用 encodeURIComponent 编码 cq。',
          en: 'Pass the openlink generate returned, or encode the cq with encodeURIComponent.',
        },
      );
    }
  }
  const ticket = fields.get('t');
  if (ticket !== undefined) {
    if (!TICKET_PATTERN.test(ticket)) {
      return fail(
        40097,
        'scheme.format',
        { zh: `scheme 的 t 参数 "${clip(ticket)}" 不是微信的链接票据。`, en: `The t of the scheme, "${clip(ticket)}", is not a WeChat ticket.` },
        wholeLink,
      );
    }
    return { scheme: { kind: 'encrypted', ticket } };
  }
  const appid = decoded(fields.get('appid') ?? '') ?? '';
  const path = decoded(fields.get('path') ?? '') ?? '';
  if (!APPID_PATTERN.test(appid) || normalisePath(path) === '') {
    return fail(
      40097,
      'scheme.format',
      { zh: '明文 Scheme 需要有效的 appid（wx 加 16 位十六进制）和 path。', en: 'A plaintext scheme needs a valid appid (wx + 16 hex digits) and a path.' },
      {
        zh: '按 weixin://dl/business/?appid=APPID&path=PATH&query=QUERY 的格式传入。',
        en: 'Pass it as weixin://dl/business/?appid=APPID&path=PATH&query=QUERY.',
      },
    );
  }
  const env = fields.get('env_version');
  if (env !== undefined) {
    const bad = checkEnvVersion(decoded(env) ?? env, field);
    if (bad) return { failure: bad };
  }
  return { scheme: { kind: 'plaintext', appid, path: normalisePath(path) } };
}

/** Slashes are legal in a URL's query and keep `path=pages/index/index` readable in an SMS. */
function encodeParam(name: string, value: string): string {
  const encoded = encodeURIComponent(value);
  return name === 'path' ? encoded.replace(/%2F/g, '/') : encoded;
}

/**
 * The H5 jump page's URL carrying `params` (`t`, `cq`, `path`, `query`, `env_version`), in that
 * order. `base` is the page's https URL; when it already has a query the parameters follow with `&`.
 */
export function jumpPageUrl(base: string, params: Record<string, string | undefined>): string {
  const order = ['t', 'cq', 'path', 'query', 'env_version'];
  const qs = order
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${encodeParam(k, params[k]!)}`)
    .join('&');
  return `${base}${base.includes('?') ? '&' : '?'}${qs}`;
}

/** The jump page URL for an encrypted link: the ticket, its cq, and the page for the open tag inside WeChat (§9). */
export function jumpPageUrlForTicket(base: string, ticket: string, target: { cq?: string; path: string; query: string }): string {
  // The home page needs no path; a path carries its query for the open tag (web/README.md).
  return jumpPageUrl(base, { t: ticket, cq: target.cq, ...(target.path ? { path: target.path, query: target.query || undefined } : {}) });
}

/** The jump page URL for a plaintext link: the page adds its own appid. */
export function jumpPageUrlForPlaintext(base: string, parts: PlaintextParts): string {
  return jumpPageUrl(base, { path: normalisePath(parts.path), query: parts.query ?? '', env_version: parts.envVersion ?? DEFAULT_ENV_VERSION });
}
