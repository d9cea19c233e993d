/**
 * The platform's rules as pure checks: each takes a value and returns the Failure that names
 * the field, the rule and the fix, or null. None throws, whatever text it is given.
 * Numbers and patterns come from platform.ts; "§n" = docs/platform-rules.md.
 */
import { clip, inputFailure, type Failure } from './failure';
import {
  APPID_PATTERN,
  CQ_MAX_LENGTH,
  ENV_VERSIONS,
  PLAINTEXT_QUERY_MAX_LENGTH,
  QUERY_ALLOWED,
  QUERY_ALLOWED_CHAR,
  QUERY_MAX_LENGTH,
  type EnvVersion,
} from './platform';

/** A UTF-16 surrogate without its partner: no encoding can represent it (encodeURIComponent throws). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])([\udc00-\udfff])/;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

function isSurrogate(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return ch.length === 1 && code >= 0xd800 && code <= 0xdfff;
}

function describeChar(ch: string, lang: 'zh' | 'en'): string {
  if (ch === ' ') return lang === 'zh' ? '空格' : 'a space';
  if (ch === '\n' || ch === '\r' || ch === '\t') return lang === 'zh' ? '换行或制表符' : 'a line break or tab';
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (isSurrogate(ch)) return lang === 'zh' ? `残缺的 UTF-16 字符（${code}）` : `a broken UTF-16 character (${code})`;
  return lang === 'zh' ? `“${ch}”（${code}）` : `"${ch}" (${code})`;
}

/** Percent-encodes what the allowed set does not hold (UTF-8), keeping allowed characters. Lone surrogates are dropped. */
export function encodeQueryValue(text: string): string {
  let out = '';
  for (const ch of text) {
    if (isSurrogate(ch)) continue;
    if (QUERY_ALLOWED_CHAR.test(ch) && ch !== '%') out += ch;
    else out += encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

export interface QueryCheckOptions {
  field?: string;
  /** A lower cap than the platform's: a policy's, or the cq limit. */
  max?: number;
  /** Prefix of the rule ids: `query` or `cq`. */
  rule?: string;
}

/** §1: a query holds at most 1024 characters of digits, letters and !#$&'()*+,/:;=?@-._~% (40212). */
export function checkQuery(query: string, options: QueryCheckOptions = {}): Failure | null {
  const { field = 'jumpWxa.query', max = QUERY_MAX_LENGTH, rule = 'query' } = options;
  if (query.length > max) {
    return inputFailure({
      errcode: 40212,
      field,
      rule: `${rule}.maxLength`,
      message: { zh: `${field} 长度为 ${query.length} 个字符，超过上限 ${max}。`, en: `${field} is ${query.length} characters long; the limit is ${max}.` },
      hint: { zh: '缩短参数：只放一个 ID，详细数据在页面内按 ID 查询。', en: 'Shorten it: carry an id only and load the details inside the page.' },
    });
  }
  if (QUERY_ALLOWED.test(query)) return null;
  const chars = [...query];
  const at = chars.findIndex((ch) => !QUERY_ALLOWED_CHAR.test(ch));
  const bad = chars[at];
  const [zh, en] = [describeChar(bad, 'zh'), describeChar(bad, 'en')];
  const hint = isSurrogate(bad)
    ? {
        zh: '删除这个残缺字符：它通常来自被截断的表情或汉字，任何编码都无法表示。',
        en: 'Remove it: it usually comes from a cut emoji or character, and no encoding can represent it.',
      }
    : {
        zh: `请先对参数值做百分号编码（encodeURIComponent），例如${zh}编码为 ${encodeQueryValue(bad)}。`,
        en: `Percent-encode the value first (encodeURIComponent), e.g. ${en} becomes ${encodeQueryValue(bad)}.`,
      };
  return inputFailure({
    errcode: 40212,
    field,
    rule: `${rule}.charset`,
    message: {
      zh: `${field} 含有不允许的字符${zh}（第 ${at + 1} 个字符）。只允许数字、英文字母和 !#$&'()*+,/:;=?@-._~%。`,
      en: `${field} contains ${en} at position ${at + 1}, which is not allowed. Only digits, letters and !#$&'()*+,/:;=?@-._~% are.`,
    },
    hint,
  });
}

/** §2: a cq is at most 256 characters of the query charset. */
export function checkCq(cq: string, field = 'cq'): Failure | null {
  return checkQuery(cq, { field, max: CQ_MAX_LENGTH, rule: 'cq' });
}

/** Strips one leading `/`: §1's own example path starts with one, and the platform accepts both. */
export function normalisePath(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

/**
 * §1: jump_wxa.path carries no query string and names a page of the published mini program
 * (40165 otherwise). Empty = home page. `pages` is app.json's list; null skips the page check.
 */
export function checkPath(path: string, pages: readonly string[] | null, field = 'jumpWxa.path', queryField = 'jumpWxa.query'): Failure | null {
  const qAt = path.indexOf('?');
  if (qAt >= 0) {
    const [page, query] = [clip(normalisePath(path.slice(0, qAt))), clip(path.slice(qAt + 1))];
    return inputFailure({
      errcode: 40165,
      field,
      rule: 'path.noQuery',
      message: { zh: `${field} 不能带 query（"?" 之后的部分）。`, en: `${field} must not carry a query string (the part after "?").` },
      hint: { zh: `把 "${query}" 移到 ${queryField}，path 只写 "${page}"。`, en: `Move "${query}" into ${queryField} and keep the path as "${page}".` },
    });
  }
  const page = normalisePath(path);
  if (page === '' || pages === null || pages.includes(page)) return null;
  const near = page.length <= 200 ? pages.find((p) => p.toLowerCase() === page.toLowerCase() || p.endsWith('/' + page) || p.startsWith(page + '/')) : undefined;
  const some = pages.slice(0, 8).join(', ') + (pages.length > 8 ? ' …' : '');
  return inputFailure({
    errcode: 40165,
    field,
    rule: 'path.unknownPage',
    message: { zh: `${field} "${clip(page)}" 不是小程序 app.json 中的页面。`, en: `${field} "${clip(page)}" is not a page in the mini program's app.json.` },
    hint: near
      ? { zh: `是否想写 "${near}"？`, en: `Did you mean "${near}"?` }
      : { zh: `可用页面：${some}。页面还须在已发布版本中存在。`, en: `Pages: ${some}. The page must also exist in the published version.` },
  });
}

export function isEnvVersion(value: unknown): value is EnvVersion {
  return typeof value === 'string' && (ENV_VERSIONS as readonly string[]).includes(value);
}

/** §1: env_version is release, trial or develop (85402 otherwise). */
export function checkEnvVersion(value: string, field = 'jumpWxa.envVersion'): Failure | null {
  if (isEnvVersion(value)) return null;
  const lower = value.trim().toLowerCase();
  return inputFailure({
    errcode: 85402,
    field,
    rule: 'envVersion.value',
    message: {
      zh: `${field} 为 "${clip(value)}"，只能是 release（正式版）、trial（体验版）或 develop（开发版）。`,
      en: `${field} is "${clip(value)}"; it must be release, trial or develop.`,
    },
    hint: isEnvVersion(lower)
      ? { zh: `改为 "${lower}"（区分大小写）。`, en: `Write "${lower}" (it is case-sensitive).` }
      : { zh: '不填即为 release。', en: 'Leave it out for release.' },
  });
}

/** §3, §7: a mini program's AppID. */
export function checkAppid(appid: string, field = 'appid'): Failure | null {
  if (APPID_PATTERN.test(appid)) return null;
  return inputFailure({
    errcode: -900003,
    field,
    rule: 'plaintext.appid',
    message: appid
      ? {
          zh: `appid "${clip(appid)}" 不是小程序 AppID（wx 加 16 位十六进制）。`,
          en: `appid "${clip(appid)}" is not a mini-program AppID (wx + 16 hex digits).`,
        }
      : {
          zh: '不知道小程序的 AppID：调用方没有 APPID（例如控制台测试），也没有配置。',
          en: "The mini program's AppID is unknown: the caller has no APPID (e.g. a console test) and none is configured.",
        },
    hint: {
      zh: '从小程序内调用（自动取 APPID），或在云函数配置 GENSCHEME_APPID。',
      en: 'Call from the mini program (its APPID is used) or set GENSCHEME_APPID on the function.',
    },
  });
}

export interface PlaintextParts {
  appid: string;
  path: string;
  query?: string;
  envVersion?: EnvVersion;
}

/** §3: a plaintext scheme needs an appid and a page; its query is ≤ 512 characters once url-encoded. */
export function checkPlaintext(parts: PlaintextParts, fields = { path: 'jumpWxa.path', query: 'jumpWxa.query' }): Failure | null {
  const appid = checkAppid(parts.appid);
  if (appid) return appid;
  if (normalisePath(parts.path) === '') {
    return inputFailure({
      errcode: 40165,
      field: fields.path,
      rule: 'plaintext.pathRequired',
      message: { zh: '明文 Scheme 必须指定页面路径。', en: 'A plaintext scheme needs a page path.' },
      hint: {
        zh: '填写已在小程序管理后台「明文 Scheme 拉起此小程序」中声明的页面。',
        en: 'Give a page declared in the MP admin under 明文 Scheme 拉起此小程序.',
      },
    });
  }
  const query = parts.query ?? '';
  // A broken character cannot be url-encoded at all: the query's charset failure names it.
  if (hasLoneSurrogate(query)) return checkQuery(query, { field: fields.query, max: Infinity });
  const encoded = encodeURIComponent(query);
  if (encoded.length > PLAINTEXT_QUERY_MAX_LENGTH) {
    return inputFailure({
      errcode: 40212,
      field: fields.query,
      rule: 'plaintext.queryMaxLength',
      message: {
        zh: `明文 Scheme 的 query 编码后为 ${encoded.length} 个字符，超过上限 ${PLAINTEXT_QUERY_MAX_LENGTH}。`,
        en: `The plaintext scheme's query is ${encoded.length} characters once url-encoded; the limit is ${PLAINTEXT_QUERY_MAX_LENGTH}.`,
      },
      hint: { zh: '缩短参数，或改用加密 Scheme（上限 1024）。', en: 'Shorten it, or use an encrypted scheme (limit 1024).' },
    });
  }
  return null;
}
