/**
 * The composition the function uses: the database adapter, with the memory adapter taking
 * over whenever the database fails (time-out, error, missing permission -502003, anything
 * thrown), like rate-limiter-flexible's insurance limiter. An outage degrades the limits to
 * this instance's view and skips reuse; it never stops generation and never throws.
 * Stable links are the exception: they live only in the database, so their reads and writes
 * throw StateUnavailable in an outage (the caller is told, nothing is invented), while their
 * counts are simply lost.
 * One log line per minute at most says so, never one per call.
 */
import { errCodeOf } from './database';
import type { MemoryState } from './memory';
import {
  StateUnavailable,
  type Admission,
  type SlidingWindow,
  type WindowUse,
  type StableLinkChanges,
  type StableLinkConfig,
  type StableLinkDay,
  type StableLinkRecord,
  type StateClock,
  type StateLog,
  type StatePort,
  type StoredLink,
  type Target,
} from './port';

/** At most one outage line per this many ms. */
export const OUTAGE_LOG_EVERY_MS = 60_000;

export interface ResilientOptions {
  /**
   * After a failure, calls go straight to memory for this long (ms) instead of each waiting
   * out the database's time limit again. 0 asks the database every time.
   */
  pauseAfterFailureMs?: number;
}

export const DEFAULT_PAUSE_AFTER_FAILURE_MS = 5_000;

export class ResilientState implements StatePort {
  readonly mode = 'database' as const;
  private lastLogAt = -Infinity;
  private pausedUntil = -Infinity;
  private readonly pauseMs: number;

  constructor(
    private readonly database: StatePort,
    private readonly memory: MemoryState,
    private readonly log: StateLog,
    private readonly clock: Pick<StateClock, 'now'>,
    options: ResilientOptions = {},
  ) {
    this.pauseMs = options.pauseAfterFailureMs ?? DEFAULT_PAUSE_AFTER_FAILURE_MS;
  }

  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    const admission = await this.tryDatabase(() => this.database.admit(window, nowMs));
    if (admission === FAILED) return this.memory.admitNow(window, nowMs);
    // Mirror what the database admitted, so memory takes over an outage already warm.
    if (admission.ok) this.memory.admitNow(window, nowMs);
    return admission;
  }

  async peek(window: SlidingWindow, nowMs: number): Promise<WindowUse> {
    const use = await this.tryDatabase(() => this.database.peek(window, nowMs));
    return use === FAILED ? this.memory.peekNow(window, nowMs) : use;
  }

  async countGeneration(nowMs: number): Promise<void> {
    // Memory always counts this instance's generations: it answers generatedToday in an outage.
    await this.memory.countGeneration(nowMs);
    await this.tryDatabase(() => this.database.countGeneration(nowMs));
  }

  async generatedToday(nowMs: number): Promise<number> {
    const count = await this.tryDatabase(() => this.database.generatedToday(nowMs));
    return count === FAILED ? this.memory.generatedToday(nowMs) : count;
  }

  async findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null> {
    const link = await this.tryDatabase(() => this.database.findLink(target, minExpire, maxExpire, nowMs));
    return link === FAILED ? null : link;
  }

  async saveLink(target: Target, link: StoredLink): Promise<void> {
    await this.tryDatabase(() => this.database.saveLink(target, link));
  }

  async sweep(nowMs: number): Promise<void> {
    await this.memory.sweep(nowMs);
    await this.tryDatabase(() => this.database.sweep(nowMs));
  }

  // --- Stable links: the database or a clear StateUnavailable; counts never throw. ---

  createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    return this.required(() => this.database.createStableLink(config));
  }

  getStableLink(code: string): Promise<StableLinkRecord | null> {
    return this.required(() => this.database.getStableLink(code));
  }

  listStableLinks(): Promise<StableLinkRecord[]> {
    return this.required(() => this.database.listStableLinks());
  }

  updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    return this.required(() => this.database.updateStableLink(code, changes));
  }

  claimRenewal(code: string, nowMs: number, holdMs: number): Promise<boolean> {
    return this.required(() => this.database.claimRenewal(code, nowMs, holdMs));
  }

  saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    return this.required(() => this.database.saveTicket(code, revision, ticket));
  }

  async countVisit(code: string, nowMs: number): Promise<void> {
    await this.tryDatabase(() => this.database.countVisit(code, nowMs));
  }

  async countOpen(code: string, visitor: string | undefined, nowMs: number): Promise<boolean> {
    return (await this.tryDatabase(() => this.database.countOpen(code, visitor, nowMs))) === true;
  }

  stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]> {
    return this.required(() => this.database.stableLinkDays(code, dates));
  }

  stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>> {
    return this.required(() => this.database.stableLinkTotals());
  }

  private async required<T>(fn: () => Promise<T>): Promise<T> {
    const result = await this.tryDatabase(fn);
    if (result === FAILED) throw new StateUnavailable('stable links need the database, which is unavailable');
    return result;
  }

  private async tryDatabase<T>(fn: () => Promise<T>): Promise<T | typeof FAILED> {
    const now = this.clock.now();
    if (now < this.pausedUntil) return FAILED;
    try {
      return await fn();
    } catch (error) {
      this.pausedUntil = this.clock.now() + this.pauseMs;
      this.report(error);
      return FAILED;
    }
  }

  private report(error: unknown): void {
    const now = this.clock.now();
    if (now - this.lastLogAt < OUTAGE_LOG_EVERY_MS) return;
    this.lastLogAt = now;
    try {
      this.log(`[genScheme] state: database unavailable (${describe(error)}); limits fall back to this instance's memory, reuse is skipped`);
    } catch {
      // A failing logger must not turn a degraded call into a failed one.
    }
  }
}

const FAILED = Symbol('database failed');

/** "<errCode> <short msg>", one line, at most ~120 characters. */
function describe(error: unknown): string {
  const code = errCodeOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\s+/g, ' ').trim().slice(0, 120);
  return code === undefined ? message : `${code} ${message}`;
}

export function resilient(database: StatePort, memory: MemoryState, log: StateLog, clock: Pick<StateClock, 'now'>, options?: ResilientOptions): ResilientState {
  return new ResilientState(database, memory, log, clock, options);
}
