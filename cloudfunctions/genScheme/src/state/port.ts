/**
 * The function's shared state, behind one small port: sliding-window limits, today's
 * generation counter and stored links. Two adapters implement it — `memory` (one instance,
 * in-process) and `database` (the CloudBase database of the environment, shared by every
 * instance) — and `resilient` composes them so a database outage degrades the limits
 * instead of the service. Nothing here imports the rest of the function.
 */

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * "At most `limit` admissions in any `windowMs`", for one key.
 * `key` is raw text ('user:<openid>', 'ip:1.2.3.4', 'pace:generate'); the database adapter
 * stores only an HMAC of it. The same key with another limit or window is another window.
 */
export interface SlidingWindow {
  key: string;
  limit: number;
  windowMs: number;
}

export type LinkKind = 'scheme' | 'urllink';

/** What a link opens: reuse never crosses kinds or env versions. */
export interface Target {
  kind: LinkKind;
  path: string;
  query: string;
  envVersion: string;
}

export interface StoredLink {
  link: string;
  /** Unix seconds. */
  expireTime: number;
  /** Unix seconds. */
  createTime: number;
}

export interface StatePort extends StableLinkStore {
  readonly mode: 'database' | 'memory';
  /** Takes one slot of `window` at `nowMs`, atomically across every instance sharing the state. */
  admit(window: SlidingWindow, nowMs: number): Promise<Admission>;
  /** Adds one to today's generation counter (the platform's day: China time, UTC+8). */
  countGeneration(nowMs: number): Promise<void>;
  /** Today's generations so far (China time day of `nowMs`). */
  generatedToday(nowMs: number): Promise<number>;
  /**
   * A live stored link for `target` whose expireTime (unix s) lies within [minExpire, maxExpire]:
   * the latest-expiring such link, or null. Live = expireTime later than `nowMs`.
   */
  findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null>;
  saveLink(target: Target, link: StoredLink): Promise<void>;
  /**
   * Removes what no request needs any more: idle windows, expired links, and the day-old records
   * of who opened a stable link (the day's count keeps the number). Never on a request's path: the
   * `sweep` action runs it, from a timer trigger (README "Shared state"). Never throws.
   */
  sweep(nowMs: number): Promise<void>;
}

/** The time the adapters need, injected: no Date.now() inside the algorithms. */
export interface StateClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Must not keep the process alive. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemStateClock: StateClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export type StateLog = (line: string) => void;

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The platform's day of `nowMs` as 'YYYY-MM-DD' in China time (UTC+8, no daylight saving): quotas reset at 00:00 there. */
export function chinaDay(nowMs: number): string {
  return new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** One text per target, for maps and hashes: every field separated so 'a'+'b c' ≠ 'a b'+'c'. */
export function targetText(target: Target): string {
  return JSON.stringify([target.kind, target.envVersion, target.path, target.query]);
}

/** One text per window: the same key under another limit or window is another window. */
export function windowText(window: SlidingWindow): string {
  return JSON.stringify([window.key, window.limit, window.windowMs]);
}

// --- Stable links (README "Stable links"): one fixed code per campaign, its live ticket, its counts ---

/** A stable link's configuration as stored (`code` is the document's _id). */
export interface StableLinkConfig {
  code: string;
  name: string;
  kind: LinkKind;
  path: string;
  query: string;
  envVersion: string;
  /** The link's own cq; the marker naming the link is appended per reply, never stored in it. */
  cq: string;
  disabled: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A stable link's 小程序码 in cloud storage, with the options it was drawn with (README "活码"). */
export interface LinkCodeFile {
  fileID: string;
  scene: string;
  page: string;
  envVersion: string;
  width: number;
  /** 'r,g,b', or '' for WeChat's default (black). */
  lineColor: string;
  isHyaline: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A stable link with the ticket it currently hands out. */
export interface StableLinkRecord extends StableLinkConfig {
  /** The live link WeChat issued (no cq), or null before the first resolve or after a target change. */
  ticket: StoredLink | null;
  /** Its stored 小程序码, or null before the first linkCode. A target change keeps it: the code names the link, not the target. */
  linkCode: LinkCodeFile | null;
  /** Bumped whenever the target changes: a renewal made for an older revision is not saved. */
  revision: number;
}

/** What updateLink may change; a target change (kind, path, query, envVersion) drops the ticket. */
export type StableLinkChanges = Partial<Pick<StableLinkConfig, 'name' | 'path' | 'query' | 'envVersion' | 'cq' | 'disabled'> & { linkCode: LinkCodeFile }>;

/** One China-time day of a stable link: visits (resolves), opens (landed) and distinct openers. */
export interface StableLinkDay {
  date: string;
  visits: number;
  opens: number;
  openers: number;
}

/**
 * The stable links' storage. Unlike limits and reuse, it has no memory fallback in database mode:
 * a link lives in the database, and another instance's memory cannot stand in for it, so the
 * resilient adapter turns an outage of the reads and writes below into `StateUnavailable`.
 * Counting (countVisit, countOpen) never throws there: a lost count never fails a resolve.
 */
export interface StableLinkStore {
  /** Adds a new link (with no ticket, revision 0); 'taken' when the code exists already. */
  createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'>;
  getStableLink(code: string): Promise<StableLinkRecord | null>;
  /** Every link, by code. */
  listStableLinks(): Promise<StableLinkRecord[]>;
  /** Applies `changes`; a target change drops the ticket and bumps the revision. null = no such link. */
  updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null>;
  /**
   * Claims the right to renew `code`'s ticket until `nowMs + holdMs`, atomically across instances
   * (one conditional update, platform-rules §11): true for exactly one claimant while a claim holds.
   */
  claimRenewal(code: string, nowMs: number, holdMs: number): Promise<boolean>;
  /** Stores the new ticket for `revision` and releases the claim; false when the link changed meanwhile. */
  saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean>;
  /** One visit of `code` on the China day of `nowMs`: one atomic increment. */
  countVisit(code: string, nowMs: number): Promise<void>;
  /**
   * One open of `code` by `visitor` (a hashed user id; HMAC'd again before it is stored) on the
   * China day of `nowMs`; the visitor joins that day's distinct openers once. true = counted.
   */
  countOpen(code: string, visitor: string | undefined, nowMs: number): Promise<boolean>;
  /** The rows of `dates` (YYYY-MM-DD), zeros where nothing was counted, in the order given. */
  stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]>;
  /** Visits and opens of every link, all days together. */
  stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>>;
}

/** Where stable links live in the database (state/stable-database.ts). */
export const STABLE_COLLECTIONS = {
  stableLinks: 'genscheme_stable_links',
  stableDays: 'genscheme_stable_days',
  stableOpeners: 'genscheme_stable_openers',
} as const;

/** Thrown by the resilient adapter when stable links cannot be read or written (database down). */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
}

/**
 * Recognises a StateUnavailable by its name, not its class: the stable-link capability is bundled
 * on its own (stable-capability.ts), so the class it imports is not the one the adapter throws.
 */
export function isStateUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'StateUnavailable';
}

/** True when a target field differs: the stored ticket no longer opens what the link names. */
export function targetChanged(link: StableLinkConfig, changes: StableLinkChanges): boolean {
  return (['path', 'query', 'envVersion'] as const).some((key) => changes[key] !== undefined && changes[key] !== link[key]);
}

/** The China days ending with the day of `nowMs`, oldest first: `count` of them. */
export function chinaDaysBack(nowMs: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => chinaDay(nowMs - (count - 1 - i) * 86_400_000));
}
