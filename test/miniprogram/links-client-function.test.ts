/**
 * @jest-environment node
 *
 * 链接管理's client against the real function: the built cloudfunctions/genScheme/index.js with
 * GENSCHEME_STATE=database, the real wx-server-sdk, the project's CloudBase emulator (openapi AND
 * database). wx.cloud.callFunction is replaced by a call of the function as the mini program makes
 * it (SOURCE wx_client, with the caller's OPENID): an admin (OPENID in GENSCHEME_ADMIN_OPENIDS,
 * a trusted caller) and an ordinary user, whose listLinks the page turns into "仅管理员可用".
 * The page's request shapes are those links-page.test.ts checks against a stand-in.
 */
import { startEmulator, type Emulator } from '../../emulator/src';
import type { LoadedFunction } from '../../emulator/src/run-function';
import { loadWithEnv } from '../support/function';
import { createLink, landed, linkStats, listLinks, updateLink } from '../../miniprogram/services/genscheme';
import type { CreateLinkReply, ErrorReply, LinkStatsReply, ListLinksReply, ResolveLinkReply, UpdateLinkReply } from '../../miniprogram/shared/contract';
import { stableLinkCodeIn } from '../../miniprogram/shared/stable-links';

jest.setTimeout(60_000);

const ADMIN = { openid: 'oLinksAdmin-1', source: 'wx_client' };
const USER = { openid: 'oLinksUser-1', source: 'wx_client' };
/** What the page treats as "not an admin", and how many days its chart asks for (pages/links/index.ts). */
const POLICY_REFUSED = -900010;
const STATS_DAYS = 14;
const ENV = {
  GENSCHEME_STATE: 'database',
  GENSCHEME_REUSE: 'on',
  GENSCHEME_ADMIN_OPENIDS: ADMIN.openid,
  GENSCHEME_STATE_SECRET: 'links-page-secret',
  GENSCHEME_H5_BASE_URL: 'https://m.example.com/jump.html',
};

let emulator: Emulator;
let fn: LoadedFunction<unknown, unknown>;
/** Who the mini program's calls come from. */
let caller: { openid: string; source: string } = ADMIN;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  emulator = await startEmulator({ seed: 17 });
  fn = loadWithEnv(emulator, ENV);
  (globalThis as Record<string, unknown>).wx = {
    cloud: {
      async callFunction({ name, data }: { name: string; data: unknown }) {
        expect(name).toBe('genScheme');
        return { errMsg: 'cloud.callFunction:ok', result: await fn.invoke(data, caller) };
      },
    },
  };
});
afterAll(async () => {
  delete (globalThis as Record<string, unknown>).wx;
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  caller = ADMIN;
});

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

test("an ordinary user's listLinks is the policy refusal the page shows as 仅管理员可用; nothing else works for them either", async () => {
  caller = USER;
  const list = (await listLinks()) as ErrorReply;
  expect(list.errcode).toBe(POLICY_REFUSED);
  expect(list.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(((await createLink({ jumpWxa: { path: 'pages/product/detail' } })) as ErrorReply).errcode).toBe(POLICY_REFUSED);
  expect(((await linkStats('abc', STATS_DAYS)) as ErrorReply).errcode).toBe(POLICY_REFUSED);
  expect(((await updateLink({ code: 'abc', disabled: true })) as ErrorReply).errcode).toBe(POLICY_REFUSED);
});

test('an admin creates a link, lists it, reads its stats (a visit and an open today), disables and re-enables it', async () => {
  // Create, as the page's form sends it.
  const made = (await createLink({
    jumpWxa: { path: 'pages/product/detail', query: 'id=42' },
    name: '春季短信',
    code: 'spring-sms',
    kind: 'scheme',
  })) as CreateLinkReply;
  expect(made).toMatchObject({
    errcode: 0,
    action: 'createLink',
    link: { code: 'spring-sms', name: '春季短信', path: 'pages/product/detail', query: 'id=42', disabled: false },
  });
  expect(made.link.url).toBe('https://m.example.com/jump.html?l=spring-sms');

  // List: there, with nothing counted yet.
  let list = (await listLinks()) as ListLinksReply;
  expect(list.errcode).toBe(0);
  expect(list.links).toEqual([expect.objectContaining({ code: 'spring-sms', visits: 0, opens: 0, disabled: false })]);

  // A visitor resolves it on the H5 page (one visit), and the mini program it opens reports the launch (one open).
  const resolved = (await fn.invoke({ action: 'resolveLink', code: 'spring-sms' }, { source: 'wx_http', clientIp: '198.51.100.7' })) as ResolveLinkReply;
  expect(resolved.errcode).toBe(0);
  const cq = decodeURIComponent(/&cq=([^&]*)$/.exec(resolved.openlink!)![1]);
  const launchQuery = { id: '42', cq };
  expect(stableLinkCodeIn(launchQuery)).toBe('spring-sms');
  caller = USER;
  expect(await landed(1065, launchQuery)).toMatchObject({ errcode: 0, counted: true, code: 'spring-sms' });
  caller = ADMIN;

  // Stats, as the chart asks for them: 14 China days, today last, with the visit and the open.
  const stats = (await linkStats('spring-sms', STATS_DAYS)) as LinkStatsReply;
  expect(stats.errcode).toBe(0);
  expect(stats.days).toHaveLength(14);
  expect(stats.days[13]).toEqual({ date: chinaToday(), visits: 1, opens: 1, openers: 1 });
  expect(stats.days.slice(0, 13).every((d) => d.visits === 0 && d.opens === 0)).toBe(true);
  list = (await listLinks()) as ListLinksReply;
  expect(list.links[0]).toMatchObject({ code: 'spring-sms', visits: 1, opens: 1 });

  // Disable: the reply's link is what the row shows; the link stops resolving.
  const off = (await updateLink({ code: 'spring-sms', disabled: true })) as UpdateLinkReply;
  expect(off).toMatchObject({ errcode: 0, action: 'updateLink', link: { code: 'spring-sms', disabled: true } });
  expect(((await listLinks()) as ListLinksReply).links[0].disabled).toBe(true);
  const refused = (await fn.invoke({ action: 'resolveLink', code: 'spring-sms' }, { source: 'wx_http', clientIp: '198.51.100.8' })) as ErrorReply;
  expect(refused.errcode).not.toBe(0);
  const on = (await updateLink({ code: 'spring-sms', disabled: false })) as UpdateLinkReply;
  expect(on.link.disabled).toBe(false);

  // A generated code when none is given; a taken code comes back as an error the form shows.
  const generated = (await createLink({ jumpWxa: { path: 'packageA/pages/promo/index' }, kind: 'urllink' })) as CreateLinkReply;
  expect(generated.link).toMatchObject({ kind: 'urllink', path: 'packageA/pages/promo/index' });
  expect(generated.link.url).toBe(`https://m.example.com/jump.html?l=${generated.link.code}`);
  const taken = (await createLink({ jumpWxa: { path: 'pages/index/index' }, code: 'spring-sms' })) as ErrorReply;
  expect(taken.errcode).not.toBe(0);
  expect(taken.message.zh).toContain('spring-sms');
  expect(((await listLinks()) as ListLinksReply).links.map((l) => l.code).sort()).toEqual([generated.link.code, 'spring-sms'].sort());
});
