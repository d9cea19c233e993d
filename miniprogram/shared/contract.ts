/**
 * genScheme's contract: what a caller sends (the event) and what it gets back (the reply).
 *
 * The one source of truth for the cloud function, the mini-program client and the H5 page:
 * change a type here and every caller that relies on it stops type-checking.
 * Types, plus one type guard.
 */
import type { Bilingual, FailureSource } from './failure';
import type { EnvVersion } from './platform';

export type { Bilingual, EnvVersion, FailureSource };

export type Action = 'generate' | 'query' | 'quota' | 'plaintext' | 'urllink' | 'createLink' | 'resolveLink' | 'updateLink' | 'listLinks' | 'linkStats' | 'landed' | 'linkCode' | 'sweep';

/** jump_wxa in the cloud-call (camelCase) shape. */
export interface JumpWxa {
  /** A page of the published mini program, no query string; empty = home page. A leading `/` is accepted. */
  path?: string;
  /** `k1=v1&k2=v2`, ≤ 1024 chars of digits, letters and !#$&'()*+,/:;=?@-._~% */
  query?: string;
  /** release (default) · trial · develop; matters only outside WeChat. */
  envVersion?: EnvVersion;
}

/** jump_wxa in the HTTPS (snake_case) shape. */
export interface JumpWxaSnake {
  path?: string;
  query?: string;
  env_version?: EnvVersion;
}

interface CallerFields {
  /** Grants trusted rights when it equals the function's GENSCHEME_ADMIN_TOKEN. Never echoed. */
  adminToken?: string;
}

/** `action: "generate"` (the default), cloud-call shape. */
export interface GenerateRequest extends CallerFields {
  action?: 'generate';
  jumpWxa?: JumpWxa;
  /** Legacy: the platform treats every link as expiring; `false` is accepted with a warning. */
  isExpire?: boolean;
  /** 0 = expireTime, 1 = expireInterval. Inferred when left out. */
  expireType?: 0 | 1;
  /** Unix seconds, more than 1 minute and at most 30 days ahead. */
  expireTime?: number;
  /** Whole days, 1 … 30. */
  expireInterval?: number;
  /** Custom parameter appended to the link as `&cq=` (≤ 256 chars). */
  cq?: string;
  /** `false`: always make a new link, even when a live identical one could be reused. */
  reuse?: boolean;
}

/** `action: "generate"`, HTTPS shape (as pasted from the HTTPS docs). */
export interface GenerateRequestSnake extends CallerFields {
  action?: 'generate';
  jump_wxa?: JumpWxaSnake;
  is_expire?: boolean;
  expire_type?: 0 | 1;
  expire_time?: number;
  expire_interval?: number;
  cq?: string;
}

/**
 * `action: "query"`: what WeChat knows about a link: a scheme (encrypted, with `&cq=`, or
 * plaintext) or a URL Link (`https://wxaurl.cn/…`, with `?cq=`), given as `scheme` or `urlLink`.
 */
export type QueryRequest = CallerFields & { action: 'query' } & ({ scheme: string; urlLink?: never } | { urlLink: string; scheme?: never });

/** `action: "quota"`: today's remaining visit quota. */
export interface QuotaRequest extends CallerFields {
  action: 'quota';
}

/** `action: "plaintext"`: a plaintext link built locally — no API call, no quota. */
export interface PlaintextRequest extends CallerFields {
  action: 'plaintext';
  jumpWxa?: JumpWxa;
  jump_wxa?: JumpWxaSnake;
}

/** §8 `cloud_base`: a CloudBase static-website page as the URL Link's middle page (cloud-call shape). */
export interface CloudBase {
  /** The environment ID (not its display name): letters, digits, `-`, 6–40 characters. */
  env: string;
  /** A custom host name of the static website, e.g. `m.example.com`. */
  domain?: string;
  /** The page, e.g. `/jump.html`; no query string. */
  path?: string;
  /** ≤ 1024 characters of the query set. */
  query?: string;
  /** For resource sharing: the AppID whose resources are used. */
  resourceAppid?: string;
}

/**
 * `action: "urllink"`: an https URL Link through urllink.generate (§8). The target is given either
 * as genScheme's `jumpWxa` or flat as in WeChat's doc (`path`, `query`, `envVersion`), not both.
 */
export interface UrlLinkRequest extends CallerFields {
  action: 'urllink';
  jumpWxa?: JumpWxa;
  path?: string;
  query?: string;
  envVersion?: EnvVersion;
  isExpire?: boolean;
  expireType?: 0 | 1;
  expireTime?: number;
  expireInterval?: number;
  /** Custom parameter appended to the link as `?cq=` (≤ 256 chars). */
  cq?: string;
  /** `false`: always make a new link, even when a live identical one could be reused. */
  reuse?: boolean;
  cloudBase?: CloudBase;
}

/** `action: "urllink"` as pasted from the HTTPS doc (snake_case, flat). */
export interface UrlLinkRequestSnake extends CallerFields {
  action: 'urllink';
  jump_wxa?: JumpWxaSnake;
  path?: string;
  query?: string;
  env_version?: EnvVersion;
  is_expire?: boolean;
  expire_type?: 0 | 1;
  expire_time?: number;
  expire_interval?: number;
  cq?: string;
  cloud_base?: { env: string; domain?: string; path?: string; query?: string; resource_appid?: string };
}

// --- Stable links: one fixed URL per campaign, kept alive and counted (see README "Stable links") ---

/** What a stable link hands out: an encrypted scheme (default) or a URL Link. */
export type StableLinkKind = 'scheme' | 'urllink';

/** A stable link as stored: its code, its target and whether it still resolves. */
export interface StableLink {
  /** Short and URL-safe: letters, digits, `-`, `_`, 3–32 characters. */
  code: string;
  name: string;
  kind: StableLinkKind;
  path: string;
  query: string;
  envVersion: EnvVersion;
  /** The link's own custom parameter; each ticket carries it plus the marker naming the link. */
  cq: string;
  disabled: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** The fixed https URL, `<jump page>?l=CODE`, when GENSCHEME_H5_BASE_URL is set. */
  url?: string;
}

/** `createLink` (trusted callers): a new stable link. */
export interface CreateLinkRequest extends CallerFields {
  action: 'createLink';
  jumpWxa: JumpWxa;
  name?: string;
  cq?: string;
  /** Chosen code; generated when left out. A code already taken is an error. */
  code?: string;
  kind?: StableLinkKind;
}

/** `resolveLink` (anyone): the live ticket behind a code, shared by every visitor. */
export interface ResolveLinkRequest extends CallerFields {
  action: 'resolveLink';
  code: string;
}

/** `updateLink` (trusted): change the name, the target, the cq, or switch it off. */
export interface UpdateLinkRequest extends CallerFields {
  action: 'updateLink';
  code: string;
  name?: string;
  jumpWxa?: JumpWxa;
  cq?: string;
  disabled?: boolean;
}

/** `listLinks` (trusted): every stable link with its totals. */
export interface ListLinksRequest extends CallerFields {
  action: 'listLinks';
}

/** `linkStats` (trusted): visits, opens and distinct openers per day (China time). */
export interface LinkStatsRequest extends CallerFields {
  action: 'linkStats';
  code: string;
  /** How many days back, today included; 14 when left out. */
  days?: number;
}

/** `landed` (mini-program users): a page's onLoad options; counts an open when they carry a stable link's marker. */
export interface LandedRequest extends CallerFields {
  action: 'landed';
  scene?: number;
  query?: Record<string, string | undefined>;
}

/** `linkCode` (trusted): the 小程序码 of a stable link, made once and kept in cloud storage (README "活码"). */
export interface LinkCodeRequest extends CallerFields {
  action: 'linkCode';
  code: string;
  /** px, 280–1280 (platform-rules §12); 430 when left out. */
  width?: number;
  lineColor?: { r: number; g: number; b: number };
  isHyaline?: boolean;
  /** Make a new code even when one with the same options is stored. */
  refresh?: boolean;
}

/** `sweep` (trusted; a timer trigger named `sweep` sends it): clears what the shared state no longer needs. */
export interface SweepRequest extends CallerFields {
  action: 'sweep';
}

export type GenSchemeRequest =
  | GenerateRequest
  | GenerateRequestSnake
  | QueryRequest
  | QuotaRequest
  | PlaintextRequest
  | UrlLinkRequest
  | UrlLinkRequestSnake
  | CreateLinkRequest
  | ResolveLinkRequest
  | UpdateLinkRequest
  | ListLinksRequest
  | LinkStatsRequest
  | LandedRequest
  | LinkCodeRequest
  | SweepRequest;

/** Something adjusted, or worth knowing, about a request that still succeeded. */
export interface Warning {
  code: string;
  zh: string;
  en: string;
}

interface SuccessBase {
  errcode: 0;
  errmsg: 'ok';
  warnings: Warning[];
}

export interface GenerateReply extends SuccessBase {
  action: 'generate';
  /** `weixin://dl/business/?t=TICKET` (with `&cq=` when a cq was given). */
  openlink: string;
  /** Unix seconds when the link stops working. */
  expireTime: number;
  /** The same, as an ISO 8601 UTC string. */
  expireAt: string;
  /** https link of the H5 jump page for SMS, when the function knows the page's base URL. */
  h5Url?: string;
  /** How many calls to WeChat it took (retries of -1 / 44990 included); 0 for a reused link. */
  attempts: number;
  /** True when a live identical link made earlier was returned: no call, no quota. */
  reused?: boolean;
}

export interface QueryReply extends SuccessBase {
  action: 'query';
  /** Which kind of link was looked up: a URL Scheme (urlscheme.query) or a URL Link (urllink.query). */
  kind?: 'scheme' | 'urllink';
  /** The link as given (a scheme, or a URL Link when `kind` is 'urllink'). */
  scheme: string;
  appid: string;
  path: string;
  query: string;
  envVersion: string;
  /** Unix seconds. */
  createTime: number;
  /** Unix seconds; 0 = never expires (plaintext links). */
  expireTime: number;
  expired: boolean;
  attempts: number;
}

export interface QuotaReply extends SuccessBase {
  action: 'quota';
  remainVisitQuota: number;
  /** Links WeChat issued today (China time) through this function, counted in the shared state. */
  generatedToday: number;
  /** What is left of the daily cap (GENSCHEME_DAILY_CAP, at most the platform's 500,000). */
  generateRemaining: number;
  attempts: number;
}

export interface PlaintextReply extends SuccessBase {
  action: 'plaintext';
  openlink: string;
  h5Url?: string;
}

export interface UrlLinkReply extends SuccessBase {
  action: 'urllink';
  /** `https://wxaurl.cn/TICKET` (or `https://wxmpurl.cn/…`), with `?cq=` when a cq was given. */
  urlLink: string;
  /** Unix seconds when the link stops working. */
  expireTime: number;
  /** The same, as an ISO 8601 UTC string. */
  expireAt: string;
  /** How many calls to WeChat it took (retries of -1 / 44990 included). */
  attempts: number;
  /** True when a live identical URL Link made earlier was returned: no call, no quota. */
  reused?: boolean;
}

export interface CreateLinkReply extends SuccessBase {
  action: 'createLink';
  link: StableLink;
}

export interface ResolveLinkReply extends SuccessBase {
  action: 'resolveLink';
  code: string;
  kind: StableLinkKind;
  /** The scheme to open (kind "scheme"), with the link's cq and marker. */
  openlink?: string;
  /** The URL Link to open (kind "urllink"), with `?cq=`. */
  urlLink?: string;
  /** Unix seconds when this ticket stops working (a new one is made before then). */
  expireTime: number;
  expireAt: string;
  /** The page and query, for the open tag inside WeChat (it cannot open a ticket). */
  path: string;
  query: string;
  envVersion: EnvVersion;
  /** False only for the visit that made a new ticket. */
  reused: boolean;
}

export interface UpdateLinkReply extends SuccessBase {
  action: 'updateLink';
  link: StableLink;
}

export interface ListLinksReply extends SuccessBase {
  action: 'listLinks';
  links: Array<StableLink & { visits: number; opens: number }>;
}

export interface LinkStatsDay {
  /** YYYY-MM-DD, China time (the platform's day). */
  date: string;
  visits: number;
  opens: number;
  /** Distinct mini-program users who opened it that day. */
  openers: number;
}

export interface LinkStatsReply extends SuccessBase {
  action: 'linkStats';
  code: string;
  days: LinkStatsDay[];
}

export interface SweepReply extends SuccessBase {
  action: 'sweep';
}

export interface LandedReply extends SuccessBase {
  action: 'landed';
  /** Whether the options carried a stable link's marker and an open was counted. */
  counted: boolean;
  /** The stable link that opened the page, when there was one. */
  code?: string;
  /** Why nothing was counted (with a `landed.<reason>` warning saying it in words); absent when counted. */
  reason?: LandedNotCounted;
  /** A scanned 小程序码 (scene 1047/1048/1049): the link's current target, for the router page to go to. */
  path?: string;
  query?: string;
}

export interface LinkCodeReply extends SuccessBase {
  action: 'linkCode';
  code: string;
  /** The PNG in cloud storage (`cloud://…`): the same file for every later call. */
  fileID: string;
  /** A temporary https URL of the PNG ('' when it could not be had: a warning says why). */
  tempFileURL: string;
  /** What the code holds: `l=CODE`, and the router page it opens. */
  scene: string;
  page: string;
  envVersion: EnvVersion;
  width: number;
  /** True when the stored code was returned: no WeChat call, no upload. */
  reused: boolean;
}

/**
 * Why a `landed` report counted nothing: `scene` not a link's or a 小程序码's (OPEN_SCENES);
 * `no-marker` no stable link named; `no-link` no such link; `disabled` the link is switched off;
 * `session` this user's open of this link was counted in the last 30 minutes.
 */
export type LandedNotCounted = 'scene' | 'no-marker' | 'no-link' | 'disabled' | 'session';

export type SuccessReply =
  | GenerateReply
  | QueryReply
  | QuotaReply
  | PlaintextReply
  | UrlLinkReply
  | CreateLinkReply
  | ResolveLinkReply
  | UpdateLinkReply
  | ListLinksReply
  | LinkStatsReply
  | LandedReply
  | LinkCodeReply
  | SweepReply;

/** A Failure (failure.ts) as the caller receives it. */
export interface ErrorReply {
  /** WeChat's errcode, the cloud-call errCode, or genScheme's own (negative, -9000xx). */
  errcode: number;
  /** English one-line summary, as WeChat's errmsg is. */
  errmsg: string;
  /** What went wrong. */
  message: Bilingual;
  /** What to do about it. */
  hint: Bilingual;
  /** The field at fault, dotted (`jumpWxa.query`), when there is one. */
  field?: string;
  /** The rule id (see checks.ts, the policy, the catalogue). */
  rule?: string;
  /** Whether calling again later can help. */
  retryable: boolean;
  /** For limits: how long to wait before trying again. */
  retryAfterMs?: number;
  source: FailureSource;
  action: Action;
  attempts?: number;
  warnings?: Warning[];
}

export type GenSchemeReply = SuccessReply | ErrorReply;

export function isErrorReply(reply: GenSchemeReply): reply is ErrorReply {
  return reply.errcode !== 0;
}
