/**
 * The contract's requests of the stable links (README "Stable links"): one fixed URL per campaign,
 * kept alive and counted. Part of the contract: contract.ts re-exports it; import from there.
 */
import type { JumpWxa, CallerFields, EnvVersion } from './contract';

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
