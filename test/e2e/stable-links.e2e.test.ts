/**
 * Stable links end to end (issue 13): the built function's real exports.main, the real
 * wx-server-sdk, the emulator's openapi AND database (GENSCHEME_STATE=database).
 */
import type {
  CreateLinkReply,
  ErrorReply,
  GenSchemeReply,
  LandedReply,
  LinkStatsReply,
  ListLinksReply,
  ResolveLinkReply,
  UpdateLinkReply,
} from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadWithEnv } from '../support/function';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'stable-e2e-Qw7Lp2Zx9Rk4Mn8Tv';
const ENV = {
  GENSCHEME_STATE: 'database',
  GENSCHEME_REUSE: 'on',
  GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN,
  GENSCHEME_STATE_SECRET: 'stable-e2e-secret',
  GENSCHEME_H5_BASE_URL: 'https://m.example.com/jump.html',
  GENSCHEME_RESOLVE_PER_MINUTE: '60000',
};
const ADMIN = { adminToken: ADMIN_TOKEN };
const visitor = (n: number) => ({ source: 'wx_http', clientIp: `198.51.100.${n % 250}` });
const USER = { openid: 'oStableUser1', source: 'wx_client' };

let emulator: Emulator;
let fn: ReturnType<typeof loadWithEnv>;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 13 });
  fn = loadWithEnv(emulator, ENV);
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const generations = () => emulator.calls.filter((c) => c.apiName === 'urlscheme.generate' || c.apiName === 'urllink.generate');
const err = (r: GenSchemeReply) => r as ErrorReply;
const create = async (event: Record<string, unknown>) => (await fn.invoke({ action: 'createLink', ...ADMIN, ...event })) as CreateLinkReply;
const resolve = async (code: string, caller: object = visitor(1)) => (await fn.invoke({ action: 'resolveLink', code }, caller)) as ResolveLinkReply;

describe('createLink', () => {
  it('makes a link with a generated code, and another with a chosen one; a taken code is refused', async () => {
    const made = await create({ jumpWxa: { path: 'pages/product/detail', query: 'id=42' }, name: 'Spring SMS', cq: 'src=sms' });
    expect(made).toMatchObject({
      errcode: 0,
      action: 'createLink',
      link: { name: 'Spring SMS', kind: 'scheme', path: 'pages/product/detail', query: 'id=42', envVersion: 'release', cq: 'src=sms', disabled: false },
    });
    expect(made.link.code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(made.link.url).toBe(`https://m.example.com/jump.html?l=${made.link.code}`);
    const chosen = await create({ jumpWxa: { path: 'pages/index/index' }, code: 'spring-qr' });
    expect(chosen).toMatchObject({ errcode: 0, link: { code: 'spring-qr' } });
    const again = err(await create({ jumpWxa: { path: 'pages/index/index' }, code: 'spring-qr' }));
    expect(again).toMatchObject({ errcode: -900033, field: 'code', rule: 'link.codeTaken', retryable: false });
    expect(again.message.zh).toContain('spring-qr');
    expect(generations()).toHaveLength(0); // creating costs no quota
  });

  it('refuses a bad code, a bad target, a cq using the marker key — and calls nobody', async () => {
    expect(err(await create({ jumpWxa: { path: 'pages/index/index' }, code: 'no spaces!' }))).toMatchObject({
      errcode: -900003,
      field: 'code',
      rule: 'link.code',
    });
    expect(err(await create({ jumpWxa: { path: 'pages/nowhere/x' } }))).toMatchObject({ errcode: 40165, field: 'jumpWxa.path' });
    expect(err(await create({ jumpWxa: { path: 'pages/index/index', envVersion: 'beta' } }))).toMatchObject({ errcode: 85402 });
    expect(err(await create({ jumpWxa: { path: 'pages/index/index' }, cq: 'a=1&gsl=x' }))).toMatchObject({ field: 'cq', rule: 'link.cqMarker' });
    expect(generations()).toHaveLength(0);
    expect(emulator.database.collection('genscheme_stable_links') ?? []).toHaveLength(0);
  });

  it('untrusted callers cannot create, update or list links', async () => {
    for (const caller of [USER, visitor(3)]) {
      for (const event of [
        { action: 'createLink', jumpWxa: { path: 'pages/index/index' } },
        { action: 'updateLink', code: 'abc', disabled: true },
        { action: 'listLinks' },
        { action: 'linkStats', code: 'abc' },
      ]) {
        expect(err(await fn.invoke(event, caller))).toMatchObject({ errcode: -900010, rule: 'policy.action' });
      }
    }
  });
});

describe('resolveLink', () => {
  it('200 resolves from 200 visitors get the same ticket: one generation; each visit counted', async () => {
    const { link } = await create({ jumpWxa: { path: 'pages/product/detail', query: 'id=7' }, cq: 'src=sms', code: 'camp-200' });
    const replies: ResolveLinkReply[] = [];
    for (let i = 0; i < 200; i++) replies.push(await resolve(link.code, visitor(i)));
    expect(replies.every((r) => r.errcode === 0)).toBe(true);
    expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
    expect(replies[0]).toMatchObject({ reused: false, kind: 'scheme', path: 'pages/product/detail', query: 'id=7', envVersion: 'release' });
    expect(replies[0].openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=\w+&cq=src%3Dsms%26gsl%3Dcamp-200$/);
    expect(replies.slice(1).every((r) => r.reused)).toBe(true);
    expect(replies[0].expireTime - Math.floor(Date.now() / 1000)).toBeGreaterThan(29 * 86400);
    expect(generations()).toHaveLength(1);
    expect(generations()[0].request).toMatchObject({ jump_wxa: { path: 'pages/product/detail', query: 'id=7' }, expire_type: 1, expire_interval: 30 });
    const stats = (await fn.invoke({ action: 'linkStats', code: 'camp-200', days: 3, ...ADMIN })) as LinkStatsReply;
    expect(stats.days).toHaveLength(3);
    expect(stats.days[2]).toMatchObject({ visits: 200, opens: 0, openers: 0 });
  });

  it('a kind "urllink" link resolves to a URL Link with ?cq=', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'url-one', kind: 'urllink' });
    const reply = await resolve('url-one');
    expect(reply).toMatchObject({ errcode: 0, kind: 'urllink' });
    expect(reply.urlLink).toMatch(/^https:\/\/wxaurl\.cn\/\w+\?cq=gsl%3Durl-one$/);
    expect(reply.openlink).toBeUndefined();
    expect(generations().map((c) => c.apiName)).toEqual(['urllink.generate']);
  });

  it('a ticket inside its renewal window (last 5 % of its life) is renewed on the next resolve, once', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'renew-me' });
    const nowS = Math.floor(Date.now() / 1000);
    const [doc] = emulator.database.collection('genscheme_stable_links')!;
    // Made 29 days ago for 30 days: one day left, inside the last 1.5 days.
    emulator.database.seed('genscheme_stable_links', [
      { ...doc, ticketLink: 'weixin://dl/business/?t=OldTicket01', ticketCreateTime: nowS - 29 * 86400, ticketExpireTime: nowS + 86400 },
    ]);
    const first = await resolve('renew-me');
    expect(first).toMatchObject({ errcode: 0, reused: false });
    expect(first.openlink).not.toContain('OldTicket01');
    const second = await resolve('renew-me', visitor(2));
    expect(second).toMatchObject({ openlink: first.openlink, reused: true });
    expect(generations()).toHaveLength(1);
    // One outside the window is served as it is.
    emulator.database.seed('genscheme_stable_links', [
      { ...doc, ticketLink: 'weixin://dl/business/?t=YoungTicket1', ticketCreateTime: nowS - 86400, ticketExpireTime: nowS + 29 * 86400 },
    ]);
    await new Promise((r) => setTimeout(r, 5100)); // this instance's cache of the link (5 s)
    expect((await resolve('renew-me', visitor(3))).openlink).toContain('YoungTicket1');
    expect(generations()).toHaveLength(1);
  });

  it('unknown and disabled codes: a clear error, no WeChat call; a malformed code never reaches the database', async () => {
    expect(err(await resolve('nope-nope'))).toMatchObject({ errcode: -900030, rule: 'link.notFound', retryable: false });
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'off-link' });
    expect((await fn.invoke({ action: 'updateLink', code: 'off-link', disabled: true, ...ADMIN })) as UpdateLinkReply).toMatchObject({
      errcode: 0,
      link: { disabled: true },
    });
    const off = err(await resolve('off-link'));
    expect(off).toMatchObject({ errcode: -900031, rule: 'link.disabled' });
    expect(off.hint.en).toContain('updateLink');
    expect(err(await resolve('x'))).toMatchObject({ errcode: -900003, rule: 'link.code' });
    expect(generations()).toHaveLength(0);
  });

  it('a new target forces a new ticket; the cq alone does not', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'moving' });
    const before = await resolve('moving');
    const cqOnly = (await fn.invoke({ action: 'updateLink', code: 'moving', cq: 'wave=2', ...ADMIN })) as UpdateLinkReply;
    expect(cqOnly).toMatchObject({ errcode: 0, link: { cq: 'wave=2' } });
    const sameTicket = await resolve('moving', visitor(5));
    expect(sameTicket.openlink).toBe(`${before.openlink!.split('&cq=')[0]}&cq=wave%3D2%26gsl%3Dmoving`);
    const moved = (await fn.invoke({
      action: 'updateLink',
      code: 'moving',
      jumpWxa: { path: 'pages/product/detail', query: 'id=9' },
      ...ADMIN,
    })) as UpdateLinkReply;
    expect(moved.link).toMatchObject({ path: 'pages/product/detail', query: 'id=9' });
    const after = await resolve('moving', visitor(6));
    expect(after).toMatchObject({ reused: false, path: 'pages/product/detail', query: 'id=9' });
    expect(after.openlink!.split('&cq=')[0]).not.toBe(before.openlink!.split('&cq=')[0]);
    expect(generations()).toHaveLength(2);
  });

  it("resolves are limited per visitor, not by the public callers' shared generate limit", async () => {
    const limited = loadWithEnv(emulator, { ...ENV, GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE: '3' });
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'hot-link' });
    const same = visitor(9);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await limited.invoke({ action: 'resolveLink', code: 'hot-link' }, same));
    expect(replies.slice(0, 3).map((r) => r.errcode)).toEqual([0, 0, 0]);
    expect(err(replies[3])).toMatchObject({ errcode: -900011, rule: 'policy.resolve-visitor', retryable: true });
    // 70 public visitors: more than generate's 60 a minute for all public callers together.
    for (let i = 10; i < 80; i++) expect((await limited.invoke({ action: 'resolveLink', code: 'hot-link' }, visitor(i))).errcode).toBe(0);
  });

  it('a database outage: a clear retryable error, no link invented, no WeChat call', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'db-down' });
    const cold = loadWithEnv(emulator, ENV); // nothing cached
    emulator.setFaults({ faults: [{ api: 'database', kind: 'cloudbaseError', code: 'DATABASE_PERMISSION_DENIED' }] });
    const reply = err(await cold.invoke({ action: 'resolveLink', code: 'db-down' }, visitor(1)));
    expect(reply).toMatchObject({ errcode: -900032, rule: 'link.database', retryable: true });
    expect(generations()).toHaveLength(0);
  });
});

describe('landed, listLinks, linkStats', () => {
  it('opens with the marker (both forms) are counted per day with distinct openers; no marker, nothing stored', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'open-me', cq: 'src=sms' });
    const resolved = await resolve('open-me');
    const cq = decodeURIComponent(resolved.openlink!.split('&cq=')[1]);
    const asKeys = Object.fromEntries(cq.split('&').map((p) => p.split('=')));
    const landed = (query: object, caller = USER) => fn.invoke({ action: 'landed', scene: 1065, query }, caller) as Promise<LandedReply>;
    expect(await landed(asKeys)).toMatchObject({ errcode: 0, counted: true, code: 'open-me' });
    // The same user again within 30 minutes (the other marker form): the same open.
    expect(await landed({ cq: encodeURIComponent(cq) })).toMatchObject({ counted: false, code: 'open-me', reason: 'session' });
    expect(await landed({ cq: encodeURIComponent(cq) }, { openid: 'oStableUser3', source: 'wx_client' })).toMatchObject({ counted: true, code: 'open-me' });
    expect(await landed({ gsl: 'open-me' }, { openid: 'oStableUser2', source: 'wx_client' })).toMatchObject({ counted: true });
    const stableDocs = () =>
      JSON.stringify(
        emulator.database
          .collections()
          .filter((c) => c.startsWith('genscheme_stable') || c === 'genscheme_counters')
          .map((c) => emulator.database.collection(c)),
      );
    await fn.invoke({ action: 'linkStats', code: 'open-me', ...ADMIN }); // writes the counts so far
    const before = stableDocs();
    expect(await landed({ id: '42' })).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      action: 'landed',
      counted: false,
      reason: 'no-marker',
      warnings: [{ code: 'landed.no-marker' }],
    });
    expect(await landed({ gsl: 'no-such-link' })).toMatchObject({ counted: false });
    await fn.invoke({ action: 'linkStats', code: 'open-me', ...ADMIN }); // writes anything counted since
    expect(stableDocs()).toBe(before); // (the user's rate-limit window moved, hashed)
    expect(err(await fn.invoke({ action: 'landed', query: { gsl: 'open-me' } }, visitor(1)))).toMatchObject({ errcode: -900010 });

    const stats = (await fn.invoke({ action: 'linkStats', code: 'open-me', ...ADMIN })) as LinkStatsReply;
    expect(stats.days).toHaveLength(14);
    expect(stats.days[13]).toMatchObject({ visits: 1, opens: 3, openers: 3 });
    expect(stats.days[13].date).toBe(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    expect(stats.days.slice(0, 13).every((d) => d.visits === 0 && d.opens === 0)).toBe(true);

    const list = (await fn.invoke({ action: 'listLinks', ...ADMIN })) as ListLinksReply;
    expect(list.links).toEqual([expect.objectContaining({ code: 'open-me', visits: 1, opens: 3, url: 'https://m.example.com/jump.html?l=open-me' })]);
    // No OPENID or IP in the clear anywhere in the database.
    const everything = JSON.stringify(emulator.database.collections().map((c) => emulator.database.collection(c)));
    expect(everything).not.toContain('oStableUser');
    expect(everything).not.toContain('198.51.100');
  });

  it('one user reporting one link 20 times counts one open; scene 1001 counts none; a disabled link counts none', async () => {
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'once' });
    await create({ jumpWxa: { path: 'pages/index/index' }, code: 'switched-off' });
    expect((await fn.invoke({ action: 'updateLink', ...ADMIN, code: 'switched-off', disabled: true })).errcode).toBe(0);
    const landed = (scene: number, code: string, caller = USER) => fn.invoke({ action: 'landed', scene, query: { gsl: code } }, caller) as Promise<LandedReply>;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => landed([1065, 1286, 1194, 1167, 1047][i % 5], 'once')));
    expect(replies.every((r) => r.errcode === 0)).toBe(true);
    expect(replies.filter((r) => r.counted)).toHaveLength(1);
    expect(replies.filter((r) => !r.counted).every((r) => r.reason === 'session' && r.warnings.some((w) => w.code === 'landed.session'))).toBe(true);
    // Another user, from the chat list (1001): not through the link, nothing counted.
    const other = { openid: 'oStableUser9', source: 'wx_client' };
    expect(await landed(1001, 'once', other)).toMatchObject({ errcode: 0, counted: false, reason: 'scene' });
    // A disabled link counts nothing, whatever the scene.
    expect(await landed(1065, 'switched-off', other)).toMatchObject({ errcode: 0, counted: false, reason: 'disabled', code: 'switched-off' });
    const stats = (await fn.invoke({ action: 'linkStats', code: 'once', ...ADMIN })) as LinkStatsReply;
    expect(stats.days[13]).toMatchObject({ opens: 1, openers: 1 });
    const off = (await fn.invoke({ action: 'linkStats', code: 'switched-off', ...ADMIN })) as LinkStatsReply;
    expect(off.days[13]).toMatchObject({ opens: 0, openers: 0 });
  });
});
