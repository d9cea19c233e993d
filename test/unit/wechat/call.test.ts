import { SHARED_PACING_LIMIT } from '../../../cloudfunctions/genScheme/src/wechat/pacing';
import { createState, type LimitsPort, type MemoryLimits } from '../../../cloudfunctions/genScheme/src/state';
/** The one way to WeChat (src/wechat/call.ts): pacing, retries worth making, and the time budget. */
import { DEFAULT_RETRY, REPLY_RESERVE_MS, WeChat, delayFor, type CallRecord } from '../../../cloudfunctions/genScheme/src/wechat/call';
import { INTERNAL, TIME_BUDGET } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import type { OpenApi } from '../../../cloudfunctions/genScheme/src/wechat/openapi';
import { FakeClock } from '../../support/fake-clock';
import { sdkError, sdkInternal, wechatBusy } from '../../support/genscheme';

/** An openapi whose generate answers from `script` in turn: an Error is thrown; `ms` is how long the call takes. */
function scripted(clock: FakeClock, script: Array<{ answer?: unknown; ms?: number }>) {
  let n = 0;
  const fn = jest.fn(async (_request: Record<string, unknown>) => {
    const step = script[n++] ?? {};
    clock.ms += step.ms ?? 0;
    if (step.answer instanceof Error) throw step.answer;
    return step.answer ?? 'ok';
  });
  const openapi = { urlscheme: { generate: fn, query: fn } } as unknown as OpenApi;
  return { openapi, fn };
}
const failing = (...errors: Error[]) => errors.map((answer) => ({ answer }));

async function call(clock: FakeClock, openapi: OpenApi, budgetMs: number, paced = false, wechat = new WeChat(openapi, clock, memoryState(clock).limits)) {
  const record: CallRecord = { attempts: 0 };
  const outcome = await wechat.call('urlscheme.generate', { jumpWxa: {} }, { paced, deadline: clock.now() + budgetMs, record });
  return { outcome, record };
}

describe('retries', () => {
  it("retries WeChat's own -1 with growing, jittered backoff, then succeeds", async () => {
    const clock = new FakeClock(0, () => 0.5);
    const { openapi, fn } = scripted(clock, failing(wechatBusy(), wechatBusy()));
    const { outcome, record } = await call(clock, openapi, 3000);
    expect(outcome).toEqual({ ok: true, value: 'ok' });
    expect(record).toEqual({ attempts: 3, waitedMs: 270 });
    expect(fn).toHaveBeenCalledTimes(3);
    // base 120 ms: attempt 1 waits between 60 and 120, attempt 2 between 120 and 240 (jitter 0.5 → 3/4 of it)
    expect(clock.sleeps).toEqual([90, 180]);
  });

  it('backoff jitter stays between half and all of the exponential step', () => {
    for (const r of [0, 0.25, 0.999]) {
      const d = delayFor(-1, 3, DEFAULT_RETRY, () => r);
      expect(d).toBeGreaterThanOrEqual(240);
      expect(d).toBeLessThanOrEqual(480);
    }
  });

  it('a 44990 pause is a second plus up to a quarter of one', () => {
    expect(delayFor(44990, 1, DEFAULT_RETRY, () => 0)).toBe(1000);
    expect(delayFor(44990, 3, DEFAULT_RETRY, () => 0.999)).toBeLessThanOrEqual(1250);
  });

  it('pauses into the next second after 44990', async () => {
    const clock = new FakeClock(0, () => 0);
    const { openapi } = scripted(clock, failing(sdkError(44990)));
    const { outcome, record } = await call(clock, openapi, 3000);
    expect(outcome.ok).toBe(true);
    expect(record.attempts).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('does not retry a -1 that is an exception inside wx-server-sdk, and says so', async () => {
    const clock = new FakeClock(0);
    const { openapi, fn } = scripted(clock, failing(sdkInternal(), sdkInternal()));
    const { outcome, record } = await call(clock, openapi, 60_000);
    expect(record.attempts).toBe(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: -1, source: 'wechat', rule: 'wechat.-1' } });
    if (!outcome.ok) {
      expect(outcome.failure.message.en).toContain('not WeChat\'s "system busy"');
      expect(outcome.failure.detail).toContain('Cannot read properties');
    }
  });

  it.each([40165, 40212, 85401, 40002, 44993, -604101, -604102, -601001, -502001, -501001, 40001, -900020, -900021])('does not retry %d', async (code) => {
    const clock = new FakeClock(0);
    const { openapi, fn } = scripted(clock, failing(sdkError(code)));
    const { outcome, record } = await call(clock, openapi, 60_000);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: code } });
    expect(record.attempts).toBe(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry an error without a code (a bug, not the platform)', async () => {
    const clock = new FakeClock(0);
    const { openapi } = scripted(clock, failing(new TypeError('x is undefined')));
    const { outcome, record } = await call(clock, openapi, 3000);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: INTERNAL, source: 'genscheme' } });
    expect(record.attempts).toBe(1);
  });

  it('an openapi that throws synchronously is a failure, not an exception', async () => {
    const clock = new FakeClock(0);
    const openapi = {
      urlscheme: {
        generate: () => {
          throw new TypeError('sync');
        },
        query: () => {
          throw new TypeError('sync');
        },
      },
    } as unknown as OpenApi;
    const { outcome } = await call(clock, openapi, 3000);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: INTERNAL } });
  });

  it('stops after maxAttempts and says how many it made', async () => {
    const clock = new FakeClock(0);
    const { openapi } = scripted(clock, failing(...Array.from({ length: 6 }, () => wechatBusy())));
    const { outcome, record } = await call(clock, openapi, 60_000);
    expect(record.attempts).toBe(DEFAULT_RETRY.maxAttempts);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure.message.en).toContain(`(after ${DEFAULT_RETRY.maxAttempts} attempts)`);
  });
});

describe('the time budget', () => {
  it('never waits past the deadline: a 44990 pause that does not fit with the time kept to reply ends the call', async () => {
    const clock = new FakeClock(0, () => 0);
    // 1000 ms pause + 150 ms kept to reply > 1100 ms.
    const short = scripted(clock, failing(sdkError(44990)));
    const { outcome, record } = await call(clock, short.openapi, 1000 + REPLY_RESERVE_MS - 50);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: 44990 } });
    expect(record.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
    // With 1150 ms it fits.
    const clock2 = new FakeClock(0, () => 0);
    const fits = scripted(clock2, failing(sdkError(44990)));
    expect((await call(clock2, fits.openapi, 1000 + REPLY_RESERVE_MS)).outcome.ok).toBe(true);
  });

  it('uses time already spent: a slow first call leaves no room for a retry', async () => {
    const clock = new FakeClock(0, () => 0.5);
    const { openapi, fn } = scripted(clock, [{ answer: wechatBusy(), ms: 2500 }]);
    const { outcome, record } = await call(clock, openapi, 3000);
    expect(outcome.ok).toBe(false);
    expect(record.attempts).toBe(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('starts another attempt only when one as long as the longest so far fits before the deadline', async () => {
    // Attempt 1 takes 300 ms, attempt 2 takes 10 ms. After attempt 2 (t = 400) the next wait is 180 ms:
    // 400 + 180 + 300 (the longest) + 150 = 1030 > 1000, so no third attempt, although 10 ms would have fit.
    const clock = new FakeClock(0, () => 0.5);
    const { openapi, fn } = scripted(clock, [{ answer: wechatBusy(), ms: 300 }, { answer: wechatBusy(), ms: 10 }, { answer: 'ok' }]);
    const { outcome, record } = await call(clock, openapi, 1000);
    expect(outcome.ok).toBe(false);
    expect(record.attempts).toBe(2);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(clock.sleeps).toEqual([90]);
    // A little more time and the third attempt runs.
    const clock2 = new FakeClock(0, () => 0.5);
    const roomy = scripted(clock2, [{ answer: wechatBusy(), ms: 300 }, { answer: wechatBusy(), ms: 10 }, { answer: 'ok' }]);
    expect((await call(clock2, roomy.openapi, 1030)).outcome.ok).toBe(true);
  });

  it(`gives up on an unanswered call ${REPLY_RESERVE_MS} ms before the deadline with ${TIME_BUDGET}, and ignores a late answer`, async () => {
    const clock = new FakeClock(0);
    let answer: (v: unknown) => void = () => undefined;
    const openapi = { urlscheme: { generate: () => new Promise((r) => (answer = r)), query: () => new Promise(() => undefined) } } as unknown as OpenApi;
    const pending = call(clock, openapi, 3000);
    await Promise.resolve();
    clock.advance(3000 - REPLY_RESERVE_MS);
    const { outcome, record } = await pending;
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: TIME_BUDGET, source: 'genscheme', rule: 'budget.deadline' } });
    expect(record.attempts).toBe(1);
    answer({ openlink: 'weixin://dl/business/?t=LATE' });
    await Promise.resolve();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('pacing generate calls (§5: 100 a second)', () => {
  it('holds the 101st call until the first leaves the window, and records the wait', async () => {
    const clock = new FakeClock(0);
    const { openapi, fn } = scripted(clock, []);
    // Memory limits are not shared: only this instance's own pacer applies.
    const wechat = new WeChat(openapi, clock, memoryState(clock).limits);
    for (let i = 0; i < 100; i++) await call(clock, openapi, 3000, true, wechat);
    const { outcome, record } = await call(clock, openapi, 3000, true, wechat);
    expect(outcome.ok).toBe(true);
    expect(record).toEqual({ attempts: 1, waitedMs: 1000 }); // a second after the first answer
    expect(clock.sleeps).toEqual([1000]);
    expect(fn).toHaveBeenCalledTimes(101);
    expect(wechat.pacing.taken).toMatchObject({ shared: 101, share: 0, leases: 0 });
  });

  it(`with shared limits, the call after the shared window's ${SHARED_PACING_LIMIT} waits for it (a second plus the arrival allowance)`, async () => {
    const clock = new FakeClock(0);
    const { openapi, fn } = scripted(clock, []);
    const limits = memoryState(clock).limits as MemoryLimits;
    // A stand-in for the database: the memory window, said to be shared.
    const shared: LimitsPort = {
      shared: true,
      admit: (w, n) => limits.admit(w, n),
      peek: (w, n) => limits.peek(w, n),
      lease: (w, c, n) => limits.lease(w, c, n),
      takeFromPeriod: (q, c, n) => limits.takeFromPeriod(q, c, n),
      record: (w, t) => limits.record(w, t),
      heartbeat: async () => 1,
      sweep: (n) => limits.sweep(n),
    };
    const wechat = new WeChat(openapi, clock, shared);
    for (let i = 0; i < SHARED_PACING_LIMIT; i++) await call(clock, openapi, 3000, true, wechat);
    const { outcome, record } = await call(clock, openapi, 5000, true, wechat);
    expect(outcome.ok).toBe(true);
    // The shared window (85 of §5's 100, 15 kept in reserve) is full until its first slot is
    // a second plus the arrival allowance old.
    expect(record).toEqual({ attempts: 1, waitedMs: 1600 });
    expect(clock.sleeps).toEqual([1600]);
    expect(fn).toHaveBeenCalledTimes(SHARED_PACING_LIMIT + 1);
    expect(wechat.pacing.taken.share).toBe(0);
  });

  it(`refuses with 44990 pacing.held, without calling, when no slot frees up within the time budget`, async () => {
    const clock = new FakeClock(0);
    const { openapi, fn } = scripted(clock, []);
    const wechat = new WeChat(openapi, clock, memoryState(clock).limits);
    for (let i = 0; i < 100; i++) await call(clock, openapi, 3000, true, wechat);
    const { outcome, record } = await call(clock, openapi, 1000, true, wechat);
    expect(outcome).toMatchObject({ ok: false, failure: { errcode: 44990, source: 'genscheme', rule: 'pacing.held' } });
    expect(record.attempts).toBe(0);
    expect(fn).toHaveBeenCalledTimes(100);
    expect(clock.sleeps).toEqual([]);
  });

  it('unpaced calls (query, quota) do not wait for the pacer', async () => {
    const clock = new FakeClock(0);
    const { openapi } = scripted(clock, []);
    const wechat = new WeChat(openapi, clock, memoryState(clock).limits);
    for (let i = 0; i < 100; i++) await call(clock, openapi, 3000, true, wechat);
    expect((await call(clock, openapi, 3000, false, wechat)).outcome.ok).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });
});

function memoryState(clock: { now(): number }) {
  return createState({ mode: 'memory', clock: { now: () => clock.now(), setTimer: () => () => undefined }, log: () => undefined });
}
