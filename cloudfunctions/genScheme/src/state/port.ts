/**
 * The function's shared state, as four small ports: limits (sliding windows, pacing leases),
 * counters, the store of reusable links, and stable links. Each has a `memory` adapter (one
 * instance) and a `database` adapter (the CloudBase database of the environment, shared by every
 * instance); state/index.ts builds them, with the fallbacks of fallback.ts between. Nothing here
 * imports the rest of the function.
 */

import type { StableLinkDay, StableLinkStore } from './stable-port';

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

/** What a window holds at a moment, read without taking: `used` admissions, and (when full) how long until one leaves it. */
export interface WindowUse {
  used: number;
  /** 0 while the window has room. */
  retryAfterMs: number;
}

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

/** "At most `limit` in each period of `periodMs`" (periods aligned to the epoch), for one key: a ceiling that lets bursts through within it. */
export interface PeriodQuota {
  key: string;
  limit: number;
  periodMs: number;
}

/** A block of slots of one window, all taken at `at` (ms): `granted` may be fewer than asked, 0 when full. */
export interface Lease {
  granted: number;
  /** With nothing granted: how long until a slot frees up (ms). */
  retryAfterMs: number;
}

/**
 * Limits and pacing: "at most `limit` admissions in any `windowMs`" for one key, atomically across
 * every instance that shares the state (database), or within this instance (memory).
 */
export interface LimitsPort {
  /** True when the windows are shared by every instance (the database adapter). */
  readonly shared: boolean;
  /** Takes one slot of `window` at `nowMs`. */
  admit(window: SlidingWindow, nowMs: number): Promise<Admission>;
  /** Reads `window` at `nowMs` without taking a slot (one read): what a judgement made before any admission needs. */
  peek(window: SlidingWindow, nowMs: number): Promise<WindowUse>;
  /** Takes up to `count` slots of `window` at `nowMs` in one step (pacing leases slots in blocks). */
  lease(window: SlidingWindow, count: number, nowMs: number): Promise<Lease>;
  /** Adds `times` to `window` whether it has room or not: calls made without a slot, for others to see. */
  record(window: SlidingWindow, times: readonly number[]): Promise<void>;
  /** Takes up to `count` of the current period's `quota.limit` in one step: how many were granted (0 when used up). */
  takeFromPeriod(quota: PeriodQuota, count: number, nowMs: number): Promise<number>;
  /**
   * Says this instance (`instanceId`) is alive for the next HEARTBEAT_TTL_MS and answers how many
   * instances are: what pacing divides the platform's rate by when the shared window is too slow.
   */
  heartbeat(instanceId: string, nowMs: number): Promise<number>;
  /** Removes windows idle past their window. Never on a request's path. */
  sweep(nowMs: number): Promise<void>;
}

/** How long an instance counts as alive after its last heartbeat. */
export const HEARTBEAT_TTL_MS = 15_000;

/**
 * Counts: today's generations and each stable link's visits, opens and openers. Adding never waits
 * and never throws: a count is kept in this instance first and written later (counters.ts).
 */
export interface CountersPort {
  /** One generation on the China day of `nowMs` (the platform's day, UTC+8). */
  countGeneration(nowMs: number): void;
  /** Today's generations, every instance together (China day of `nowMs`). */
  generatedToday(nowMs: number): Promise<number>;
  /** One visit (resolve) of a stable link. */
  countVisit(code: string, nowMs: number): void;
  /**
   * One open of `code` by `visitor` (a hashed user id; HMAC'd again before it is stored): the
   * visitor joins that day's distinct openers once.
   */
  countOpen(code: string, visitor: string | undefined, nowMs: number): void;
  /** The rows of `dates` (YYYY-MM-DD), zeros where nothing was counted, in the order given. */
  stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]>;
  /** Visits and opens of every link, all days together. */
  stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>>;
  /** Writes what this instance counted and has not written yet; waits until `byMs` at most. */
  flush(byMs: number): Promise<void>;
}

/** Links issued earlier, for reuse: a target's live link inside a window of expiry times. */
export interface LinkStorePort {
  /**
   * A live stored link for `target` whose expireTime (unix s) lies within [minExpire, maxExpire]:
   * the latest-expiring such link, or null. Live = expireTime later than `nowMs`.
   */
  findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null>;
  saveLink(target: Target, link: StoredLink): Promise<void>;
  /** Removes expired links. Never on a request's path. */
  sweep(nowMs: number): Promise<void>;
}

/**
 * The function's shared state: four ports, each with its own memory and database adapters, built
 * in state/index.ts. `sweep` removes what no request needs any more (the `sweep` action, run by a
 * timer trigger); it says which parts failed instead of throwing.
 */
export interface SharedState {
  readonly mode: 'database' | 'memory';
  readonly limits: LimitsPort;
  readonly counters: CountersPort;
  readonly links: LinkStorePort;
  readonly stableLinks: StableLinkStore;
  sweep(nowMs: number): Promise<{ failed: string[] }>;
}

export type { StateClock } from './database/client';
import type { StateClock } from './database/client';

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

/** The use of `window` given its admission times inside it, ascending. */
export function windowUse(times: readonly number[], window: SlidingWindow, nowMs: number): WindowUse {
  const full = window.limit <= 0 || times.length >= window.limit;
  if (!full) return { used: times.length, retryAfterMs: 0 };
  const oldest = window.limit <= 0 ? nowMs : times[times.length - window.limit];
  return { used: times.length, retryAfterMs: Math.max(1, oldest + window.windowMs - nowMs) };
}

/** One text per window: the same key under another limit or window is another window. */
export function windowText(window: SlidingWindow): string {
  return JSON.stringify([window.key, window.limit, window.windowMs]);
}

export * from './stable-port';
