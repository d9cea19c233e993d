/**
 * 活码 end to end (issue 19): the built function's real exports.main, the real wx-server-sdk, the
 * emulator's wxacode.getUnlimited, cloud storage and database (GENSCHEME_STATE=database); a second
 * instance in its own process (test/support/instances.ts).
 */
import jsQR from 'jsqr';
import type {
  CreateLinkReply,
  ErrorReply,
  GenSchemeReply,
  LandedReply,
  LinkCodeReply,
  LinkStatsReply,
  UpdateLinkReply,
} from '../../miniprogram/shared/contract';
import { decodePng, startEmulator, type Emulator } from '../../emulator/src';
import { loadWithEnv } from '../support/function';
import { startInstances } from '../support/instances';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'code-e2e-Qw7Lp2Zx9Rk4Mn8Tv';
const ENV = { GENSCHEME_STATE: 'database', GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN, GENSCHEME_STATE_SECRET: 'code-e2e-secret' };
const ADMIN = { adminToken: ADMIN_TOKEN };
const USER = { openid: 'oScanner1', source: 'wx_client' };
const PUBLIC = { source: 'wx_http', clientIp: '198.51.100.7' };

let emulator: Emulator;
let fn: ReturnType<typeof loadWithEnv>;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 19 });
  fn = loadWithEnv(emulator, ENV);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const err = (r: GenSchemeReply) => r as ErrorReply;
const codeCalls = () => emulator.calls.filter((c) => c.apiName === 'wxacode.getUnlimited');
const uploads = () => emulator.storage.calls.filter((c) => c.action === 'cos.put');
const create = async (code: string, path = 'pages/product/detail', query = 'id=42') =>
  (await fn.invoke({ action: 'createLink', ...ADMIN, code, jumpWxa: { path, query } })) as CreateLinkReply;

function qrOf(png: Buffer): Record<string, unknown> {
  const image = decodePng(png);
  const found = jsQR(new Uint8ClampedArray(image.rgba), image.width, image.height);
  if (!found) throw new Error('no QR code in the image');
  return JSON.parse(found.data) as Record<string, unknown>;
}

describe('linkCode', () => {
  it('makes one code (scene l=CODE, the router page of the app), stores it and returns its fileID; another instance asking again makes no WeChat call and no upload', async () => {
    expect((await create('spring-qr')).errcode).toBe(0);
    const made = (await fn.invoke({ action: 'linkCode', code: 'spring-qr', ...ADMIN })) as LinkCodeReply;
    expect(made).toMatchObject({
      errcode: 0,
      action: 'linkCode',
      code: 'spring-qr',
      scene: 'l=spring-qr',
      page: 'pages/code/index',
      envVersion: 'release',
      width: 430,
      reused: false,
    });
    expect(made.fileID).toMatch(/^cloud:\/\/genscheme-local\.[\w-]+\/genscheme\/codes\/spring-qr\.png$/);

    // The call WeChat got, and the image it answered, now in storage under that fileID.
    expect(codeCalls()).toHaveLength(1);
    expect(codeCalls()[0]).toMatchObject({
      errcode: 0,
      request: { scene: 'l=spring-qr', page: 'pages/code/index', check_path: true, env_version: 'release', width: 430 },
    });
    const stored = emulator.storage.get(made.fileID)!;
    expect(stored).toMatchObject({ cloudPath: 'genscheme/codes/spring-qr.png', contentType: 'image/png' });
    expect(qrOf(stored.bytes)).toEqual({ scene: 'l=spring-qr', page: 'pages/code/index', env_version: 'release', appid: emulator.appid });
    // The temporary URL serves the same bytes.
    const served = Buffer.from(await (await fetch(made.tempFileURL)).arrayBuffer());
    expect(served.equals(stored.bytes)).toBe(true);
    // The fileID is kept on the link's document.
    const [doc] = emulator.database.collection('genscheme_stable_links')!;
    expect(doc.linkCode).toMatchObject({ fileID: made.fileID, scene: 'l=spring-qr', width: 430 });

    const { instances, stop } = await startInstances(emulator, 1, ENV);
    try {
      const again = (await instances[0].invoke({ action: 'linkCode', code: 'spring-qr', ...ADMIN })) as LinkCodeReply;
      expect(again).toMatchObject({ errcode: 0, fileID: made.fileID, reused: true });
      expect(again.tempFileURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__cos\/genscheme\/codes\/spring-qr\.png/);
      expect(codeCalls()).toHaveLength(1);
      expect(uploads()).toHaveLength(1);
      // refresh: true makes a new one, under the same file.
      const fresh = (await instances[0].invoke({ action: 'linkCode', code: 'spring-qr', refresh: true, ...ADMIN })) as LinkCodeReply;
      expect(fresh).toMatchObject({ errcode: 0, fileID: made.fileID, reused: false });
      expect(codeCalls()).toHaveLength(2);
      expect(uploads()).toHaveLength(2);
    } finally {
      await stop();
    }
  });

  it('public callers and mini-program users are refused, before any call', async () => {
    await create('closed-qr');
    for (const caller of [PUBLIC, USER]) {
      expect(err(await fn.invoke({ action: 'linkCode', code: 'closed-qr' }, caller))).toMatchObject({ errcode: -900010, rule: 'policy.action' });
    }
    expect(codeCalls()).toHaveLength(0);
    expect(emulator.storage.list()).toHaveLength(0);
  });

  it("WeChat's JSON refusal is answered with the catalogue's words, and nothing is stored", async () => {
    await create('refused-qr');
    emulator.setFaults({ faults: [{ api: 'wxacode.getUnlimited', kind: 'errcode', errcode: 45009 }] });
    const refused = err(await fn.invoke({ action: 'linkCode', code: 'refused-qr', ...ADMIN }));
    expect(refused).toMatchObject({ errcode: 45009, source: 'wechat', retryable: false });
    expect(refused.message.en).toContain('5,000');
    expect(emulator.storage.list()).toHaveLength(0);
    const [doc] = emulator.database.collection('genscheme_stable_links')!;
    expect(doc.linkCode).toBeUndefined();
  });

  it('a code too long for a scene is refused with 40169 before any call', async () => {
    const long = 'a'.repeat(31);
    await create(long);
    expect(err(await fn.invoke({ action: 'linkCode', code: long, ...ADMIN }))).toMatchObject({ errcode: 40169, source: 'input', rule: 'wxacode.scene' });
    expect(codeCalls()).toHaveLength(0);
  });
});

describe('a scan is an open', () => {
  it("landed with scene 1047 and the code's scene counts one open and answers the target; after updateLink the same code leads to the new target", async () => {
    await create('scan-me', 'pages/product/detail', 'id=42');
    const made = (await fn.invoke({ action: 'linkCode', code: 'scan-me', ...ADMIN })) as LinkCodeReply;
    // What the phone reads from the printed code, passed the way WeChat passes it (options.scene, URL-encoded).
    const { scene } = qrOf(emulator.storage.get(made.fileID)!.bytes) as { scene: string };
    const scan = async () => (await fn.invoke({ action: 'landed', scene: 1047, query: { scene: encodeURIComponent(scene) } }, USER)) as LandedReply;

    expect(await scan()).toMatchObject({ errcode: 0, counted: true, code: 'scan-me', path: 'pages/product/detail', query: 'id=42' });
    const moved = (await fn.invoke({
      action: 'updateLink',
      code: 'scan-me',
      jumpWxa: { path: 'pages/order/list', query: 'status=paid' },
      ...ADMIN,
    })) as UpdateLinkReply;
    expect(moved.errcode).toBe(0);
    // The same user again within 30 minutes: one session, not another open — but the new target.
    expect(await scan()).toMatchObject({ counted: false, reason: 'session', path: 'pages/order/list', query: 'status=paid' });
    const stats = (await fn.invoke({ action: 'linkStats', code: 'scan-me', days: 1, ...ADMIN })) as LinkStatsReply;
    expect(stats.days[0]).toMatchObject({ opens: 1, openers: 1, visits: 0 });
    expect(codeCalls()).toHaveLength(1); // the printed code stayed the same

    await fn.invoke({ action: 'updateLink', code: 'scan-me', disabled: true, ...ADMIN });
    const off = err(await scan());
    expect(off).toMatchObject({ errcode: -900031, rule: 'link.disabled' });
    expect(off.message.zh).toContain('停用');
    expect(err(await fn.invoke({ action: 'landed', scene: 1047, query: { scene: 'l%3Dno-such' } }, USER))).toMatchObject({ errcode: -900030 });
  });
});
