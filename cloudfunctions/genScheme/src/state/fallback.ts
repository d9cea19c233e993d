/**
 * What the function does when the database is slow or failing (README "Shared state"):
 *  - limits: this instance's memory takes over — with each limit divided by the number of live
 *    instances last seen (at least FALLBACK_DIVISOR when none was seen), so the fallback is
 *    stricter than the shared window, never looser;
 *  - reuse: a lookup that fails or is slow is a miss; a save that fails is skipped;
 *  - stable links: `StateUnavailable` (another instance's memory cannot stand in for a link);
 *  - counts never fail: they are kept and written later (counters.ts).
 * Slow is not down: a time-out only gives up on that call. Only repeated failures make the
 * database be skipped, for a short pause that grows while they go on.
 * One log line a minute at most says so, never one per call.
 */
import { errCodeOf, isTimeout } from './database/client';
import type { MemoryLimits } from './memory/limits';
import {
  StateUnavailable,
  type Admission,
  type Lease,
  type LimitsPort,
  type LinkStorePort,
  type PeriodQuota,
  type WindowUse,
  type SlidingWindow,
  type StableLinkChanges,
  type StableLinkConfig,
  type StableLinkRecord,
  type StableLinkStore,
  type SeenTicket,
  type StateClock,
  type StateLog,
  type StoredLink,
  type Target,
} from './port';

/** At most one outage line per this many ms. */
export const OUTAGE_LOG_EVERY_MS = 60_000;
/** Failures in a row before the database is skipped for a while. */
export const FAILURES_BEFORE_PAUSE = 3;
/** The first pause; it doubles while failures go on, up to PAUSE_MAX_MS. */
export const PAUSE_FIRST_MS = 1_000;
const PAUSE_MAX_MS = 10_000;
/** With no instance count seen yet, a limit is shared as if by this many instances. */
export const FALLBACK_DIVISOR = 10;

/** The database's health as this instance sees it, shared by the ports of one state. */
export class DatabaseHealth {
  private failures = 0;
  private pauseMs = 0;
  private pausedUntil = -Infinity;
  private lastLogAt = -Infinity;
  /** Live instances as last counted (pacing's heartbeat), or undefined before the first count. */
  liveInstances: number | undefined;

  constructor(
    private readonly clock: Pick<StateClock, 'now'>,
    private readonly log: StateLog,
  ) {}

  /** False while the database is skipped after repeated failures. */
  get usable(): boolean {
    return this.clock.now() >= this.pausedUntil;
  }

  succeeded(): void {
    this.failures = 0;
    this.pauseMs = 0;
  }

  /** A time-out is "slow", not "down": it is logged, but only errors count toward a pause. */
  failed(error: unknown, what: string): void {
    if (!isTimeout(error) && ++this.failures >= FAILURES_BEFORE_PAUSE) {
      this.pauseMs = Math.min(PAUSE_MAX_MS, this.pauseMs ? this.pauseMs * 2 : PAUSE_FIRST_MS);
      this.pausedUntil = this.clock.now() + this.pauseMs;
    }
    this.report(error, what);
  }

  /** The share of `limit` one instance may use on its own. */
  share(limit: number): number {
    return Math.max(1, Math.floor(limit / Math.max(this.liveInstances ?? FALLBACK_DIVISOR, 1)));
  }

  /** Runs a database call; FAILED when it failed, was slow, or the database is being skipped. */
  async attempt<T>(fn: () => Promise<T>, what: string): Promise<T | typeof FAILED> {
    if (!this.usable) return FAILED;
    try {
      const value = await fn();
      this.succeeded();
      return value;
    } catch (error) {
      this.failed(error, what);
      return FAILED;
    }
  }

  private report(error: unknown, what: string): void {
    const now = this.clock.now();
    if (now - this.lastLogAt < OUTAGE_LOG_EVERY_MS) return;
    this.lastLogAt = now;
    try {
      this.log(
        `[genScheme] state: database ${isTimeout(error) ? 'slow' : 'unavailable'} for ${what} (${describe(error)}); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later`,
      );
    } catch {
      // A failing logger must not turn a degraded call into a failed one.
    }
  }
}

export const FAILED = Symbol('database failed');

export class FallbackLimits implements LimitsPort {
  readonly shared = true;

  constructor(
    private readonly database: LimitsPort,
    private readonly memory: MemoryLimits,
    private readonly health: DatabaseHealth,
  ) {}

  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    // The stand-in window: this instance's share of the limit.
    const own = { ...window, limit: this.health.share(window.limit) };
    const admission = await this.health.attempt(() => this.database.admit(window, nowMs), 'limits');
    if (admission === FAILED) return this.memory.admitNow(own, nowMs);
    // Mirror what the database admitted, so memory takes over an outage already warm.
    if (admission.ok) this.memory.admitNow(own, nowMs);
    return admission;
  }

  /** Without the database: what this instance saw (its memory mirrors every admission). */
  async peek(window: SlidingWindow, nowMs: number): Promise<WindowUse> {
    const use = await this.health.attempt(() => this.database.peek(window, nowMs), 'limits');
    return use === FAILED ? this.memory.peekNow({ ...window, limit: this.health.share(window.limit) }, nowMs) : use;
  }

  /** Pacing handles a lease that fails or is late itself (wechat/pacing.ts): errors go through. */
  async lease(window: SlidingWindow, count: number, nowMs: number): Promise<Lease> {
    if (!this.health.usable) throw new StateUnavailable('the database is skipped after repeated failures');
    try {
      const lease = await this.database.lease(window, count, nowMs);
      this.health.succeeded();
      return lease;
    } catch (error) {
      this.health.failed(error, 'pacing');
      throw error;
    }
  }

  async record(window: SlidingWindow, times: readonly number[]): Promise<void> {
    if (this.health.usable) await this.database.record(window, times);
  }

  async takeFromPeriod(quota: PeriodQuota, count: number, nowMs: number): Promise<number> {
    const taken = await this.health.attempt(() => this.database.takeFromPeriod(quota, count, nowMs), 'limits');
    // Without the database: this instance's share of the period's limit.
    if (taken === FAILED) return this.memory.takeFromPeriodNow({ ...quota, limit: this.health.share(quota.limit) }, count, nowMs);
    return taken;
  }

  async heartbeat(instanceId: string, nowMs: number): Promise<number> {
    const live = await this.database.heartbeat(instanceId, nowMs);
    this.health.liveInstances = live;
    return live;
  }

  async sweep(nowMs: number): Promise<void> {
    await this.memory.sweep(nowMs);
    await this.database.sweep(nowMs);
  }
}

export class FallbackLinks implements LinkStorePort {
  constructor(
    private readonly database: LinkStorePort,
    private readonly health: DatabaseHealth,
  ) {}

  async findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null> {
    const link = await this.health.attempt(() => this.database.findLink(target, minExpire, maxExpire, nowMs), 'reuse');
    return link === FAILED ? null : link;
  }

  async saveLink(target: Target, link: StoredLink): Promise<void> {
    await this.health.attempt(() => this.database.saveLink(target, link), 'reuse');
  }

  sweep(nowMs: number): Promise<void> {
    return this.database.sweep(nowMs);
  }
}

export class RequiredStableLinks implements StableLinkStore {
  constructor(
    private readonly database: StableLinkStore,
    private readonly health: DatabaseHealth,
  ) {}

  /** Not tried again here: the adapter's own attempts keep one op id, which a second call would not. */
  createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    return this.required(() => this.database.createStableLink(config), false);
  }

  getStableLink(code: string): Promise<StableLinkRecord | null> {
    return this.required(() => this.database.getStableLink(code));
  }

  listStableLinks(): Promise<StableLinkRecord[]> {
    return this.required(() => this.database.listStableLinks());
  }

  /** Not tried again here: the adapter re-reads and re-applies on its own, conditional on the version. */
  updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    return this.required(() => this.database.updateStableLink(code, changes), false);
  }

  claimRenewal(code: string, nowMs: number, holdMs: number, seen?: SeenTicket): Promise<boolean> {
    return this.required(() => this.database.claimRenewal(code, nowMs, holdMs, seen));
  }

  saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    return this.required(() => this.database.saveTicket(code, revision, ticket));
  }

  /** Reads, claims and ticket saves are safe to repeat (database/stable-links.ts): a failure is tried once more. */
  private async required<T>(fn: () => Promise<T>, again = true): Promise<T> {
    let result = await this.health.attempt(fn, 'stable links');
    if (result === FAILED && again && this.health.usable) result = await this.health.attempt(fn, 'stable links');
    if (result === FAILED) throw new StateUnavailable('stable links need the database, which is unavailable');
    return result;
  }
}

/** "<errCode> <short msg>", one line, at most ~120 characters. */
function describe(error: unknown): string {
  const code = errCodeOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\s+/g, ' ').trim().slice(0, 120);
  return code === undefined ? message : `${code} ${message}`;
}
