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

export interface StatePort {
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
