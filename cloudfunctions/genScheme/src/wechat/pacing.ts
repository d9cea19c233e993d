/**
 * Pacing of generate calls across instances (platform-rules §5: at most 100 a second reach
 * WeChat, 44990 beyond). Bounds, all kept:
 *  1. this instance's own (pacer.ts): a call holds its slot from send until a second after its
 *     answer — exact for this instance whatever the delays;
 *  2. the shared window, in the database: slots are leased in blocks (one conditional update takes
 *     as many as there are calls waiting), so calls arriving together share one round trip, and a
 *     lease is asked for ahead (prefetch) while the call's other work runs;
 *  3. when a slot came back too old to be trusted (the database is slow), it is still used — the
 *     window still bounds every instance's calls together, only shifted by the delay — but only
 *     together with a slot of this instance's share of the rate, so the jitter of that delay
 *     cannot add up; when the database fails, the share alone. The share is 100 divided by the
 *     live instances counted (the larger of two counts taken 1 s apart, plus one for an instance
 *     not seen yet), or by 10 before that. Never 100 per instance.
 * Slow is not down: a lease is waited for (while the call can still leave in time); no call
 * leaves the window for the share only because its database is slow, which would let instances
 * pace apart from each other and their sum pass 100.
 */
import { GENERATE_CALLS_PER_SECOND } from '../../../../miniprogram/shared/platform';
import { settleWithin, type Clock } from '../clock';
import type { Lease, LimitsPort } from '../state';
import { Pacer } from './pacer';

/**
 * How late after its slot's time a call may reach WeChat. Measured: with four instances on one
 * busy 2-core machine the SDK's own queueing spread arrivals by up to ~300 ms after send
 * (test/multi); a slot is trusted alone up to SLOT_USE_WITHIN_MS after its time, so 600 ms. It
 * costs throughput (85 per 1.6 s at most), not correctness.
 */
export const PACING_ARRIVAL_ALLOWANCE_MS = 600;
/** A leased slot this young is used alone; an older one only with a slot of the share. */
export const SLOT_USE_WITHIN_MS = 300;
/** A leased slot older than this is not used at all (it stays counted: that errs on the safe side). */
export const SLOT_DROP_AFTER_MS = 2_000;
/**
 * At most this many slots in one lease: enough that 8 calls arriving together cost one round trip,
 * few enough that a lease's calls do not leave in one burst. Measured (test/multi, 400 calls over
 * 4 instances): blocks of 20 sent bursts that reached the gateway bunched, 2–12 over 100 in a
 * second in 2 of 3 runs; blocks of 8, none in 4 runs.
 */
export const MAX_LEASE = 8;
/** How often the instance says it is alive and counts the live instances. */
export const HEARTBEAT_EVERY_MS = 5_000;
/** The second count comes this soon after the first: instances starting together have all said so by then. */
export const SECOND_COUNT_AFTER_MS = 1_000;
/** Before any count of live instances, the share assumes this many. */
export const UNKNOWN_INSTANCES = 10;
/** Calls sent under the share alone (the database failing) are written into the window in batches this often (ms). */
export const RECORD_EVERY_MS = 50;

/**
 * The shared window keeps 15 % of §5's 100 a second in reserve: arrivals at WeChat are spread
 * by network and event-loop delays the window cannot see, and a 44990 costs a retry and a pause.
 */
export const SHARED_PACING_LIMIT = Math.floor(GENERATE_CALLS_PER_SECOND * 0.85);
export const PACING_WINDOW = { key: 'pace:generate', limit: SHARED_PACING_LIMIT, windowMs: 1000 + PACING_ARRIVAL_ALLOWANCE_MS } as const;

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
  private lastBeat = -Infinity;
  /** The last two counts of live instances, newest last. */
  private counts: number[] = [];
  /** Slots taken: a fresh shared slot alone, an old one with the share, the share alone; leases asked. */
  readonly taken = { shared: 0, sharedWithShare: 0, share: 0, leases: 0 };

  constructor(
    private readonly limits: LimitsPort,
    private readonly clock: Clock,
    private readonly instanceId: string,
  ) {}

  /** Asks for a lease now, if none is on its way, so the call's slot comes back while its other work runs. */
  prefetch(): void {
    if (this.limits.shared && !this.request && !this.pool.length) this.request = this.lease(1);
  }

  /** Waits for a slot under every bound, or throws NoSlotInTime when none frees up before `latestSend`. */
  async acquire(latestSend: number, waited: (ms: number) => void): Promise<ReleaseSlot> {
    await this.wait(this.own, latestSend, waited);
    let source: 'shared' | 'sharedWithShare' | 'share' = 'shared';
    try {
      if (this.limits.shared) source = await this.sharedSlot(latestSend, waited);
      if (source !== 'shared') await this.wait(this.insurance, latestSend, waited);
    } catch (error) {
      this.own.release(this.clock.now());
      throw error;
    }
    this.taken[source]++;
    if (source === 'share') this.record(this.clock.now());
    return (now) => {
      this.own.release(now);
      if (source !== 'shared') this.insurance.release(now);
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

  /** A leased slot: 'shared' when fresh, 'sharedWithShare' when old; 'share' when the lease failed. */
  private async sharedSlot(latestSend: number, waited: (ms: number) => void): Promise<'shared' | 'sharedWithShare' | 'share'> {
    this.heartbeat();
    this.waiting++;
    try {
      for (;;) {
        const now = this.clock.now();
        this.pool = this.pool.filter((at) => now - at <= SLOT_DROP_AFTER_MS);
        const at = this.pool.shift();
        if (at !== undefined) return now - at <= SLOT_USE_WITHIN_MS ? 'shared' : 'sharedWithShare';
        const request = (this.request ??= this.lease(this.waiting));
        const outcome = await settleWithin(request, latestSend - this.clock.now(), this.clock, 'late' as const);
        if (outcome === 'late') throw new NoSlotInTime('no pacing lease came back within the time budget');
        if (outcome === 'failed') return 'share';
        if (outcome.granted > 0) continue; // its slots are in the pool; another waiter may take them first
        const wait = Math.max(1, outcome.retryAfterMs);
        if (this.clock.now() + wait > latestSend) throw new NoSlotInTime('the shared window is full for the time budget');
        waited(wait);
        await this.clock.sleep(wait);
      }
    } finally {
      this.waiting--;
    }
  }

  /** One lease for `wanted` calls (less what the pool already holds). */
  private lease(wanted: number): Promise<Lease | 'failed'> {
    const want = Math.min(MAX_LEASE, Math.max(1, wanted - this.pool.length));
    const at = this.clock.now();
    this.taken.leases++;
    const request = this.limits.lease(PACING_WINDOW, want, at).then(
      (lease) => {
        for (let i = 0; i < lease.granted; i++) this.pool.push(at);
        return lease;
      },
      () => 'failed' as const,
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

  /**
   * Says this instance is alive and learns how many are, at most every HEARTBEAT_EVERY_MS; never
   * waited for. Only instances that pace say so: they are the ones sharing the platform's rate, and
   * an instance serving no generate never touches the database for it.
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
