/**
 * genScheme's contract: what a caller sends (the event, here) and what it gets back (the reply,
 * contract-replies.ts, re-exported here: import both from this file).
 *
 * The one source of truth for the cloud function, the mini-program client and the H5 page:
 * change a type here and every caller that relies on it stops type-checking.
 * Types, plus one type guard.
 */
import type { Bilingual, FailureSource } from './failure';
import type { EnvVersion } from './platform';

export type { Bilingual, EnvVersion, FailureSource };
export * from './contract-replies';

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
