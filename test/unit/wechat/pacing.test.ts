/** GeneratePacing (src/wechat/pacing.ts) with a fake LimitsPort and a clock that moves only when told. */
import type { Clock } from '../../../cloudfunctions/genScheme/src/clock';
import type { Lease, LimitsPort, SlidingWindow } from '../../../cloudfunctions/genScheme/src/state';
import {
  GeneratePacing,
  RECORD_EVERY_MS,
  SECOND_COUNT_AFTER_MS,
  SLOT_USE_WITHIN_MS,
  SLOT_DROP_AFTER_MS,
  NoSlotInTime,
  PACING_WINDOW,
  UNKNOWN_INSTANCES,
  type ReleaseSlot,
} from '../../../cloudfunctions/genScheme/src/wechat/pacing';

const T = 1_800_000_000_000;

/** Timers fire only on advance(); sleep() is a timer. */
class ManualClock implements Clock {
  private timers: Array<{ at: number; fn: () => void }> = [];
  constructor(public ms: number) {}
  now = () => this.ms;
  random = () => 0.5;
  sleep = (ms: number) => new Promise<void>((resolve) => this.setTimer(ms, resolve));
  setTimer = (ms: number, fn: () => void) => {
    const timer = { at: this.ms + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };
  /** Moves time forward `ms`, 1 ms at a time, letting promises settle after each timer. */
  async advance(ms: number): Promise<void> {
    const end = this.ms + ms;
    while (this.ms < end) {
      this.ms++;
      const due = this.timers.filter((t) => t.at <= this.ms);
      if (!due.length) continue;
      this.timers = this.timers.filter((t) => t.at > this.ms);
      for (const t of due) t.fn();
      await settle();
    }
    await settle();
  }
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A LimitsPort whose lease() and heartbeat() answer when the test says (or at once). */
function fakeLimits(opts: { lease?: 'now' | 'never' | 'manual' | 'fail'; heartbeat?: 'never' | number; full?: Lease } = {}) {
  const leases: Array<{ window: SlidingWindow; count: number; at: number; answer: (l: Lease) => void }> = [];
  const port = {
    shared: true,
    leases,
    heartbeats: 0,
    records: [] as number[][],
    admit: async () => ({ ok: true as const }),
    peek: async () => ({ used: 0, retryAfterMs: 0 }),
    record: async (_w: SlidingWindow, times: readonly number[]) => {
      port.records.push([...times]);
    },
    takeFromPeriod: async (_q: unknown, count: number) => count,
    lease: (window: SlidingWindow, count: number, at: number) =>
      new Promise<Lease>((resolve, reject) => {
        leases.push({ window, count, at, answer: resolve });
        const mode = opts.lease ?? 'now';
        if (mode === 'fail') reject(Object.assign(new Error('permission denied'), { errCode: -502003 }));
        if (mode === 'now') resolve(opts.full ?? { granted: count, retryAfterMs: 0 });
      }),
    heartbeat: () => {
      port.heartbeats++;
      return opts.heartbeat === undefined || opts.heartbeat === 'never' ? new Promise<number>(() => undefined) : Promise.resolve(opts.heartbeat);
    },
    sweep: async () => undefined,
  };
  return port satisfies LimitsPort;
}

/** Starts `n` acquire() calls; `done` fills in as they resolve (or fail). */
function start(pacing: GeneratePacing, n: number, latestSend: number) {
  const done: Array<{ release?: ReleaseSlot; error?: unknown }> = [];
  const waits: number[] = [];
  const all = Array.from({ length: n }, () =>
    pacing
      .acquire(latestSend, (ms) => waits.push(ms))
      .then(
        (release) => void done.push({ release }),
        (error) => void done.push({ error }),
      ),
  );
  return { done, waits, all: Promise.all(all) };
}

describe('GeneratePacing', () => {
  it('8 calls arriving together cost at most 2 leases, of the pacing window', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits();
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 8, T + 3000);
    await run.all;
    expect(run.done.filter((d) => d.release)).toHaveLength(8);
    expect(limits.leases.length).toBeGreaterThanOrEqual(1);
    expect(limits.leases.length).toBeLessThanOrEqual(2);
    expect(limits.leases.reduce((n, l) => n + l.count, 0)).toBeLessThanOrEqual(8 + 1);
    for (const l of limits.leases) expect(l.window).toEqual(PACING_WINDOW);
    expect(pacing.taken).toEqual({ shared: 8, sharedWithShare: 0, share: 0, leases: limits.leases.length });
  });

  it('leased slots not granted: waits as told, then goes on', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'manual' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 1, T + 3000);
    await settle();
    limits.leases[0].answer({ granted: 0, retryAfterMs: 300 });
    await settle();
    expect(run.done).toHaveLength(0);
    await clock.advance(299);
    expect(limits.leases).toHaveLength(1);
    await clock.advance(1);
    expect(limits.leases).toHaveLength(2);
    limits.leases[1].answer({ granted: 1, retryAfterMs: 0 });
    await run.all;
    expect(run.done[0].release).toBeDefined();
    expect(run.waits).toEqual([300]);
  });

  it('a lease that is slow is waited for (slow is not down), up to the latest send; then NoSlotInTime, nothing sent', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'never', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 3, T + 2000);
    await settle();
    await clock.advance(1999);
    expect(run.done).toHaveLength(0); // still waiting for the lease
    await clock.advance(1);
    await run.all;
    expect(run.done.map((d) => d.error instanceof NoSlotInTime)).toEqual([true, true, true]);
    expect(pacing.taken).toMatchObject({ shared: 0, share: 0 });
  });

  it(`a failing lease: calls go on under the share, floor(100 / ${UNKNOWN_INSTANCES}) = 10 a second before any heartbeat`, async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 15, T + 5000);
    await settle();
    await settle();
    expect(run.done.filter((d) => d.release)).toHaveLength(10);
    expect(pacing.taken.share).toBe(10);
    // The five others wait for a slot of the share: none while the ten are in flight.
    await clock.advance(500);
    expect(run.done).toHaveLength(10);
    const answeredAt = clock.now();
    for (const d of run.done) d.release!(answeredAt);
    // A slot of the share is held until a second after its call was answered.
    await clock.advance(999);
    expect(run.done).toHaveLength(10);
    await clock.advance(25);
    await run.all;
    expect(run.done.filter((d) => d.release)).toHaveLength(15);
    expect(pacing.taken).toMatchObject({ shared: 0, share: 15 });
  });

  it.each([1, 3, 9])('after two heartbeats (1 s apart) counting %i instances: floor(100 / (n + 1)) a second', async (n) => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: n });
    const pacing = new GeneratePacing(limits, clock, 'me');
    pacing.heartbeat();
    await settle();
    await clock.advance(SECOND_COUNT_AFTER_MS); // the second count comes by itself
    await settle();
    expect(limits.heartbeats).toBe(2);
    const run = start(pacing, 60, clock.now() + 5000);
    await settle();
    await settle();
    expect(run.done.filter((d) => d.release)).toHaveLength(Math.floor(100 / (n + 1)));
  });

  it('one heartbeat is not enough: instances starting together may not have said so yet (share stays 10)', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: 1 });
    const pacing = new GeneratePacing(limits, clock, 'me');
    pacing.heartbeat();
    await settle();
    const run = start(pacing, 60, T + 5000);
    await settle();
    await settle();
    expect(limits.heartbeats).toBe(1);
    expect(run.done.filter((d) => d.release)).toHaveLength(10);
  });

  it('calls made under the share are written into the shared window, batched', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 3, T + 5000);
    await settle();
    await run.all;
    await clock.advance(RECORD_EVERY_MS);
    expect(limits.records).toEqual([[T, T, T]]);
  });

  it('a failing lease: at once under the share, without waiting', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 12, T + 5000);
    await settle();
    await settle();
    expect(run.done.filter((d) => d.release)).toHaveLength(10);
    expect(clock.now()).toBe(T);
  });

  it('a slot back too old to trust alone (slow database) is still used, but only with a slot of the share', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'manual', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 12, T + 5000);
    await settle();
    expect(limits.leases).toHaveLength(1);
    await clock.advance(SLOT_USE_WITHIN_MS + 1);
    limits.leases[0].answer({ granted: 8, retryAfterMs: 0 }); // old by the time it is back
    await settle();
    await settle();
    // Eight old slots, each with a slot of the share (10 a second before any count): eight go.
    expect(run.done.filter((d) => d.release)).toHaveLength(8);
    expect(pacing.taken).toMatchObject({ shared: 0, sharedWithShare: 8, share: 0 });
    // The next four ask again; a fresh answer is used alone.
    expect(limits.leases).toHaveLength(2);
    limits.leases[1].answer({ granted: 4, retryAfterMs: 0 });
    await run.all;
    expect(pacing.taken).toMatchObject({ shared: 4, sharedWithShare: 8, share: 0 });
  });

  it('a slot older than SLOT_DROP_AFTER_MS is not used at all', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'manual', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 1, T + 10_000);
    await settle();
    await clock.advance(SLOT_DROP_AFTER_MS + 1);
    limits.leases[0].answer({ granted: 1, retryAfterMs: 0 });
    await settle();
    expect(run.done).toHaveLength(0);
    expect(limits.leases).toHaveLength(2);
    limits.leases[1].answer({ granted: 1, retryAfterMs: 0 });
    await run.all;
    expect(pacing.taken).toMatchObject({ shared: 1, sharedWithShare: 0 });
  });

  it('prefetch asks for a lease before the call arrives; the call then uses its slot', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'manual', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    pacing.prefetch();
    pacing.prefetch(); // one on its way is enough
    expect(limits.leases).toHaveLength(1);
    await clock.advance(100);
    limits.leases[0].answer({ granted: 1, retryAfterMs: 0 });
    await settle();
    const run = start(pacing, 1, T + 3000);
    await run.all;
    expect(limits.leases).toHaveLength(1);
    expect(pacing.taken).toMatchObject({ shared: 1, leases: 1 });
  });

  it('NoSlotInTime when the shared window frees up only after the latest send', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ full: { granted: 0, retryAfterMs: 800 } });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 1, T + 500);
    await run.all;
    expect(run.done[0].error).toBeInstanceOf(NoSlotInTime);
    expect(run.waits).toEqual([]);
  });

  it('NoSlotInTime when the share is used up until after the latest send', async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits({ lease: 'fail', heartbeat: 'never' });
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 11, T + 300);
    await settle();
    await clock.advance(400);
    await run.all;
    expect(run.done.filter((d) => d.release)).toHaveLength(10);
    expect(run.done.filter((d) => d.error instanceof NoSlotInTime)).toHaveLength(1);
  });

  it("NoSlotInTime when this instance's own 100 a second are in flight, without asking for a lease", async () => {
    const clock = new ManualClock(T);
    const limits = fakeLimits();
    const pacing = new GeneratePacing(limits, clock, 'me');
    const run = start(pacing, 100, T + 3000);
    await run.all;
    const leases = limits.leases.length;
    const late = start(pacing, 1, T + 10);
    await late.all;
    expect(late.done[0].error).toBeInstanceOf(NoSlotInTime);
    expect(limits.leases).toHaveLength(leases);
  });

  it('memory limits (not shared): no lease, no heartbeat', async () => {
    const clock = new ManualClock(T);
    const limits = Object.assign(fakeLimits(), { shared: false });
    const pacing = new GeneratePacing(limits, clock, 'me');
    await start(pacing, 5, T + 3000).all;
    expect(limits.leases).toHaveLength(0);
    expect(limits.heartbeats).toBe(0);
  });
});
