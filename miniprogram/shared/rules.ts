/**
 * WeChat URL Scheme platform rules — the one place they live.
 *
 * Shared, unchanged, by the cloud function (bundled by esbuild), the mini program
 * (compiled by DevTools, hence its home inside `miniprogram/`) and the H5 jump page.
 * It must stay free of `wx`, Node and any dependency.
 *
 * Every limit cites its source. "PR §n" = ../shared/docs/platform-rules.md, section n,
 * which collects the rules from WeChat's pages:
 *   GEN   = developers.weixin.qq.com …/url-scheme/urlscheme.generate.html (generateScheme)
 *   QUERY = …/url-scheme/urlscheme.query.html (queryScheme)
 *   GUIDE = …/framework/open-ability/url-scheme.html (custom parameter, plaintext scheme)
 */

/** A rule broken by a request, in words a mini-program team and its users can act on. */
export interface Problem {
  /** The platform's errcode for the same problem where it has one, else genScheme's own. */
  errcode: number;
  /** Dotted path of the field at fault, e.g. `jumpWxa.query`. */
  field: string;
  /** Stable id of the rule, e.g. `query.maxLength`; greppable in this file. */
  rule: string;
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
}

// ---------------------------------------------------------------------------
// Limits (each with its source)
// ---------------------------------------------------------------------------

/** GEN: jump_wxa.query "最大1024个字符" (PR §1). */
export const QUERY_MAX_LENGTH = 1024;
/** GUIDE, plaintext scheme: query at most 512 characters after url-encoding (PR §3). */
export const PLAINTEXT_QUERY_MAX_LENGTH = 512;
/** GUIDE, custom parameter `cq` on an encrypted scheme: at most 256 characters (PR §2). */
export const CQ_MAX_LENGTH = 256;
/** GEN: expire_time must be more than 1 minute ahead (85401) (PR §1). */
export const EXPIRE_MIN_LEAD_SECONDS = 60;
/**
 * PR §1 "known traps": now + 60 s fails now and then because the two clocks differ.
 * We ask for one more minute so a request we let through is not rejected by WeChat.
 */
export const CLOCK_SKEW_MARGIN_SECONDS = 60;
/** GEN since 2022-04-11: at most 30 days of validity, no permanent links (PR §1). */
export const EXPIRE_MAX_DAYS = 30;
export const SECONDS_PER_DAY = 86_400;
export const EXPIRE_MAX_SECONDS = EXPIRE_MAX_DAYS * SECONDS_PER_DAY;
/**
 * PR §1 "known traps": days written into expire_time give 85401. A value this small cannot be a
 * timestamp anyone means (it is in January 1970), so it is read as a count of days.
 */
export const EXPIRE_TIME_DAYS_LIKE_MAX = 366;
/** GEN: expire_interval in whole days, 1 … 30 (PR §1). */
export const EXPIRE_INTERVAL_MIN_DAYS = 1;
export const EXPIRE_INTERVAL_MAX_DAYS = 30;
/** PR §5: 100 generate calls per second per mini program, 44990 beyond. */
export const GENERATE_CALLS_PER_SECOND = 100;
/** PR §5: 500,000 schemes + URL Links generated per mini program per day, 44993 beyond. */
export const GENERATE_DAILY_CAP = 500_000;
/** GEN: env_version values; default release (PR §1). */
export const ENV_VERSIONS = ['release', 'trial', 'develop'] as const;
export type EnvVersion = (typeof ENV_VERSIONS)[number];
export const DEFAULT_ENV_VERSION: EnvVersion = 'release';

/**
 * GEN: query may hold only digits, letters and !#$&'()*+,/:;=?@-._~%
 * PR §1 ⚠️: some copies of the doc also show a backtick, which is a Markdown artefact in
 * others. Safer reading: the backtick is NOT allowed (a request with it might be rejected).
 * The same set applies to `cq` (GUIDE, PR §2).
 */
export const QUERY_ALLOWED = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
const QUERY_ALLOWED_CHAR = /[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]/;

/** An encrypted scheme as WeChat issues it (PR §1 "Success"). The ticket is URL-safe text. */
export const SCHEME_PREFIX = 'weixin://dl/business/?';
export const TICKET_PATTERN = /^[0-9A-Za-z_-]{1,128}$/;

/** Scene values a page sees when opened by a scheme (PR §3). */
export const SCENE_ENCRYPTED_SCHEME = 1065;
export const SCENE_PLAINTEXT_SCHEME = 1286;

// ---------------------------------------------------------------------------
// Checks. Each returns a Problem or null; none throws.
// ---------------------------------------------------------------------------

/** A Problem from its parts, in the order of the interface (the cloud function builds its own the same way). */
export function problem(errcode: number, field: string, rule: string, zh: string, en: string, hintZh: string, hintEn: string): Problem {
  return { errcode, field, rule, zh, en, hintZh, hintEn };
}

function describeChar(ch: string, zh = false): string {
  if (ch === ' ') return zh ? '空格' : 'a space';
  if (ch === '\n' || ch === '\r' || ch === '\t') return zh ? '换行或制表符' : 'a line break or tab';
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return zh ? `“${ch}”(${code})` : `"${ch}" (${code})`;
}

/** Percent-encodes what the allowed set does not hold (UTF-8), leaving allowed characters as they are. */
export function encodeQueryValue(text: string): string {
  let out = '';
  for (const ch of text) {
    if (QUERY_ALLOWED_CHAR.test(ch) && ch !== '%') out += ch;
    else out += encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

/**
 * Checks a query (or `cq`) against GEN's length and character rules.
 * `max` lets a caller apply a lower cap (a policy, or the plaintext/cq limits).
 */
export function checkQuery(query: string, field = 'jumpWxa.query', max = QUERY_MAX_LENGTH, errcode = 40212): Problem | null {
  if (query.length > max) {
    return problem(
      errcode, field, 'query.maxLength',
      `${field} 长度为 ${query.length} 个字符，超过上限 ${max}。`,
      `${field} is ${query.length} characters long; the limit is ${max}.`,
      '缩短参数：只放一个 ID，详细数据在页面内按 ID 查询。',
      'Shorten it: carry an id only and load the details inside the page.',
    );
  }
  if (!QUERY_ALLOWED.test(query)) {
    const chars = [...query];
    const bad = chars.find((ch) => !QUERY_ALLOWED_CHAR.test(ch)) ?? '';
    const at = chars.indexOf(bad) + 1;
    const [zh, en, encoded] = [describeChar(bad, true), describeChar(bad), encodeQueryValue(bad)];
    return problem(
      errcode, field, 'query.charset',
      `${field} 含有不允许的字符${zh}（第 ${at} 个字符）。只允许数字、英文字母和 !#$&'()*+,/:;=?@-._~%。`,
      `${field} contains ${en} at position ${at}, which is not allowed. Only digits, letters and !#$&'()*+,/:;=?@-._~% are.`,
      `请先对参数值做百分号编码（encodeURIComponent），例如${zh}编码为 ${encoded}。`,
      `Percent-encode the value first (encodeURIComponent), e.g. ${en} becomes ${encoded}.`,
    );
  }
  return null;
}

/** Strips one leading `/`: GEN's own example path starts with one, and the platform accepts both. */
export function normalisePath(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

/**
 * Checks jump_wxa.path: no query string (GEN "不可携带 query") and a page of the mini
 * program (GEN "必须是已经发布的小程序存在的页面", else 40165). Empty = home page.
 * `pages` is the list read from app.json; pass null to skip the page check.
 */
export function checkPath(path: string, pages: readonly string[] | null, field = 'jumpWxa.path'): Problem | null {
  const qAt = path.indexOf('?');
  if (qAt >= 0) {
    const [page, query] = [normalisePath(path.slice(0, qAt)), path.slice(qAt + 1)];
    return problem(
      40165, field, 'path.noQuery',
      `${field} 不能带 query（"?" 之后的部分）。`,
      `${field} must not carry a query string (the part after "?").`,
      `把 "${query}" 移到 jumpWxa.query,path 只写 "${page}"。`,
      `Move "${query}" into jumpWxa.query and keep the path as "${page}".`,
    );
  }
  const page = normalisePath(path);
  if (page === '' || pages === null) return null;
  if (!pages.includes(page)) {
    const near = pages.find((p) => p.toLowerCase() === page.toLowerCase() || p.endsWith('/' + page) || p.startsWith(page + '/'));
    const some = pages.slice(0, 8).join(', ') + (pages.length > 8 ? ' …' : '');
    return problem(
      40165, field, 'path.unknownPage',
      `${field} "${page}" 不是小程序 app.json 中的页面。`,
      `${field} "${page}" is not a page in the mini program's app.json.`,
      near ? `是否想写 "${near}"？` : `可用页面：${some}。页面还须在已发布版本中存在。`,
      near ? `Did you mean "${near}"?` : `Pages: ${some}. The page must also exist in the published version.`,
    );
  }
  return null;
}

export function isEnvVersion(value: unknown): value is EnvVersion {
  return typeof value === 'string' && (ENV_VERSIONS as readonly string[]).includes(value);
}

/** GEN: env_version is release, trial or develop (85402 otherwise). */
export function checkEnvVersion(value: string, field = 'jumpWxa.envVersion'): Problem | null {
  if (isEnvVersion(value)) return null;
  const lower = value.trim().toLowerCase();
  return problem(
    85402, field, 'envVersion.value',
    `${field} 为 "${value}"，只能是 release（正式版）、trial（体验版）或 develop（开发版）。`,
    `${field} is "${value}"; it must be release, trial or develop.`,
    isEnvVersion(lower) ? `改为 "${lower}"（区分大小写）。` : '不填即为 release。',
    isEnvVersion(lower) ? `Write "${lower}" (it is case-sensitive).` : 'Leave it out for release.',
  );
}

/** Formats Unix seconds for messages: ISO in UTC and Beijing time, which is what the MP admin shows. */
export function formatUnix(seconds: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(seconds);
  const utc = new Date(ms).toISOString().replace('.000Z', 'Z');
  const bj = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return `${utc} (${bj} UTC+8)`;
}

/**
 * GEN: expire_time is Unix seconds, more than 1 minute and at most 30 days ahead (85401).
 * Recognises the two classic mistakes: milliseconds (13 digits) and a time in the past.
 */
export function checkExpireTime(expireTime: number, nowSeconds: number, field = 'expireTime'): Problem | null {
  if (!Number.isInteger(expireTime)) {
    return problem(
      85401, field, 'expireTime.integer',
      `${field} 必须是整数秒的 Unix 时间戳，收到 ${expireTime}。`,
      `${field} must be a whole number of Unix seconds; got ${expireTime}.`,
      `使用 Math.floor(Date.now() / 1000) + 秒数。`,
      'Use Math.floor(Date.now() / 1000) + seconds.',
    );
  }
  if (expireTime >= 1 && expireTime <= EXPIRE_TIME_DAYS_LIKE_MAX) {
    const days = Math.min(expireTime, EXPIRE_INTERVAL_MAX_DAYS);
    return problem(
      85401, field, 'expireTime.days',
      `${field} = ${expireTime} 看起来是天数；${field} 是秒级 Unix 时间戳。`,
      `${field} = ${expireTime} looks like a number of days; ${field} is a Unix timestamp in seconds.`,
      `按天数请用 expireType: 1 与 expireInterval: ${days}（1–${EXPIRE_INTERVAL_MAX_DAYS} 天）；按时间请用 Math.floor(Date.now() / 1000) + 秒数。`,
      `For days use expireType: 1 with expireInterval: ${days} (1–${EXPIRE_INTERVAL_MAX_DAYS} days); for a moment use Math.floor(Date.now() / 1000) + seconds.`,
    );
  }
  if (expireTime >= 1e12 && expireTime < 1e13 + 1e12) {
    const asSeconds = Math.floor(expireTime / 1000);
    return problem(
      85401, field, 'expireTime.milliseconds',
      `${field} = ${expireTime} 是毫秒（13 位），平台要求秒。`,
      `${field} = ${expireTime} is in milliseconds (13 digits); the platform wants seconds.`,
      `除以 1000:${asSeconds}(${formatUnix(asSeconds)})。`,
      `Divide by 1000: ${asSeconds} (${formatUnix(asSeconds)}).`,
    );
  }
  const lead = expireTime - nowSeconds;
  if (lead <= 0) {
    return problem(
      85401, field, 'expireTime.past',
      `${field} = ${expireTime}(${formatUnix(expireTime)})已经过去。`,
      `${field} = ${expireTime} (${formatUnix(expireTime)}) is in the past.`,
      `给一个未来 2 分钟到 ${EXPIRE_MAX_DAYS} 天之间的时间，或改用 expireType: 1 与 expireInterval（天数）。`,
      `Give a time between 2 minutes and ${EXPIRE_MAX_DAYS} days from now, or use expireType: 1 with expireInterval (days).`,
    );
  }
  if (lead <= EXPIRE_MIN_LEAD_SECONDS + CLOCK_SKEW_MARGIN_SECONDS) {
    return problem(
      85401, field, 'expireTime.tooSoon',
      `${field} 只在 ${lead} 秒之后；平台要求超过 1 分钟，且两端时钟有偏差，需再留 1 分钟余量。`,
      `${field} is only ${lead} s ahead; the platform wants more than 1 minute, and clock skew needs another minute of margin.`,
      `至少设为当前时间 + ${EXPIRE_MIN_LEAD_SECONDS + CLOCK_SKEW_MARGIN_SECONDS + 1} 秒。`,
      `Set it at least ${EXPIRE_MIN_LEAD_SECONDS + CLOCK_SKEW_MARGIN_SECONDS + 1} s from now.`,
    );
  }
  if (lead > EXPIRE_MAX_SECONDS) {
    const days = (lead / SECONDS_PER_DAY).toFixed(lead % SECONDS_PER_DAY === 0 ? 0 : 2);
    const latest = nowSeconds + EXPIRE_MAX_SECONDS;
    return problem(
      85401, field, 'expireTime.tooLate',
      `${field}(${formatUnix(expireTime)})在 ${days} 天之后；自 2022-04-11 起最长有效期为 ${EXPIRE_MAX_DAYS} 天，不再有永久链接。`,
      `${field} (${formatUnix(expireTime)}) is ${days} days ahead; since 2022-04-11 a link lives at most ${EXPIRE_MAX_DAYS} days and permanent links no longer exist.`,
      `最晚为 ${latest}(${formatUnix(latest)})，或用 expireType: 1, expireInterval: 30。`,
      `The latest is ${latest} (${formatUnix(latest)}), or use expireType: 1, expireInterval: 30.`,
    );
  }
  return null;
}

/** GEN: expire_interval is a whole number of days, 1 … 30 (85401 otherwise). */
export function checkExpireInterval(days: number, field = 'expireInterval', max = EXPIRE_INTERVAL_MAX_DAYS): Problem | null {
  const whole = Number.isInteger(days);
  if (whole && days >= EXPIRE_INTERVAL_MIN_DAYS && days <= max) return null;
  // The nearest allowed value (a fraction rounded up first).
  const fix = Math.min(Math.max(Math.ceil(days), EXPIRE_INTERVAL_MIN_DAYS), max);
  return problem(
    85401, field, whole ? 'expireInterval.range' : 'expireInterval.integer',
    `${field} = ${days}；必须是 ${EXPIRE_INTERVAL_MIN_DAYS} 到 ${max} 之间的整数天。`,
    `${field} = ${days}; it must be a whole number of days from ${EXPIRE_INTERVAL_MIN_DAYS} to ${max}.`,
    whole ? `改为 ${fix}。` : `改为整数，例如 ${fix}。`,
    whole ? `Use ${fix}.` : `Use a whole number, e.g. ${fix}.`,
  );
}

// ---------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------

/** Reads the ticket out of an encrypted scheme, or null when the text is not one. */
export function ticketOf(scheme: string): string | null {
  if (!scheme.startsWith(SCHEME_PREFIX)) return null;
  const params = scheme.slice(SCHEME_PREFIX.length).split('&');
  const t = params.find((p) => p.startsWith('t='));
  const ticket = t ? t.slice(2) : '';
  return TICKET_PATTERN.test(ticket) ? ticket : null;
}

/**
 * GUIDE (since 2023-12-19): a custom parameter on an encrypted scheme is appended as
 * `&cq=<url-encoded>`, at most 256 characters of the allowed set (PR §2). Some copies of
 * the doc print `?cq=`, which fails: it must be joined with `&`.
 * `cq` is the raw value; it is checked, then percent-encoded.
 */
export function checkCq(cq: string, field = 'cq'): Problem | null {
  return checkQuery(cq, field, CQ_MAX_LENGTH, 40212);
}

export function appendCq(openlink: string, cq: string): string {
  return `${openlink}&cq=${encodeURIComponent(cq)}`;
}

/**
 * For a link generated earlier: one generated scheme serves many recipients, each with its own
 * `cq`, without another API call or any quota (GUIDE, PR §2). Only encrypted schemes take a cq.
 */
export function linkWithCq(openlink: string, cq: string): { openlink: string } | { problem: Problem } {
  if (!ticketOf(openlink) || /[?&]cq=/.test(openlink)) {
    return {
      problem: problem(
        40097, 'openlink', 'cq.link',
        '只能给加密 Scheme（weixin://dl/business/?t=…，且还没有 cq）追加 cq。',
        'A cq can be added only to an encrypted scheme (weixin://dl/business/?t=…) that has none yet.',
        '传入 generate 返回的 openlink；明文 Scheme 请把参数放进 query。',
        'Pass the openlink generate returned; for a plaintext scheme put parameters in its query.',
      ),
    };
  }
  const bad = checkCq(cq);
  return bad ? { problem: bad } : { openlink: appendCq(openlink, cq) };
}

export interface PlaintextParts {
  appid: string;
  path: string;
  query?: string;
  envVersion?: EnvVersion;
}

/** GUIDE: a plaintext scheme needs a path (no leading `/`) and an appid; query ≤ 512 chars encoded (PR §3). */
export function checkPlaintext(parts: PlaintextParts): Problem | null {
  if (!/^wx[0-9a-f]{16}$/.test(parts.appid)) {
    return problem(
      -900003, 'appid', 'plaintext.appid',
      parts.appid ? `appid "${parts.appid}" 不是小程序 AppID（wx 加 16 位十六进制）。` : '不知道小程序的 AppID：调用方没有 APPID（例如控制台测试），也没有配置。',
      parts.appid ? `appid "${parts.appid}" is not a mini-program AppID (wx + 16 hex digits).` : 'The mini program\'s AppID is unknown: the caller has no APPID (e.g. a console test) and none is configured.',
      '从小程序内调用（自动取 APPID），或在云函数配置 GENSCHEME_APPID。',
      'Call from the mini program (its APPID is used) or set GENSCHEME_APPID on the function.',
    );
  }
  if (normalisePath(parts.path) === '') {
    return problem(
      40165, 'jumpWxa.path', 'plaintext.pathRequired',
      '明文 Scheme 必须指定页面路径。',
      'A plaintext scheme needs a page path.',
      '填写已在小程序管理后台「明文 Scheme 拉起此小程序」中声明的页面。',
      'Give a page declared in the MP admin under 明文 Scheme 拉起此小程序.',
    );
  }
  const encoded = encodeURIComponent(parts.query ?? '');
  if (encoded.length > PLAINTEXT_QUERY_MAX_LENGTH) {
    return problem(
      40212, 'jumpWxa.query', 'plaintext.queryMaxLength',
      `明文 Scheme 的 query 编码后为 ${encoded.length} 个字符，超过上限 ${PLAINTEXT_QUERY_MAX_LENGTH}。`,
      `The plaintext scheme's query is ${encoded.length} characters once url-encoded; the limit is ${PLAINTEXT_QUERY_MAX_LENGTH}.`,
      '缩短参数，或改用加密 Scheme（上限 1024）。',
      'Shorten it, or use an encrypted scheme (limit 1024).',
    );
  }
  return null;
}

export function buildPlaintextLink(parts: PlaintextParts): string {
  // GUIDE shows the path as is (pages/index/index) and only the query url-encoded; encodeURI
  // keeps the slashes and escapes anything unusual.
  const path = encodeURI(normalisePath(parts.path));
  const query = encodeURIComponent(parts.query ?? '');
  const env = parts.envVersion ?? DEFAULT_ENV_VERSION;
  return `${SCHEME_PREFIX}appid=${parts.appid}&path=${path}&query=${query}&env_version=${env}`;
}

/** Reads the pages of an app.json object (main package and subpackages, both spellings). */
export function pagesOfAppJson(appJson: unknown): string[] {
  const pages: string[] = [];
  if (typeof appJson !== 'object' || appJson === null) return pages;
  const app = appJson as { pages?: unknown; subPackages?: unknown; subpackages?: unknown };
  if (Array.isArray(app.pages)) for (const p of app.pages) if (typeof p === 'string') pages.push(p);
  const subs = Array.isArray(app.subPackages) ? app.subPackages : Array.isArray(app.subpackages) ? app.subpackages : [];
  for (const sub of subs as Array<{ root?: unknown; pages?: unknown }>) {
    if (!sub || typeof sub.root !== 'string' || !Array.isArray(sub.pages)) continue;
    const root = sub.root.replace(/\/+$/, '');
    for (const p of sub.pages) if (typeof p === 'string') pages.push(`${root}/${p}`);
  }
  return pages;
}
