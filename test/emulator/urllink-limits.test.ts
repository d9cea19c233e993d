/**
 * URL Links share the schemes' generation limits (platform-rules §5, §8): one 100-calls-per-second
 * window and one 500k-a-day counter for both kinds; -604101 when the function did not declare them;
 * faults may target the urllink apis.
 */
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadFunction } from '../../emulator/src/run-function';
import { APP_JSON, FUNCTION_CONFIG, PASSTHROUGH, useEmulator, type SdkResult } from './support';

const link = (h: { fn: { invoke: (e: Record<string, unknown>) => Promise<SdkResult> } }) => h.fn.invoke({ api: 'urllink.generate' });
const scheme = (h: { fn: { invoke: (e: Record<string, unknown>) => Promise<SdkResult> } }) => h.fn.invoke({});

describe('one rate window for both generate apis → 44990', () => {
  const h = useEmulator({ ratePerSecond: 4 });

  it('refuses a URL Link once schemes used the second, and a scheme once URL Links did', async () => {
    for (let i = 0; i < 2; i++) await expect(scheme(h)).resolves.toMatchObject({ errCode: 0 });
    for (let i = 0; i < 2; i++) await expect(link(h)).resolves.toMatchObject({ errCode: 0 });
    await expect(link(h)).rejects.toMatchObject({
      errCode: 44990,
      errMsg: expect.stringMatching(/^openapi\.urllink\.generate:fail api freq out of limit rid: /),
    });
    await expect(scheme(h)).rejects.toMatchObject({ errCode: 44990 });
    h.clock.now += 1000; // the window slides past the burst
    await expect(link(h)).resolves.toMatchObject({ errCode: 0 });
  });

  it('does not count urllink.query calls', async () => {
    const { urlLink } = await link(h);
    for (let i = 0; i < 10; i++) await h.fn.invoke({ api: 'urllink.query', urlLink });
    for (let i = 0; i < 3; i++) await expect(link(h)).resolves.toMatchObject({ errCode: 0 });
    await expect(link(h)).rejects.toMatchObject({ errCode: 44990 });
  });

  it('admits 100 a second by default, whichever the kind', async () => {
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 3, now: () => h.clock.now });
    try {
      const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
      const calls = Array.from({ length: 104 }, (_, i) => fn.invoke(i % 2 ? { api: 'urllink.generate' } : {}));
      const results = await Promise.allSettled(calls);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
      expect(refused.map((e) => e.errCode)).toEqual([44990, 44990, 44990, 44990]);
    } finally {
      await emu.close();
    }
  });
});

describe('one daily cap for schemes and URL Links → 44993', () => {
  const h = useEmulator({ dailyCap: 4 });

  it('refuses either kind once the day’s mixed links are issued, until the next Beijing day', async () => {
    await scheme(h);
    await link(h);
    await scheme(h);
    await link(h);
    await expect(link(h)).rejects.toMatchObject({ errCode: 44993, errMsg: expect.stringContaining('reach max daily quota limit') });
    await expect(scheme(h)).rejects.toMatchObject({ errCode: 44993 });
    // T0 is 12:00 Beijing time: 12 h later it is 00:00 of the next day.
    h.clock.now += 12 * 3_600_000;
    await expect(link(h)).resolves.toMatchObject({ errCode: 0 });
  });

  it('counts only URL Links actually issued', async () => {
    for (let i = 0; i < 5; i++) await h.fn.invoke({ api: 'urllink.generate', path: 'pages/nope' }).catch(() => undefined);
    for (let i = 0; i < 2; i++) await expect(link(h)).resolves.toMatchObject({ errCode: 0 });
    for (let i = 0; i < 2; i++) await expect(scheme(h)).resolves.toMatchObject({ errCode: 0 });
    await expect(link(h)).rejects.toMatchObject({ errCode: 44993 });
  });
});

describe('permissions.openapi', () => {
  const emulators: Emulator[] = [];
  afterAll(() => Promise.all(emulators.map((e) => e.close())));

  async function withPermissions(permissions: string[]) {
    const emu = await startEmulator({ appJsonPath: APP_JSON, permissions });
    emulators.push(emu);
    return loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
  }

  it('-604101 for urllink.generate and urllink.query when only the scheme apis are declared', async () => {
    const fn = await withPermissions(['urlscheme.generate', 'urlscheme.query']);
    await expect(fn.invoke({ api: 'urllink.generate' })).rejects.toMatchObject({ errCode: -604101, errMsg: 'system error: error code: -604101' });
    await expect(fn.invoke({ api: 'urllink.query', urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA' })).rejects.toMatchObject({ errCode: -604101 });
    await expect(fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  });

  it('each urllink api needs its own declaration', async () => {
    const fn = await withPermissions(['urllink.generate']);
    const { urlLink } = await fn.invoke({ api: 'urllink.generate' });
    await expect(fn.invoke({ api: 'urllink.query', urlLink })).rejects.toMatchObject({ errCode: -604101 });
  });

  it('the genScheme function declares both (cloudfunctions/genScheme/config.json)', async () => {
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG });
    emulators.push(emu);
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    const { urlLink } = await fn.invoke({ api: 'urllink.generate' });
    await expect(fn.invoke({ api: 'urllink.query', urlLink })).resolves.toMatchObject({ errCode: 0 });
  });
});

describe('faults on the urllink apis', () => {
  const h = useEmulator();

  it('selects urllink.generate and urllink.query by name, counted apart from the scheme apis', async () => {
    h.emu.setFaults({
      faults: [
        { kind: 'busy', api: 'urllink.generate', on: [2] },
        { kind: 'errcode', errcode: 40002, api: 'urllink.query' },
      ],
    });
    await expect(scheme(h)).resolves.toMatchObject({ errCode: 0 });
    const { urlLink } = await link(h);
    await expect(link(h)).rejects.toMatchObject({ errCode: -1, errMsg: expect.stringMatching(/^openapi\.urllink\.generate:fail system error rid: /) });
    await expect(h.fn.invoke({ api: 'urllink.query', urlLink })).rejects.toMatchObject({ errCode: 40002 });
    expect(h.emu.calls.map((c) => c.fault)).toEqual([undefined, undefined, 'busy', 'errcode']);
  });

  it('refuses a misspelt urllink api', () => {
    expect(() => h.emu.setFaults({ faults: [{ kind: 'busy', api: 'urllink.generat' }] })).toThrow(/unknown api "urllink.generat"/);
  });
});
