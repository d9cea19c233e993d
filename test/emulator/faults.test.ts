/** Fault injection, and what the real wx-server-sdk makes of each fault. */
import { startEmulator } from '../../emulator/src';
import { loadFunction } from '../../emulator/src/run-function';
import { APP_JSON, FUNCTION_CONFIG, PASSTHROUGH, T0, useEmulator, type SdkResult } from './support';

const h = useEmulator();

async function outcomes(n: number, event: Record<string, unknown> = {}): Promise<Array<number | string>> {
  const out: Array<number | string> = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await h.fn.invoke(event).then(
        (r) => r.errCode as number,
        (e: { errCode: number }) => e.errCode,
      ),
    );
  }
  return out;
}

it('busy (-1) on chosen generate calls, counted from setFaults', async () => {
  await h.fn.invoke({});
  h.emu.setFaults({ faults: [{ kind: 'busy', on: [2, 3] }] });
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: -1, errMsg: expect.stringMatching(/^openapi\.urlscheme\.generate:fail system error rid: /) });
  expect(await outcomes(2)).toEqual([-1, 0]);
  expect(h.emu.calls.map((c) => c.fault ?? null)).toEqual([null, null, 'busy', 'busy', null]);
});

it('a chosen errcode on chosen calls, with a custom errmsg', async () => {
  h.emu.setFaults({
    faults: [
      { kind: 'errcode', errcode: 44990, on: [1] },
      { kind: 'errcode', errcode: 40002, errmsg: 'no permission', on: [2] },
    ],
  });
  await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 44990 });
  await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 40002, errMsg: 'openapi.urlscheme.generate:fail no permission' });
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
});

it('faults apply to generate only, unless another api or * is named', async () => {
  const { openlink } = await h.fn.invoke({});
  h.emu.setFaults({ faults: [{ kind: 'busy' }] });
  await expect(h.fn.invoke({ api: 'query', scheme: openlink })).resolves.toMatchObject({ errCode: 0 });
  h.emu.setFaults({ faults: [{ kind: 'busy', api: 'urlscheme.query', on: [1] }] });
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  await expect(h.fn.invoke({ api: 'query', scheme: openlink })).rejects.toMatchObject({ errCode: -1 });
  h.emu.setFaults({ faults: [{ kind: 'busy', api: '*', on: [2] }] });
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  await expect(h.fn.invoke({ api: 'query', scheme: openlink })).rejects.toMatchObject({ errCode: -1 });
});

it('busy at a random rate, repeatable with a seed', async () => {
  const pattern = async (seed: number): Promise<Array<number | string>> => {
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed, now: () => T0 });
    try {
      emu.setFaults({ faults: [{ kind: 'busy', rate: 0.5 }] });
      const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
      const out: Array<number | string> = [];
      for (let i = 0; i < 20; i++)
        out.push(
          await fn.invoke({}).then(
            (r) => r.errCode,
            (e) => e.errCode,
          ),
        );
      return out;
    } finally {
      await emu.close();
    }
  };
  const a = await pattern(42);
  expect(a).toEqual(await pattern(42));
  expect(a.filter((c) => c === -1).length).toBeGreaterThan(3);
  expect(a.filter((c) => c === 0).length).toBeGreaterThan(3);
});

it('added latency', async () => {
  h.emu.setFaults({ latencyMs: 80 });
  const started = Date.now();
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(75);
});

it('a dropped connection: the SDK throws -501001 naming the cause', async () => {
  h.emu.setFaults({ faults: [{ kind: 'drop', on: [1] }] });
  await expect(h.fn.invoke({})).rejects.toMatchObject({
    errCode: -501001,
    errMsg: 'openapi.urlscheme.generate:fail -501001 resource system error. socket hang up',
  });
  expect(h.emu.calls[0]).toMatchObject({ fault: 'drop', errcode: null });
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 }); // the SDK recovers on a new socket
});

it.each([
  ['PERMISSION_DENIED', -501001, 'resource system error'],
  ['INVALID_PARAM', -501007, 'invalid parameters'],
  ['SOMETHING_NEW', -501001, 'resource system error'],
])('a CloudBase-level error %s: the SDK throws %d', async (code, errCode, text) => {
  h.emu.setFaults({ faults: [{ kind: 'cloudbaseError', code, message: 'env not exists' }] });
  await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode, errMsg: `openapi.urlscheme.generate:fail ${errCode} ${text}. env not exists` });
});

it('a platform errorCode (-604102 timeout): CloudSDKError with the code', async () => {
  h.emu.setFaults({ faults: [{ kind: 'platformError', errorCode: -604102 }] });
  await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: -604102, errMsg: 'system error: error code: -604102' });
});

it('an empty 200 body: the SDK "succeeds" with no openlink', async () => {
  h.emu.setFaults({ faults: [{ kind: 'emptyBody' }] });
  const result = await h.fn.invoke({});
  expect(result).toEqual({ contentType: '', buffer: Buffer.alloc(0), errCode: 0, errMsg: 'openapi.urlscheme.generate:ok' });
  expect(result.openlink).toBeUndefined();
});

it('clearFaults() and reset() stop injecting', async () => {
  h.emu.setFaults({ faults: [{ kind: 'busy' }] });
  h.emu.clearFaults();
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  h.emu.setFaults({ faults: [{ kind: 'busy' }] });
  h.emu.reset();
  await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
});

it('rejects a plan with a typo instead of injecting nothing', () => {
  expect(() => h.emu.setFaults({ faults: [{ kind: 'bussy' } as never] })).toThrow(/unknown fault kind "bussy"/);
  expect(() => h.emu.setFaults({ faults: [{ kind: 'busy', on: [0] }] })).toThrow(/1-based/);
  expect(() => h.emu.setFaults({ faults: [{ kind: 'busy', rate: 2 }] })).toThrow(/rate/);
  // A misspelt api, or an empty `on`, would match no call at all.
  expect(() => h.emu.setFaults({ faults: [{ kind: 'busy', api: 'urlscheme.generat' }] })).toThrow(/unknown api "urlscheme.generat"/);
  expect(() => h.emu.setFaults({ faults: [{ kind: 'busy', on: [] }] })).toThrow(/at least one/);
  expect(() =>
    h.emu.setFaults({
      faults: [
        { kind: 'busy', api: '*' },
        { kind: 'busy', api: 'urlscheme.query' },
      ],
    }),
  ).not.toThrow();
});
