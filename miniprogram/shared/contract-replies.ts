/**
 * genScheme's replies: what each action answers, and the error reply every action shares. Part of
 * the contract (contract.ts re-exports it; import from there).
 */
import type { Bilingual, FailureSource } from './failure';
import type { EnvVersion } from './platform';
import type { Action } from './contract';
import type { StableLink, StableLinkKind } from './contract-links';

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
