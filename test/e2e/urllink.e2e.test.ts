/**
 * URL Links end to end (issue 14, platform-rules §8): the built function's real exports.main, the
 * real wx-server-sdk, the emulator's urllink.generate / urllink.query. Every rule a request breaks
 * is refused by the function itself: the emulator must see no request at all.
 */
import type { ErrorReply, GenSchemeReply, QueryReply, UrlLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadWithEnv } from '../support/function';

const TRUSTED = { source: 'wx_client,scf' };
const USER = { openid: 'oUser-urllink-1', source: 'wx_client' };
const URL_LINK = /^https:\/\/wxaurl\.cn\/[0-9A-Za-z]+$/;
const nowS = () => Math.floor(Date.now() / 1000);

let emulator: Emulator;
let fn: ReturnType<typeof loadWithEnv>;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 14 });
  fn = loadWithEnv(emulator);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const err = (r: GenSchemeReply) => r as ErrorReply;

describe('urllink: generated through urllink.generate', () => {
  it("genScheme's shape (jumpWxa) gives an https://wxaurl.cn/ link; the gateway got the flat snake_case request", async () => {
    const reply = (await fn.invoke(
      { action: 'urllink', jumpWxa: { path: '/pages/product/detail', query: 'id=42', envVersion: 'release' }, expireInterval: 7 },
      USER,
    )) as UrlLinkReply;
    expect(reply).toMatchObject({ errcode: 0, errmsg: 'ok', action: 'urllink', attempts: 1, warnings: [] });
    expect(reply.urlLink).toMatch(URL_LINK);
    expect(Math.abs(reply.expireTime - (nowS() + 7 * 86400))).toBeLessThanOrEqual(2);
    expect(reply.expireAt).toBe(new Date(reply.expireTime * 1000).toISOString());
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]).toMatchObject({
      apiName: 'urllink.generate',
      errcode: 0,
      request: { path: 'pages/product/detail', query: 'id=42', env_version: 'release', is_expire: true, expire_type: 1, expire_interval: 7 },
    });
    expect(emulator.calls[0].request).not.toHaveProperty('jump_wxa');
  });

  it("the doc's flat shape in snake_case works as a console event", async () => {
    const expireTime = nowS() + 3 * 86400;
    const reply = (await fn.invoke(
      { action: 'urllink', path: 'pages/order/list', query: 'status=paid', env_version: 'release', is_expire: true, expire_type: 0, expire_time: expireTime },
      TRUSTED,
    )) as UrlLinkReply;
    expect(reply).toMatchObject({ errcode: 0, action: 'urllink', expireTime });
    expect(emulator.calls[0].request).toMatchObject({
      path: 'pages/order/list',
      query: 'status=paid',
      env_version: 'release',
      expire_type: 0,
      expire_time: expireTime,
    });
  });

  it('the flat shape in camelCase, and nothing at all (home page, 30 days, said so)', async () => {
    const flat = (await fn.invoke({ action: 'urllink', path: 'pages/index/index', envVersion: 'release', expireInterval: 1 }, USER)) as UrlLinkReply;
    expect(flat.errcode).toBe(0);
    const bare = (await fn.invoke({ action: 'urllink' }, USER)) as UrlLinkReply;
    expect(bare.errcode).toBe(0);
    expect(bare.warnings.map((w) => w.code)).toContain('expiry.defaulted');
    expect(emulator.calls[1].request).toMatchObject({ expire_type: 1, expire_interval: 30 });
  });

  it('cq is joined with ?cq= (not &cq=), and the link with its cq can be queried', async () => {
    const reply = (await fn.invoke({ action: 'urllink', path: 'pages/product/detail', query: 'id=7', cq: 'from=sms&batch=3' }, USER)) as UrlLinkReply;
    expect(reply.errcode).toBe(0);
    expect(reply.urlLink).toMatch(/^https:\/\/wxaurl\.cn\/[0-9A-Za-z]+\?cq=from%3Dsms%26batch%3D3$/);
    expect(reply.urlLink).not.toContain('&cq=');
    const q = (await fn.invoke({ action: 'query', scheme: reply.urlLink }, USER)) as QueryReply;
    expect(q).toMatchObject({
      errcode: 0,
      action: 'query',
      kind: 'urllink',
      scheme: reply.urlLink,
      path: 'pages/product/detail',
      query: 'id=7',
      envVersion: 'release',
      expired: false,
    });
  });

  it('cloud_base is passed on when valid', async () => {
    const reply = (await fn.invoke(
      {
        action: 'urllink',
        path: 'pages/index/index',
        cloud_base: { env: 'prod-4g5h6j7k8l', domain: 'm.example.com', path: '/jump.html', query: 'a=1', resource_appid: 'wx0123456789abcdef' },
      },
      TRUSTED,
    )) as UrlLinkReply;
    expect(reply.errcode).toBe(0);
    expect(emulator.calls[0].request).toMatchObject({
      cloud_base: { env: 'prod-4g5h6j7k8l', domain: 'm.example.com', path: '/jump.html', query: 'a=1', resource_appid: 'wx0123456789abcdef' },
    });
  });
});

describe('query understands URL Links', () => {
  it('scheme: https://wxaurl.cn/… → urllink.query; urlLink / url_link accepted too; schemes say kind: "scheme"', async () => {
    const made = (await fn.invoke(
      { action: 'urllink', jumpWxa: { path: 'pages/order/list', query: 'status=paid' }, expireInterval: 2 },
      TRUSTED,
    )) as UrlLinkReply;
    const viaScheme = (await fn.invoke({ action: 'query', scheme: made.urlLink }, TRUSTED)) as QueryReply;
    expect(viaScheme).toMatchObject({ errcode: 0, kind: 'urllink', path: 'pages/order/list', query: 'status=paid', envVersion: 'release', expired: false });
    expect(Math.abs(viaScheme.expireTime - made.expireTime)).toBeLessThanOrEqual(2);
    expect(viaScheme.createTime).toBeGreaterThan(0);
    const last = emulator.calls[emulator.calls.length - 1];
    expect(last).toMatchObject({ apiName: 'urllink.query', errcode: 0, request: { url_link: made.urlLink, query_type: 0 } });
    expect((await fn.invoke({ action: 'query', urlLink: made.urlLink }, TRUSTED)) as QueryReply).toMatchObject({ errcode: 0, kind: 'urllink' });
    expect((await fn.invoke({ action: 'query', url_link: made.urlLink }, TRUSTED)) as QueryReply).toMatchObject({ errcode: 0, kind: 'urllink' });

    const scheme = await fn.invoke({ action: 'generate', jumpWxa: { path: 'pages/index/index' } }, TRUSTED);
    const sq = (await fn.invoke({ action: 'query', scheme: (scheme as { openlink: string }).openlink }, TRUSTED)) as QueryReply;
    expect(sq).toMatchObject({ errcode: 0, kind: 'scheme' });
  });

  it('the wxmpurl.cn host is accepted (§12)', async () => {
    const made = (await fn.invoke({ action: 'urllink' }, TRUSTED)) as UrlLinkReply;
    const other = made.urlLink.replace('wxaurl.cn', 'wxmpurl.cn');
    expect((await fn.invoke({ action: 'query', scheme: other }, TRUSTED)).errcode).toBe(0);
  });

  it('an unknown URL Link is 85403', async () => {
    const reply = err(await fn.invoke({ action: 'query', scheme: 'https://wxaurl.cn/NoSuchTicket1' }, TRUSTED));
    expect(reply).toMatchObject({ errcode: 85403, source: 'wechat', field: 'scheme' });
  });

  it.each([
    ['http://wxaurl.cn/abc123', 40097],
    ['https://wxaurl.cn/', 40097],
    ['https://wxaurl.cn/abc/def', 40097],
    ['https://wxaurl.cn/abc123&cq=a', 40097],
    ['https://wxaurl.cn/abc123?x=1', 40097],
    ['https://wxaurl.cn/abc123?cq=%E4%B8%AD', 40212],
    ['https://wxaurl.cn/abc123?cq=%ZZ', 40212],
    ['https://evil.wxaurl.cn.example/abc', 40097],
  ])('a malformed link %s is refused locally (%d) with no call', async (link, errcode) => {
    const reply = err(await fn.invoke({ action: 'query', scheme: link }, TRUSTED));
    expect(reply).toMatchObject({ errcode, source: 'input' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('&cq= on a URL Link: the hint says ?cq=', async () => {
    const reply = err(await fn.invoke({ action: 'query', urlLink: 'https://wxaurl.cn/abc123&cq=a' }, TRUSTED));
    expect(reply.hint.en).toContain('?cq=');
    expect(reply.field).toBe('urlLink');
  });

  it('scheme and urlLink together, or neither, is an error', async () => {
    expect(err(await fn.invoke({ action: 'query', scheme: 'https://wxaurl.cn/a1', urlLink: 'https://wxaurl.cn/a1' }, TRUSTED)).rule).toBe('query.twoLinks');
    expect(err(await fn.invoke({ action: 'query' }, TRUSTED))).toMatchObject({ rule: 'event.required', field: 'scheme' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('a user sees only URL Links in its scope: a develop one reads as not found', async () => {
    const dev = (await fn.invoke({ action: 'urllink', path: 'pages/index/index', env_version: 'develop' }, TRUSTED)) as UrlLinkReply;
    expect(dev.errcode).toBe(0);
    const asUser = err(await fn.invoke({ action: 'query', scheme: dev.urlLink }, USER));
    expect(asUser).toMatchObject({ errcode: 85403, rule: 'wechat.85403' });
    expect((await fn.invoke({ action: 'query', scheme: dev.urlLink }, TRUSTED)).errcode).toBe(0);
  });
});

describe('urllink: every broken rule is refused before any call', () => {
  const future = () => nowS() + 86400;
  it.each<[string, Record<string, unknown>, number, string]>([
    ['path not in app.json', { path: 'pages/missing/page' }, 40165, 'path'],
    ['path not in app.json (jumpWxa)', { jumpWxa: { path: 'pages/missing/page' } }, 40165, 'jumpWxa.path'],
    ['path with ?', { path: 'pages/index/index?x=1' }, 40165, 'path'],
    ['query 1025 chars', { query: 'q=' + 'a'.repeat(1023) }, 40212, 'query'],
    ['query with a space', { query: 'a=b c' }, 40212, 'query'],
    ['query with Chinese', { jumpWxa: { query: 'name=张三' } }, 40212, 'jumpWxa.query'],
    ['bad env_version', { env_version: 'Release' }, 85402, 'env_version'],
    ['bad envVersion in jumpWxa', { jumpWxa: { env_version: 'prod' } }, 85402, 'jumpWxa.env_version'],
    ['expireInterval 31', { expireInterval: 31 }, 85401, 'expireInterval'],
    ['expire_interval 0', { expire_interval: 0 }, 85401, 'expire_interval'],
    ['expireTime past', { expireTime: 1606737600 }, 85401, 'expireTime'],
    ['expireTime beyond 30 days', { expireTime: nowS() + 31 * 86400 }, 85401, 'expireTime'],
    ['days in expireTime', { expire_time: 7 }, 85401, 'expire_time'],
    ['milliseconds in expireTime', { expireTime: Date.now() + 86_400_000 }, 85401, 'expireTime'],
    ['expireTime with expireInterval', { expireTime: future(), expireInterval: 3 }, -900003, 'expireInterval'],
    ['cq with a space', { cq: 'a b' }, 40212, 'cq'],
    ['cq over 256', { cq: 'x'.repeat(257) }, 40212, 'cq'],
    ['cloud_base without env', { cloud_base: { path: '/jump.html' } }, -900003, 'cloud_base.env'],
    ['cloud_base env as a display name', { cloud_base: { env: '我的环境' } }, -900003, 'cloud_base.env'],
    ['cloud_base env too short', { cloudBase: { env: 'ab' } }, -900003, 'cloudBase.env'],
    ['cloud_base path with ?', { cloud_base: { env: 'prod-4g5h6j7k8l', path: '/jump.html?x=1' } }, -900003, 'cloud_base.path'],
    ['cloud_base query over 1024', { cloud_base: { env: 'prod-4g5h6j7k8l', query: 'q'.repeat(1025) } }, 40212, 'cloud_base.query'],
    ['cloud_base query charset', { cloud_base: { env: 'prod-4g5h6j7k8l', query: 'a=中' } }, 40212, 'cloud_base.query'],
    ['cloud_base domain with scheme', { cloud_base: { env: 'prod-4g5h6j7k8l', domain: 'https://m.example.com' } }, -900003, 'cloud_base.domain'],
    ['cloud_base resource_appid', { cloud_base: { env: 'prod-4g5h6j7k8l', resource_appid: 'wx123' } }, -900003, 'cloud_base.resource_appid'],
    ['cloud_base unknown key', { cloud_base: { env: 'prod-4g5h6j7k8l', evn: 'x' } }, -900002, 'cloud_base.evn'],
    ['cloud_base not a string', { cloud_base: { env: 12345678 } }, 47001, 'cloud_base.env'],
    ['cloud_base not an object', { cloud_base: 'prod-4g5h6j7k8l' }, 47001, 'cloud_base'],
    ['jumpWxa and flat path', { jumpWxa: { path: 'pages/index/index' }, path: 'pages/index/index' }, -900003, 'path'],
    ['unknown field', { expire_intervel: 3 }, -900002, 'expire_intervel'],
    ['number as string', { expire_interval: '7' }, 47001, 'expire_interval'],
  ])('%s', async (_name, fields, errcode, field) => {
    const reply = err(await fn.invoke({ action: 'urllink', ...fields }, TRUSTED));
    expect(reply).toMatchObject({ errcode, field, action: 'urllink', source: 'input' });
    expect(reply.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(reply.hint.en.length).toBeGreaterThan(3);
    expect(emulator.calls).toHaveLength(0);
  });

  it('giving both shapes names both fields', async () => {
    const reply = err(await fn.invoke({ action: 'urllink', jump_wxa: { path: 'pages/index/index' }, query: 'a=1' }, TRUSTED));
    expect(reply.message.en).toContain('jump_wxa');
    expect(reply.message.en).toContain('query');
  });

  it("generate's behaviour is unchanged: env_version at the top is still 47001 there", async () => {
    expect(err(await fn.invoke({ env_version: 'release' }, TRUSTED))).toMatchObject({ errcode: 47001, rule: 'event.envVersionAtTop' });
    expect(err(await fn.invoke({ path: 'pages/index/index' }, TRUSTED))).toMatchObject({ rule: 'event.unknownField' });
    expect(emulator.calls).toHaveLength(0);
  });
});

describe('urllink under the policy and the platform limits', () => {
  it('a user cannot make a develop URL Link, with nothing sent; a trusted caller can', async () => {
    const denied = err(await fn.invoke({ action: 'urllink', path: 'pages/index/index', env_version: 'develop' }, USER));
    expect(denied).toMatchObject({ errcode: -900010, source: 'policy', rule: 'policy.envVersion', field: 'env_version', action: 'urllink' });
    expect(emulator.calls).toHaveLength(0);
    expect((await fn.invoke({ action: 'urllink', jumpWxa: { envVersion: 'develop' } }, TRUSTED)).errcode).toBe(0);
  });

  it('a policy without urllink refuses it', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify({ user: { actions: ['generate'] } }) });
    expect(err(await f.invoke({ action: 'urllink' }, USER))).toMatchObject({ rule: 'policy.action', action: 'urllink' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('44990 from WeChat is retried after a pause (paced like generate)', async () => {
    emulator.setFaults({ faults: [{ kind: 'errcode', errcode: 44990, on: [1], api: 'urllink.generate' }] });
    const reply = (await fn.invoke({ action: 'urllink' }, TRUSTED, { time_limit_in_ms: 5000 })) as UrlLinkReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 2 });
    expect(emulator.calls.map((c) => c.errcode)).toEqual([44990, 0]);
  });

  it('-1 is retried with backoff', async () => {
    emulator.setFaults({ faults: [{ kind: 'busy', on: [1, 2], api: 'urllink.generate' }] });
    const reply = (await fn.invoke({ action: 'urllink' }, TRUSTED)) as UrlLinkReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 3 });
  });

  it('the daily cap (shared with schemes) maps to 44993, not retried', async () => {
    const capped = await startEmulator({ seed: 15, dailyCap: 1 });
    try {
      const f = loadWithEnv(capped);
      expect((await f.invoke({ action: 'generate' }, TRUSTED)).errcode).toBe(0);
      const reply = err(await f.invoke({ action: 'urllink' }, TRUSTED));
      expect(reply).toMatchObject({ errcode: 44993, source: 'wechat', retryable: false, action: 'urllink', attempts: 1 });
      expect(reply.hint.zh).toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await capped.close();
    }
  });

  it('the rate of 100 a second (shared with schemes) is held by the pacer: no 44990 reaches the caller', async () => {
    const replies = await Promise.all(
      Array.from({ length: 120 }, (_, i) => fn.invoke(i % 2 ? { action: 'urllink' } : { action: 'generate' }, TRUSTED, { time_limit_in_ms: 5000 })),
    );
    expect(replies.every((r) => r.errcode === 0)).toBe(true);
    expect(emulator.calls.some((c) => c.errcode === 44990)).toBe(false);
  });
});
