import { DEFAULT_RETRY, delayFor, withRetry } from '../../cloudfunctions/genScheme/src/retry';
import { FakeClock } from '../support/fake-clock';

const sdkError = (errCode: number) => Object.assign(new Error(`errCode ${errCode}`), { errCode, errMsg: `fail ${errCode}` });

function failingThen(codes: number[], value = 'ok') {
  let n = 0;
  const fn = jest.fn(async () => {
    const code = codes[n++];
    if (code !== undefined) throw sdkError(code);
    return value;
  });
  return fn;
}

describe('retry policy', () => {
  it('retries -1 with growing, jittered backoff, then succeeds', async () => {
    const clock = new FakeClock(0, () => 0.5);
    const call = failingThen([-1, -1]);
    const out = await withRetry(call, clock, 3000);
    expect(out).toMatchObject({ ok: true, value: 'ok', attempts: 3 });
    expect(call).toHaveBeenCalledTimes(3);
    // base 120 ms: attempt 1 waits between 60 and 120, attempt 2 between 120 and 240 (jitter 0.5 → 3/4 of it)
    expect(clock.sleeps).toEqual([90, 180]);
  });

  it('jitter stays between half and all of the exponential step', () => {
    for (const r of [0, 0.25, 0.999]) {
      const d = delayFor('backoff', 3, DEFAULT_RETRY, () => r);
      expect(d).toBeGreaterThanOrEqual(240);
      expect(d).toBeLessThanOrEqual(480);
    }
  });

  it('pauses into the next second after 44990', async () => {
    const clock = new FakeClock(0, () => 0);
    const out = await withRetry(failingThen([44990]), clock, 3000);
    expect(out).toMatchObject({ ok: true, attempts: 2 });
    expect(clock.sleeps).toEqual([1000]);
  });

  it.each([40165, 40212, 85401, 40002, 44993, -604101, -604102, -501001, 40001, -900020, -900021])('does not retry %d', async (code) => {
    const clock = new FakeClock(0);
    const call = failingThen([code]);
    const out = await withRetry(call, clock, 3000);
    expect(out.ok).toBe(false);
    expect(out.attempts).toBe(1);
    expect(call).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry an error without a code (a bug, not the platform)', async () => {
    const clock = new FakeClock(0);
    const out = await withRetry(async () => { throw new TypeError('x is undefined'); }, clock, 3000);
    expect(out).toMatchObject({ ok: false, attempts: 1 });
  });

  it('stops after maxAttempts', async () => {
    const clock = new FakeClock(0);
    const call = failingThen([-1, -1, -1, -1, -1, -1]);
    const out = await withRetry(call, clock, 60_000);
    expect(out).toMatchObject({ ok: false, attempts: DEFAULT_RETRY.maxAttempts });
  });

  it('never waits past the time budget: a 44990 pause does not fit in what is left', async () => {
    const clock = new FakeClock(0, () => 0);
    const call = failingThen([44990]);
    // 1000 ms pause + 600 ms reserve > 1500 ms budget: give up at once.
    const out = await withRetry(call, clock, 1500);
    expect(out).toMatchObject({ ok: false, attempts: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  it('uses time already spent: a slow first call leaves no room for a retry', async () => {
    const clock = new FakeClock(0, () => 0.5);
    const call = jest.fn(async () => {
      clock.ms += 2500; // the first call itself took 2.5 s
      throw sdkError(-1);
    });
    const out = await withRetry(call, clock, 3000);
    expect(out).toMatchObject({ ok: false, attempts: 1 });
  });
});
