/** -604101 for an api the function's config.json does not declare; what getWXContext() sees. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startEmulator, type Emulator } from '../../emulator/src';
import { applyFunctionEnv, loadFunction } from '../../emulator/src/run-function';
import { APP_JSON, PASSTHROUGH, useEmulator, type SdkResult } from './support';

describe('permissions.openapi of config.json', () => {
  let dir: string;
  const emulators: Emulator[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genscheme-emu-'));
  });
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function withConfig(config: unknown): Promise<Emulator> {
    const file = join(dir, `config-${emulators.length}.json`);
    if (config !== undefined) writeFileSync(file, JSON.stringify(config));
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: file });
    emulators.push(emu);
    return emu;
  }

  it('answers -604101 for an undeclared api, as production does', async () => {
    const emu = await withConfig({ permissions: { openapi: ['urlscheme.query'] } });
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    await expect(fn.invoke({})).rejects.toMatchObject({ errCode: -604101, errMsg: 'system error: error code: -604101' });
    expect(emu.calls[0]).toMatchObject({ apiName: 'urlscheme.generate', errcode: -604101, reason: expect.stringContaining('config.json') });
    await expect(fn.invoke({ api: 'query', scheme: 'weixin://dl/business/?t=AAAAAAAAAAAAAA' })).rejects.toMatchObject({ errCode: 85403 });
  });

  it('treats a missing config.json as declaring nothing', async () => {
    const emu = await withConfig(undefined);
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    await expect(fn.invoke({})).rejects.toMatchObject({ errCode: -604101 });
    expect(emu.calls[0].reason).toMatch(/config-\d+\.json not found, so urlscheme\.generate is not declared$/);
  });

  it('says so when config.json is not valid JSON, at start and in the call record', async () => {
    const file = join(dir, 'broken-config.json');
    writeFileSync(file, '{ "permissions": { "openapi": ["urlscheme.generate",] } }'); // a trailing comma
    const lines: string[] = [];
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: file, log: (line) => lines.push(line) });
    emulators.push(emu);
    expect(lines[0]).toMatch(/^warning: .*broken-config\.json is not valid JSON \(.+\); every openapi call will answer -604101$/);
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    await expect(fn.invoke({})).rejects.toMatchObject({ errCode: -604101 });
    expect(emu.calls[0].reason).toMatch(/broken-config\.json is not valid JSON .*, so urlscheme\.generate is not declared$/);
  });

  it('follows edits of config.json while running', async () => {
    const emu = await withConfig({ permissions: { openapi: [] } });
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    await expect(fn.invoke({})).rejects.toMatchObject({ errCode: -604101 });
    const file = join(dir, `config-${emulators.length - 1}.json`);
    writeFileSync(file, JSON.stringify({ permissions: { openapi: ['urlscheme.generate'] } }));
    await expect(fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  });

  it('takes a permissions list instead of a file', async () => {
    const emu = await startEmulator({ appJsonPath: APP_JSON, permissions: ['urlscheme.generate'] });
    emulators.push(emu);
    const fn = loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu);
    await expect(fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
    await expect(fn.invoke({ api: 'query', scheme: 'x' })).rejects.toMatchObject({ errCode: -604101 });
  });

  it('refuses to start without app.json', async () => {
    await expect(startEmulator({ appJsonPath: join(dir, 'nope.json') })).rejects.toThrow(/not found/);
  });
});

describe('cloud.getWXContext() in the function', () => {
  const h = useEmulator();
  const context = (caller?: Parameters<typeof h.fn.invoke>[1]) => h.fn.invoke({ api: 'context' }, caller);

  it('reports a mini-program caller, CLIENTIP and SOURCE included', async () => {
    await expect(
      context({ openid: 'oUser1', unionid: 'uUnion1', source: 'wx_client', clientIp: '203.0.113.9', clientIpV6: '::ffff:203.0.113.9' }),
    ).resolves.toEqual({
      OPENID: 'oUser1',
      APPID: 'wx0123456789abcdef',
      UNIONID: 'uUnion1',
      CLIENTIP: '203.0.113.9',
      CLIENTIPV6: '::ffff:203.0.113.9',
      SOURCE: 'wx_client',
      ENV: 'genscheme-local',
    });
  });

  it('returns {} with no caller, like a console test call', async () => {
    await context({ openid: 'oUser1' }); // a previous caller must not leak into the next call
    await expect(context()).resolves.toEqual({});
  });

  it('has no OPENID for a caller without one (e.g. a web page)', async () => {
    await context({ openid: 'oUser1' });
    await expect(context({ source: 'web', clientIp: '198.51.100.2', env: 'other-env' })).resolves.toEqual({
      SOURCE: 'web',
      CLIENTIP: '198.51.100.2',
      ENV: 'other-env',
    });
  });

  it('functionEnv() points the SDK at the emulator and switches off the metadata probe', () => {
    expect(h.emu.functionEnv()).toEqual({
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: h.emu.url }),
      TENCENTCLOUD_SECRETID: expect.any(String),
      TENCENTCLOUD_SECRETKEY: expect.any(String),
      SCF_NAMESPACE: 'genscheme-local',
      TENCENTCLOUD: 'true',
      SILENCE: 'true',
    });
    expect(h.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin$/);
  });

  it('ignores CloudBase variables of the developer’s shell that would mislead the SDK', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { TCB_ENV: 'prod-env', TENCENTCLOUD_RUNENV: 'SCF', TCB_CONTEXT_KEYS: 'TCB_ENV' });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(context({ openid: 'oUser1' })).resolves.toMatchObject({ OPENID: 'oUser1', ENV: 'genscheme-local' });
      await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
      expect(errors).not.toHaveBeenCalled(); // e.g. "[TCB][ERROR] missing `TENCENTCLOUD_REGION` environment"
    } finally {
      errors.mockRestore();
      process.env = saved;
    }
  });

  it('applyFunctionEnv() removes the previous caller’s variables', () => {
    applyFunctionEnv(h.emu.functionEnv({ openid: 'o1', source: 'wx_client' }));
    expect(process.env.WX_OPENID).toBe('o1');
    applyFunctionEnv(h.emu.functionEnv());
    expect(process.env.WX_OPENID).toBeUndefined();
    expect(process.env.TCB_SOURCE).toBeUndefined();
    expect(process.env.WX_CONTEXT_KEYS).toBeUndefined();
  });
});
