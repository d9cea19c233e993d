/**
 * genScheme's contract: what a caller sends (the event, here; the stable links' actions in
 * contract-links.ts) and what it gets back (the reply, contract-replies.ts). Both are re-exported
 * here: import everything from this file.
 *
 * The one source of truth for the cloud function, the mini-program client and the H5 page:
 * change a type here and every caller that relies on it stops type-checking.
 * Types, plus one type guard.
 */
import type { Bilingual, FailureSource } from './failure';
import type { EnvVersion } from './platform';
import type {
  CreateLinkRequest,
  ResolveLinkRequest,
  UpdateLinkRequest,
  ListLinksRequest,
  LinkStatsRequest,
  LandedRequest,
  LinkCodeRequest,
  SweepRequest,
} from './contract-links';

export type { Bilingual, EnvVersion, FailureSource };
export * from './contract-links';
export * from './contract-replies';

export type Action =
  | 'generate'
  | 'query'
  | 'quota'
  | 'plaintext'
  | 'urllink'
  | 'createLink'
  | 'resolveLink'
  | 'updateLink'
  | 'listLinks'
  | 'linkStats'
  | 'landed'
  | 'linkCode'
  | 'sweep';

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

export interface CallerFields {
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
