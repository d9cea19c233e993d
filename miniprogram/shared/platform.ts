/**
 * The WeChat platform's numbers and patterns, each with the rule it comes from.
 *
 * The one place they are defined: the cloud function, the mini-program page and the H5 jump
 * page read them from here (the emulator keeps its own, deliberately independent, reading).
 * "§n" = docs/platform-rules.md, section n, which names the WeChat pages behind each rule.
 * Free of `wx`, Node and any dependency: DevTools compiles it into the mini program as is.
 */

// --- urlscheme.generate (§1) ------------------------------------------------------------------

/** §1: jump_wxa.query holds at most 1024 characters. */
export const QUERY_MAX_LENGTH = 1024;
/**
 * §1: a query (and a cq, §2) may hold only digits, letters and !#$&'()*+,/:;=?@-._~%.
 * §12: some copies of the doc also list a backtick; the safer reading leaves it out.
 */
export const QUERY_ALLOWED = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
export const QUERY_ALLOWED_CHAR = /[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]/;

/** §1: env_version is release (the default), trial or develop; 85402 otherwise. */
export const ENV_VERSIONS = ['release', 'trial', 'develop'] as const;
export type EnvVersion = (typeof ENV_VERSIONS)[number];
export const DEFAULT_ENV_VERSION: EnvVersion = 'release';

/** §1: expire_time must lie more than 1 minute ahead (85401). */
export const EXPIRE_MIN_LEAD_SECONDS = 60;
/**
 * §1 known traps, §12: WeChat's clock and ours differ by seconds, so genScheme keeps one more
 * minute of margin at BOTH ends of the window: a value we send is never refused for skew.
 */
export const CLOCK_SKEW_MARGIN_SECONDS = 60;
/** §1: since 2022-04-11 a link lives at most 30 days; there are no permanent links. */
export const EXPIRE_MAX_DAYS = 30;
export const SECONDS_PER_DAY = 86_400;
export const EXPIRE_MAX_SECONDS = EXPIRE_MAX_DAYS * SECONDS_PER_DAY;
/** §1: expire_interval is a whole number of days, 1 … 30. */
export const EXPIRE_INTERVAL_MIN_DAYS = 1;
export const EXPIRE_INTERVAL_MAX_DAYS = 30;
/**
 * §1 known traps: days written into expire_time give 85401. A value this small is a moment in
 * January 1970 nobody means, so it is read as a count of days.
 */
export const EXPIRE_TIME_DAYS_LIKE_MAX = 366;
/** §1 known traps: a 13-digit expire_time is milliseconds. */
export const MILLISECONDS_LIKE_MIN = 1e12;
export const MILLISECONDS_LIKE_MAX = 1e13 + 1e12;

/** §1: an encrypted scheme as WeChat issues it: `weixin://dl/business/?t=TICKET`. */
export const SCHEME_PREFIX = 'weixin://dl/business/?';
/** §1: the ticket is short URL-safe text. */
export const TICKET_PATTERN = /^[0-9A-Za-z_-]{1,128}$/;

// --- custom parameter (§2) and plaintext scheme (§3) ------------------------------------------

/** §2: a `cq` holds at most 256 characters of the query charset, joined to a scheme with `&cq=`. */
export const CQ_MAX_LENGTH = 256;
/** §3: a plaintext scheme's query holds at most 512 characters once url-encoded. */
export const PLAINTEXT_QUERY_MAX_LENGTH = 512;
/** §3, §7: a mini program's AppID is `wx` and 16 hex digits. */
export const APPID_PATTERN = /^wx[0-9a-f]{16}$/;
/** A mini-program page path: letters, digits, `_ - .` and `/` segments (a leading `/` is accepted). */
export const PAGE_PATH_PATTERN = /^\/?[0-9A-Za-z_\-.]+(\/[0-9A-Za-z_\-.]+)*$/;

// --- URL Link (§8) -----------------------------------------------------------------------------

/** §8, §12: a URL Link is `https://wxaurl.cn/TICKET`; the newest guide also shows `https://wxmpurl.cn/TICKET`: accept both. */
export const URL_LINK_HOSTS = ['wxaurl.cn', 'wxmpurl.cn'] as const;
/**
 * §8: `cloud_base.env` is a CloudBase environment **ID** (e.g. `prod-4g5h6j7k8l`), not its display
 * name: letters, digits and `-`, 6 to 40 characters (genScheme's reading; the doc gives no pattern).
 */
export const CLOUDBASE_ENV_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{5,39}$/;
/** §8: `cloud_base.domain`, a custom domain of the static website: a bare host name, no scheme, no path. */
export const DOMAIN_PATTERN = /^(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/** §8: `cloud_base.path`, a page of the static website: URL path characters, no query (`?`) or fragment (`#`). */
export const WEB_PATH_PATTERN = /^[0-9A-Za-z_\-./~%!$&'()*+,;=:@]{0,1024}$/;
/** §9: scene values a page sees when a URL Link opened it. */
export const SCENE_URL_LINK_OUTSIDE = 1194;
export const SCENE_URL_LINK_INSIDE = 1167;

// --- limits of the mini program (§5) ----------------------------------------------------------

/** §5: 100 generate calls per second per mini program; 44990 beyond. */
export const GENERATE_CALLS_PER_SECOND = 100;
/** §5: 500,000 schemes and URL Links generated per mini program per day; 44993 beyond. */
export const GENERATE_DAILY_CAP = 500_000;
/** §5: the platform's day is China's (UTC+8). */
export const PLATFORM_UTC_OFFSET_HOURS = 8;

// --- opening (§9) -----------------------------------------------------------------------------

/** §9: scene values a page sees when a scheme opened it. */
export const SCENE_ENCRYPTED_SCHEME = 1065;
export const SCENE_PLAINTEXT_SCHEME = 1286;
/**
 * §9: every scene a generated link opens the mini program with: encrypted scheme (1065), plaintext
 * scheme (1286), URL Link outside WeChat (1194), URL Link or open tag inside WeChat (1167). A stable
 * link's open is reported (`landed`) only from these.
 */
export const LINK_SCENES: readonly number[] = [SCENE_ENCRYPTED_SCHEME, SCENE_PLAINTEXT_SCHEME, SCENE_URL_LINK_OUTSIDE, SCENE_URL_LINK_INSIDE];
/** §12: scene values a page sees when a 小程序码 (wxacode.getUnlimited) opened it: scanned, long-pressed, read from the album. */
export const SCENE_WXACODE_SCAN = 1047;
export const SCENE_WXACODE_LONG_PRESS = 1048;
export const SCENE_WXACODE_ALBUM = 1049;
/**
 * §9, §12: the scenes in which `landed` counts a stable link's open — a link's (1065, 1286, 1194,
 * 1167) and a 小程序码 scan (1047, 1048, 1049). Any other scene (1001 the chat list, 1011 a plain
 * QR code, 1179 a Short Link…) did not come through the link: the report counts nothing.
 */
export const OPEN_SCENES: readonly number[] = [...LINK_SCENES, SCENE_WXACODE_SCAN, SCENE_WXACODE_LONG_PRESS, SCENE_WXACODE_ALBUM];

// --- 小程序码, wxacode.getUnlimited (§12) ------------------------------------------------------

/** §12: `scene` holds at most 32 characters; 40169 beyond. */
export const WXACODE_SCENE_MAX = 32;
/** §12: `scene` characters: digits, letters and !#$&'()*+,/:;=?@-._~ — no `%`, so no URL-encoded Chinese; 40169 otherwise. */
export const WXACODE_SCENE_CHARSET = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/;
/** §12: `width` in px, 280–1280, 430 when left out. */
export const WXACODE_WIDTH = { min: 280, max: 1280, default: 430 } as const;
/** §12: 5,000 getUnlimited calls a minute per mini program; 45009 beyond. */
export const WXACODE_CALLS_PER_MINUTE = 5000;
/** §12: the scene values of a 小程序码: scanned (1047), long-pressed (1048), picked from the album (1049). */
export const WXACODE_SCENES: readonly number[] = [SCENE_WXACODE_SCAN, SCENE_WXACODE_LONG_PRESS, SCENE_WXACODE_ALBUM];
