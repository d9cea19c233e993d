/**
 * Counts that stay exact when the database is slow, answers late, fails, or is away for a while.
 *
 * Each instance keeps its own running totals (a shard per count and day) and writes each shard's
 * absolute value under an _id of its own: repeating a write, or a write that landed but answered
 * late, changes nothing, and nothing is ever counted twice. A total is the sum of every instance's
 * shard. Writes are batched (one per shard every BATCH_MS at most), one flush at a time, and a
 * failed flush is retried with a growing pause: a count kept in memory is written as soon as the
 * database answers again, on this invocation or the next.
 *
 * What can still be lost: the counts of an instance that CloudBase reclaims before its last flush
 * — at most BATCH_MS of its counting when the database is healthy, or everything since its last
 * successful write during an outage (README "Shared state" bounds it).
 *
 * Openers (distinct users of a link per day) are records with a deterministic _id, so adding one
 * twice keeps one; the day's count is the number of records.
 */
import { randomBytes } from 'crypto';
import { chinaDay, type CountersPort, type StableLinkDay, type StateClock } from './port';
import { describe, required, shardKey, withTimeout, type CountName, type CountStore, type Shard } from './count-shards';

/** A shard's counts are written at most this often (ms): the batch that keeps a burst cheap. */
export const BATCH_MS = 250;
/** After a failed flush, the next waits this long, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;
/** A background write waits this long for its answer before it is tried again. */
const WRITE_TIMEOUT_MS = 10_000;

interface LocalShard {
  shard: Shard;
  /** The highest value the database acknowledged. */
  written: number;
}

export class ShardedCounters implements CountersPort {
  /** This instance's name in shard _ids: a new one per cold start, so no two instances share a shard. */
  readonly instance = randomBytes(6).toString('hex');
  private readonly shards = new Map<string, LocalShard>();
  /** Who opened what today, per China day (older days are dropped as the day turns). */
  private readonly openers = new Map<string, Set<string>>();
  /** Openers per link and day, for the memory mode (no store): `[code, date]` → count. */
  private readonly localOpeners = new Map<string, number>();
  private pendingOpeners: Array<{ code: string; date: string; visitor: string }> = [];
  /** Others' generations today, as last read: used while the database does not answer. */
  private othersToday = { date: '', n: 0 };
  private flushing: Promise<void> | null = null;
  private again = false;
  private cancelTimer: (() => void) | null = null;
  private retryMs = 0;

  constructor(
    private readonly store: CountStore | null,
    private readonly clock: StateClock,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  countGeneration(nowMs: number): void {
    this.bump('generated', chinaDay(nowMs));
  }

  countVisit(code: string, nowMs: number): void {
    this.bump('visits', chinaDay(nowMs), code);
  }

  countOpen(code: string, visitor: string | undefined, nowMs: number): void {
    const date = chinaDay(nowMs);
    this.bump('opens', date, code);
    if (visitor === undefined) return;
    let seen = this.openers.get(date);
    if (!seen) {
      this.openers.clear(); // a new day: yesterday's visitors are not needed any more
      this.openers.set(date, (seen = new Set()));
    }
    const key = JSON.stringify([code, visitor]);
    if (seen.has(key)) return;
    seen.add(key);
    if (this.store) this.pendingOpeners.push({ code, date, visitor });
    else this.localOpeners.set(JSON.stringify([code, date]), (this.localOpeners.get(JSON.stringify([code, date])) ?? 0) + 1);
  }

  async generatedToday(nowMs: number): Promise<number> {
    const date = chinaDay(nowMs);
    const own = this.local('generated', date);
    if (!this.store) return own;
    try {
      const shards = await this.store.readShards(['generated'], [date]);
      this.othersToday = { date, n: shards.filter((s) => s.instance !== this.instance).reduce((sum, s) => sum + s.n, 0) };
    } catch {
      // Not now: the last count read stands (the cap only refuses early; WeChat's 44993 is the hard limit).
    }
    return own + (this.othersToday.date === date ? this.othersToday.n : 0);
  }

  async stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]> {
    // Openers are the database's records only: one whose write is unanswered may have landed or
    // not, so adding it here could count it twice. It shows once written, a flush later.
    const rows = new Map(
      dates.map((date) => [
        date,
        {
          date,
          visits: this.local('visits', date, code),
          opens: this.local('opens', date, code),
          openers: this.localOpeners.get(JSON.stringify([code, date])) ?? 0,
        },
      ]),
    );
    if (this.store) {
      const store = this.store;
      const [shards, openers] = await required(() => Promise.all([store.readShards(['visits', 'opens'], dates, code), store.countOpeners(code, dates)]));
      for (const s of shards) {
        const row = rows.get(s.date);
        if (!row || s.instance === this.instance) continue;
        if (s.name === 'visits') row.visits += s.n;
        if (s.name === 'opens') row.opens += s.n;
      }
      for (const [date, n] of openers) {
        const row = rows.get(date);
        if (row) row.openers += n;
      }
    }
    return dates.map((date) => rows.get(date) as StableLinkDay);
  }

  async stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>> {
    const totals = new Map<string, { visits: number; opens: number }>();
    const add = (s: Shard) => {
      if (!s.code || (s.name !== 'visits' && s.name !== 'opens')) return;
      const sum = totals.get(s.code) ?? { visits: 0, opens: 0 };
      sum[s.name] += s.n;
      totals.set(s.code, sum);
    };
    for (const { shard } of this.shards.values()) add(shard);
    const store = this.store;
    if (store) for (const s of await required(() => store.readStableShards())) if (s.instance !== this.instance) add(s);
    return totals;
  }

  async flush(byMs: number): Promise<void> {
    if (!this.store) return;
    this.kick();
    const work = this.flushing;
    if (!work) return;
    await new Promise<void>((done) => {
      const cancel = this.clock.setTimer(Math.max(0, byMs - this.clock.now()), done);
      void work.then(() => (cancel(), done()));
    });
  }

  /** Counts not yet acknowledged by the database (tests and the log read it). */
  get unwritten(): number {
    let n = this.pendingOpeners.length;
    for (const s of this.shards.values()) n += s.shard.n - s.written;
    return n;
  }

  private local(name: CountName, date: string, code?: string): number {
    return this.shards.get(shardKey(name, date, code))?.shard.n ?? 0;
  }

  private bump(name: CountName, date: string, code?: string): void {
    const key = shardKey(name, date, code);
    let entry = this.shards.get(key);
    if (!entry) {
      entry = { shard: { name, date, ...(code === undefined ? {} : { code }), instance: this.instance, n: 0 }, written: 0 };
      this.shards.set(key, entry);
    }
    entry.shard.n++;
    this.schedule(BATCH_MS);
  }

  private schedule(ms: number): void {
    if (!this.store || this.cancelTimer) return;
    this.cancelTimer = this.clock.setTimer(ms, () => {
      this.cancelTimer = null;
      this.kick();
    });
  }

  /** Starts a flush now, or asks the running one to go round once more. */
  private kick(): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    if (!this.unwritten) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.flushing = this.run().finally(() => {
      this.flushing = null;
    });
  }

  private async run(): Promise<void> {
    const store = this.store as CountStore;
    do {
      this.again = false;
      const dirty = [...this.shards.values()].filter((s) => s.shard.n > s.written);
      const openers = this.pendingOpeners;
      this.pendingOpeners = [];
      const writes = [
        ...dirty.map(async (entry) => {
          const n = entry.shard.n;
          await withTimeout(store.writeShard({ ...entry.shard, n }), WRITE_TIMEOUT_MS, this.clock);
          entry.written = Math.max(entry.written, n);
        }),
        ...openers.map((o) =>
          withTimeout(store.addOpener(o.code, o.date, o.visitor), WRITE_TIMEOUT_MS, this.clock).catch((error) => {
            this.pendingOpeners.push(o);
            throw error;
          }),
        ),
      ];
      const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
      if (failed) {
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs ? this.retryMs * 2 : RETRY_FIRST_MS);
        this.logOnce(
          `[genScheme] state: ${this.unwritten} counts not written yet (${describe((failed as PromiseRejectedResult).reason)}); trying again in ${this.retryMs} ms`,
        );
        this.schedule(this.retryMs);
        return;
      }
      this.retryMs = 0;
    } while (this.again && this.unwritten);
  }

  private lastLog = -Infinity;
  private logOnce(line: string): void {
    const now = this.clock.now();
    if (now - this.lastLog < 60_000) return;
    this.lastLog = now;
    try {
      this.log(line);
    } catch {
      // A failing logger must not stop the counting.
    }
  }
}

export type { CountName, CountStore, Shard } from './count-shards';
