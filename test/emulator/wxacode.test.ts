/**
 * wxacode.getUnlimited (platform-rules §12) and cloud storage, through the real wx-server-sdk:
 * the image reply, the rules checked before one is drawn, and upload / temporary URL / download.
 */
import jsQR from 'jsqr';
import { decodePng, isPng } from '../../emulator/src';
import { useEmulator } from './support';

const h = useEmulator();

function readQr(png: Buffer): Record<string, unknown> {
  const image = decodePng(png);
  const found = jsQR(new Uint8ClampedArray(image.rgba), image.width, image.height);
  if (!found) throw new Error('no QR code in the image');
  return JSON.parse(found.data) as Record<string, unknown>;
}

async function expectErrcode(request: Record<string, unknown>, errcode: number): Promise<void> {
  await expect(h.fn.invoke({ api: 'wxacode.getUnlimited', ...request })).rejects.toMatchObject({ errCode: errcode });
}

describe('wxacode.getUnlimited', () => {
  test('answers a PNG the SDK hands back as { contentType, buffer }; it encodes scene, page and env_version', async () => {
    const result = await h.fn.invoke({
      api: 'wxacode.getUnlimited',
      scene: 'l=spring-sms',
      page: 'pages/product/detail',
      checkPath: true,
      envVersion: 'trial',
      width: 430,
    });
    expect(result).toMatchObject({ contentType: 'image/png', errCode: 0, errMsg: 'openapi.wxacode.getUnlimited:ok' });
    expect(Buffer.isBuffer(result.buffer)).toBe(true);
    expect(isPng(result.buffer)).toBe(true);
    const image = decodePng(result.buffer);
    expect([image.width, image.height]).toEqual([430, 430]);
    expect(readQr(result.buffer)).toEqual({ scene: 'l=spring-sms', page: 'pages/product/detail', env_version: 'trial', appid: h.emu.appid });
    // On the wire: snake_case keys, as the SDK converts them.
    expect(h.emu.calls[0]).toMatchObject({
      apiName: 'wxacode.getUnlimited',
      errcode: 0,
      request: { scene: 'l=spring-sms', check_path: true, env_version: 'trial' },
    });
  });

  test('no page = the home page; line_color and is_hyaline are drawn', async () => {
    const result = await h.fn.invoke({ api: 'wxacode.getUnlimited', scene: 'a', lineColor: { r: 200, g: 0, b: 0 }, isHyaline: true, width: 280 });
    expect(readQr(result.buffer).page).toBe('pages/index/index');
    const { rgba } = decodePng(result.buffer);
    const pixels = Array.from({ length: rgba.length / 4 }, (_, i) => Array.from(rgba.subarray(i * 4, i * 4 + 4)).join(','));
    expect(new Set(pixels)).toEqual(new Set(['200,0,0,255', '255,255,255,0']));
  });

  test.each([
    ['a scene of 33 characters', { scene: 'x'.repeat(33) }, 40169],
    ['a % in the scene (URL-encoded Chinese)', { scene: 'l=%E4%B8%AD' }, 40169],
    ['a space in the scene', { scene: 'a b' }, 40169],
    ['no scene', {}, 40169],
    ['a page not in app.json', { scene: 'a', page: 'pages/nope/index' }, 41030],
    ['a page with a leading /', { scene: 'a', page: '/pages/index/index' }, 41030],
    ['a page with a query', { scene: 'a', page: 'pages/index/index?x=1' }, 41030],
    ['an empty env_version', { scene: 'a', envVersion: '' }, 40097],
    ['env_version "prod"', { scene: 'a', envVersion: 'prod' }, 40097],
    ['width 279', { scene: 'a', width: 279 }, 40097],
    ['width 1281', { scene: 'a', width: 1281 }, 40097],
  ])('refuses %s with a JSON reply (%#)', async (_name, request, errcode) => {
    await expectErrcode(request, errcode);
    expect(h.emu.calls[0].errcode).toBe(errcode);
  });

  test('32 characters of the full allowed set pass; check_path: false lets an unpublished page through', async () => {
    const scene = "aZ09!#$&'()*+,/:;=?@-._~" + 'abcdefgh';
    expect(scene).toHaveLength(32);
    const result = await h.fn.invoke({ api: 'wxacode.getUnlimited', scene, page: 'pages/new/index', checkPath: false });
    expect(readQr(result.buffer)).toMatchObject({ scene, page: 'pages/new/index', env_version: 'release' });
  });

  test('more calls in a minute than the limit (5,000; 2 here): 45009', async () => {
    const { startEmulator } = await import('../../emulator/src');
    const { DEFAULTS } = await import('../../emulator/src');
    expect(DEFAULTS.wxacodePerMinute).toBe(5000);
    const small = await startEmulator({
      appJsonPath: 'miniprogram/app.json',
      functionConfigPath: 'cloudfunctions/genScheme/config.json',
      wxacodePerMinute: 2,
      now: () => h.clock.now,
    });
    const { applyFunctionEnv } = await import('../../emulator/src/run-function');
    try {
      const call = () => {
        applyFunctionEnv(small.functionEnv());
        return h.fn.main({ api: 'wxacode.getUnlimited', scene: 'a', width: 280 }, {} as never);
      };
      await call();
      await call();
      await expect(call()).rejects.toMatchObject({ errCode: 45009 });
      h.clock.now += 60_000;
      await expect(call()).resolves.toMatchObject({ errCode: 0 });
    } finally {
      await small.close();
    }
  });

  test('without the permission in config.json: -604101', async () => {
    const { startEmulator } = await import('../../emulator/src');
    const bare = await startEmulator({ appJsonPath: 'miniprogram/app.json', permissions: ['urlscheme.generate'] });
    try {
      const { loadFunction } = await import('../../emulator/src/run-function');
      // The passthrough is loaded once per module registry: point it at the bare emulator by env.
      const fn = loadFunction<Record<string, unknown>, Record<string, unknown>>(require.resolve('./fixtures/passthrough-function/index.js'), bare);
      await expect(fn.invoke({ api: 'wxacode.getUnlimited', scene: 'a' })).rejects.toMatchObject({ errCode: -604101 });
    } finally {
      await bare.close();
    }
  });
});

describe('cloud storage', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

  test('uploadFile → fileID; getTempFileURL → a URL that serves the bytes; downloadFile → the bytes', async () => {
    const uploaded = await h.fn.invoke({ api: 'uploadFile', cloudPath: 'genscheme/codes/spring-sms.png', base64: png.toString('base64') });
    expect(uploaded).toMatchObject({ errMsg: 'uploadFile:ok' });
    expect(uploaded.fileID).toMatch(/^cloud:\/\/genscheme-local\.[0-9a-z-]+\/genscheme\/codes\/spring-sms\.png$/);
    expect(h.emu.storage.list()).toEqual([
      expect.objectContaining({ fileID: uploaded.fileID, cloudPath: 'genscheme/codes/spring-sms.png', size: png.length, contentType: 'image/png' }),
    ]);
    expect(h.emu.storage.get(uploaded.fileID)?.bytes.equals(png)).toBe(true);

    const temp = await h.fn.invoke({ api: 'getTempFileURL', fileList: [uploaded.fileID] });
    expect(temp.fileList).toEqual([expect.objectContaining({ fileID: uploaded.fileID, status: 0, errMsg: 'ok' })]);
    const served = await fetch(temp.fileList[0].tempFileURL);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    const downloaded = await h.fn.invoke({ api: 'downloadFile', fileID: uploaded.fileID });
    expect(Buffer.from(downloaded.base64, 'base64').equals(png)).toBe(true);
    expect(h.emu.storage.calls.map((c) => c.action)).toEqual([
      'storage.getUploadMetadata',
      'cos.put',
      'storage.batchGetDownloadUrl',
      'cos.get',
      'storage.batchGetDownloadUrl',
      'cos.get',
    ]);
  });

  test('the same cloudPath again replaces the file under the same fileID', async () => {
    const first = await h.fn.invoke({ api: 'uploadFile', cloudPath: 'a/b.png', base64: 'AAAA' });
    const second = await h.fn.invoke({ api: 'uploadFile', cloudPath: 'a/b.png', base64: png.toString('base64') });
    expect(second.fileID).toBe(first.fileID);
    expect(h.emu.storage.list()).toHaveLength(1);
    expect(h.emu.storage.get('a/b.png')?.size).toBe(png.length);
  });

  test('an unknown fileID: getTempFileURL reports it per file; downloadFile fails', async () => {
    const fileID = `cloud://genscheme-local.x/none.png`;
    const temp = await h.fn.invoke({ api: 'getTempFileURL', fileList: [fileID] });
    expect(temp.fileList[0]).toMatchObject({ fileID, tempFileURL: '', status: -503003 });
    await expect(h.fn.invoke({ api: 'downloadFile', fileID })).rejects.toBeDefined();
  });

  test('the control route lists files and serves their bytes', async () => {
    const { fileID } = await h.fn.invoke({ api: 'uploadFile', cloudPath: 'c.png', base64: png.toString('base64') });
    const origin = h.emu.url.replace(/\/admin$/, '');
    const list = (await (await fetch(`${origin}/__emulator/storage`)).json()) as Array<{ fileID: string }>;
    expect(list.map((f) => f.fileID)).toEqual([fileID]);
    const bytes = Buffer.from(await (await fetch(`${origin}/__emulator/storage/file?fileID=${encodeURIComponent(fileID)}`)).arrayBuffer());
    expect(bytes.equals(png)).toBe(true);
    expect((await fetch(`${origin}/__emulator/storage/file?path=none`)).status).toBe(404);
  });

  test('reset() forgets the files', async () => {
    await h.fn.invoke({ api: 'uploadFile', cloudPath: 'd.png', base64: 'AAAA' });
    h.emu.reset();
    expect(h.emu.storage.list()).toEqual([]);
  });
});
