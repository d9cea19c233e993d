/**
 * Pacing of generate calls across instances (platform-rules §5: at most 100 a second reach
 * WeChat, 44990 beyond). Three bounds, all kept:
 *  1. this instance's own (pacer.ts): a call holds its slot from send until a second after its
 *     answer — exact for this instance whatever the delays;
 *  2. the shared window, in the database: slots are leased in blocks (one conditional update takes
 *     as many as there are calls waiting), so calls arriving together share one round trip;
 *  3. when the shared window cannot be had in time — the database failed, or answered leases too
 *     slowly twice in a row — this instance's share of the rate instead: 100 divided by the live
 *     instances counted (the larger of the last two counts, taken 1 s apart at first, plus one
 *     for an instance not seen yet), or by 10 before two counts. Never 100 per instance.
 * Calls sent under the share are still written into the shared window (a push of their send
 * times, batched): an instance pacing alone for a moment while others lease from the window is
 * then seen by them, so their sum stays near 100 instead of adding up.
 *
 * Why a leased slot must be used quickly: the shared window counts leases over 1 s plus
 * PACING_ARRIVAL_ALLOWANCE_MS, so any 1 s window of arrivals at WeChat stays ≤ 100 only while a
 * call arrives within that allowance of its slot's time. A slot older than SLOT_USE_WITHIN_MS is
 * dropped (it stays counted: that errs on the safe side).
 */
import { GENERATE_CALLS_PER_SECOND } from '../../../../miniprogram/shared/platform';
import type { Clock } from '../clock';
import type { Lease, LimitsPort } from '../state';
import { Pacer } from './pacer';

/**
 * How late after its slot's time a call may reach WeChat. Measured: with four instances on one
 * busy 2-core machine the SDK's own queueing spread arrivals by up to ~300 ms after send
 * (test/multi); a slot is used up to SLOT_USE_WITHIN_MS after its time (the lease's round trip),
 * so 600 ms. It costs throughput (100 per 1.6 s at most), not correctness.
 */
export const PACING_ARRIVAL_ALLOWANCE_MS = 600;
/** A leased slot is sent within this long of its time, leaving the rest of the allowance for the trip. */
export const SLOT_USE_WITHIN_MS = 300;
/** Leases slower than SLOT_USE_WITHIN_MS this many times in a row put pacing on the share. */
export const SLOW_LEASES_FOR_SHARE = 2;
/** Calls sent under the share are written into the shared window in batches this often (ms). */
export const RECORD_EVERY_MS = 50;
/** At most this many slots in one lease. */
export const MAX_LEASE = 20;
/** How often the instance says it is alive and counts the live instances. */
export const HEARTBEAT_EVERY_MS = 5_000;
/** The second count comes this soon after the first: instances starting together have all said so by then. */
export const SECOND_COUNT_AFTER_MS = 1_000;
/** Before any count of live instances, the share assumes this many. */
export const UNKNOWN_INSTANCES = 10;

export const PACING_WINDOW = { key: 'pace:generate', limit: GENERATE_CALLS_PER_SECOND, windowMs: 1000 + PACING_ARRIVAL_ALLOWANCE_MS } as const;

/** Frees what acquire() took, once the call was answered (or failed) at `now`. */
export type ReleaseSlot = (now: number) => void;

/** No slot within the time budget: the call must not be sent. */
export class NoSlotInTime extends Error {
  override readonly name = 'NoSlotInTime';
}

export class GeneratePacing {
  private readonly own = new Pacer(GENERATE_CALLS_PER_SECOND, 1000);
  private readonly insurance = new Pacer(Math.floor(GENERATE_CALLS_PER_SECOND / UNKNOWN_INSTANCES), 1000);
  /** Times of leased slots not used yet. */
  private pool: number[] = [];
  private request: Promise<Lease | 'failed'> | null = null;
  /** Calls waiting for a shared slot. */
  private waiting = 0;
  /** Leases in a row that came back too late to use (or failed). */
  private slowLeases = 0;
  private lastBeat = -Infinity;
  /** The last two counts of live instances, newest last. */
  private counts: number[] = [];
  /** Slots taken per source, for the log and the bench. */
  readonly taken = { shared: 0, share: 0, leases: 0 };

  constructor(
    private readonly limits: LimitsPort,
    private readonly clock: Clock,
    private readonly instanceId: string,
  ) {}

  /** Waits for a slot under every bound, or throws NoSlotInTime when none frees up before `latestSend`. */
  async acquire(latestSend: number, waited: (ms: number) => void): Promise<ReleaseSlot> {
    await this.wait(this.own, latestSend, waited);
    let viaShare = false;
    try {
      if (this.limits.shared && (await this.sharedSlot(latestSend, waited)) === 'share') {
        await this.wait(this.insurance, latestSend, waited);
        viaShare = true;
      }
    } catch (error) {
      this.own.release(this.clock.now());
      throw error;
    }
    if (viaShare) {
      this.taken.share++;
      this.record(this.clock.now());
    } else this.taken.shared++;
    return (now) => {
      this.own.release(now);
      if (viaShare) this.insurance.release(now);
    };
  }

  private async wait(pacer: Pacer, latestSend: number, waited: (ms: number) => void): Promise<void> {
    for (;;) {
      const slot = pacer.acquire(this.clock.now());
      if (slot.ok) return;
      if (this.clock.now() + slot.retryAfterMs > latestSend) throw new NoSlotInTime('no pacing slot within the time budget');
      waited(slot.retryAfterMs);
      await this.clock.sleep(slot.retryAfterMs);
    }
  }

  /** A fresh leased slot ('shared'), or 'share' when the shared window cannot be had in time. */
  private async sharedSlot(latestSend: number, waited: (ms: number) => void): Promise<'shared' | 'share'> {
    this.heartbeat();
    this.waiting++;
    try {
      for (;;) {
        const now = this.clock.now();
        this.pool = this.pool.filter((at) => now - at <= SLOT_USE_WITHIN_MS);
        if (this.pool.length) {
          this.pool.shift();
          return 'shared';
        }
        const request = (this.request ??= this.lease());
        // A database answering leases slower than a slot lives cannot pace: go on under the share
        // at once (the lease still runs, and tells when the database is quick again).
        if (this.slowLeases >= SLOW_LEASES_FOR_SHARE) return 'share';
        // Slow is not down: a lease is waited for (as long as the call can still leave in time), and
        // only when leases keep coming back too late to use does this instance pace on its own.
        // Leaving for the share on one slow answer would let it pace alone while the others still
        // use the window, and the sum could pass 100.
        const outcome = await this.within(request, Math.max(0, latestSend - this.clock.now()));
        if (outcome === 'late') throw new NoSlotInTime('no pacing lease came back within the time budget');
        if (outcome === 'failed') return 'share';
        if (outcome.granted > 0) continue; // its slots are in the pool (if still fresh); another waiter may take them first
        const wait = Math.max(1, outcome.retryAfterMs);
        if (this.clock.now() + wait > latestSend) throw new NoSlotInTime('the shared window is full for the time budget');
        waited(wait);
        await this.clock.sleep(wait);
      }
    } finally {
      this.waiting--;
    }
  }

  /** One lease for every call waiting (less what the pool already holds). */
  private lease(): Promise<Lease | 'failed'> {
    const want = Math.min(MAX_LEASE, Math.max(1, this.waiting - this.pool.length));
    const at = this.clock.now();
    this.taken.leases++;
    const request = this.limits.lease(PACING_WINDOW, want, at).then(
      (lease) => {
        if (this.clock.now() - at <= SLOT_USE_WITHIN_MS) {
          this.slowLeases = 0;
          for (let i = 0; i < lease.granted; i++) this.pool.push(at);
        } else this.slowLeases++;
        return lease;
      },
      () => {
        this.slowLeases = SLOW_LEASES_FOR_SHARE;
        return 'failed' as const;
      },
    );
    void request.then(() => {
      if (this.request === request) this.request = null;
    });
    return request;
  }

  private unrecorded: number[] = [];

  /** Writes the send times of calls made under the share into the shared window, batched; never waited for. */
  private record(at: number): void {
    if (!this.limits.shared) return;
    this.unrecorded.push(at);
    if (this.unrecorded.length > 1) return;
    this.clock.setTimer(RECORD_EVERY_MS, () => {
      const times = this.unrecorded;
      this.unrecorded = [];
      this.limits.record(PACING_WINDOW, times).catch(() => undefined);
    });
  }

  private within<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
    return new Promise((resolve) => {
      const cancel = this.clock.setTimer(ms, () => resolve('late'));
      void work.then((value) => (cancel(), resolve(value)));
    });
  }

  /**
   * Says this instance is alive and learns how many are, at most every HEARTBEAT_EVERY_MS; never
   * waited for. Called on every invocation too, so the share is known before a slow spell starts.
   */
  heartbeat(): void {
    if (!this.limits.shared) return;
    const now = this.clock.now();
    if (now - this.lastBeat < (this.counts.length < 2 ? SECOND_COUNT_AFTER_MS : HEARTBEAT_EVERY_MS)) return;
    this.lastBeat = now;
    this.limits.heartbeat(this.instanceId, now).then(
      (live) => {
        this.counts = [...this.counts, live].slice(-2);
        // A count taken while instances start misses those that have not said so yet: two counts
        // (1 s apart at first) are needed, the larger one stands, and one more for an instance not seen yet.
        if (this.counts.length === 2) this.insurance.limit = Math.max(1, Math.floor(GENERATE_CALLS_PER_SECOND / (Math.max(...this.counts) + 1)));
        // The second count is taken on its own, not left to the next invocation: it is wanted before a slow spell.
        else this.clock.setTimer(SECOND_COUNT_AFTER_MS, () => this.heartbeat());
      },
      () => undefined,
    );
  }
}
