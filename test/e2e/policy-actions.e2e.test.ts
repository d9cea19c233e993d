/**
 * The policy applies to every action, not only generate (issue 7: "the same policy as generate
 * applies to each action"; issue 5: each caller class and policy rule allowing and denying).
 * Through the built function, the real wx-server-sdk and the emulator.
 */
import type { ErrorReply, GenSchemeReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadWithEnv } from '../support/function';

const APPID = 'wxfedcba9876543210';
let emulator: Emulator;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 13 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const user = (openid: string) => ({ openid, source: 'wx_client' });
const web = (ip: string) => ({ source: 'wx_http', clientIp: ip });
const plaintext = (jumpWxa: Record<string, unknown>) => ({ action: 'plaintext', jumpWxa });
const rule = (r: GenSchemeReply) => (r as ErrorReply).rule;

describe('plaintext under the policy', () => {
  it('a user gets a release plaintext link but not a develop one; a trusted caller gets both', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_APPID: APPID });
    expect((await f.invoke(plaintext({ path: 'pages/index/index' }), user('oU'))).errcode).toBe(0);
    const denied = (await f.invoke(plaintext({ path: 'pages/index/index', envVersion: 'develop' }), user('oU'))) as ErrorReply;
    expect(denied).toMatchObject({ errcode: -900010, source: 'policy', rule: 'policy.envVersion', action: 'plaintext' });
    expect((await f.invoke(plaintext({ path: 'pages/index/index', envVersion: 'develop' }), { source: 'wx_client,scf' })).errcode).toBe(0);
  });

  it('configured pages and query caps apply to plaintext links too', async () => {
    const f = loadWithEnv(emulator, {
      GENSCHEME_APPID: APPID,
      GENSCHEME_POLICY: JSON.stringify({ user: { pages: ['pages/product/detail'], maxQueryLength: 8 } }),
    });
    expect((await f.invoke(plaintext({ path: 'pages/product/detail', query: 'id=12345' }), user('oU'))).errcode).toBe(0);
    expect(rule(await f.invoke(plaintext({ path: 'pages/order/list' }), user('oU')))).toBe('policy.page');
    expect(rule(await f.invoke(plaintext({ path: 'pages/product/detail', query: 'id=123456' }), user('oU')))).toBe('policy.queryLength');
  });

  it('plaintext calls count against the per-user limit (one user cut off, another not)', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_APPID: APPID, GENSCHEME_POLICY: JSON.stringify({ user: { perUserPerMinute: 3 } }) });
    for (let i = 0; i < 3; i++) expect((await f.invoke(plaintext({ path: 'pages/index/index' }), user('oBusy'))).errcode).toBe(0);
    expect(rule(await f.invoke(plaintext({ path: 'pages/index/index' }), user('oBusy')))).toBe('policy.rate-user');
    expect((await f.invoke(plaintext({ path: 'pages/index/index' }), user('oCalm'))).errcode).toBe(0);
  });

  it('public callers: plaintext allowed by default, refused when public is switched off', async () => {
    const on = loadWithEnv(emulator, { GENSCHEME_APPID: APPID });
    expect((await on.invoke(plaintext({ path: 'pages/index/index' }), web('203.0.113.20'))).errcode).toBe(0);
    const off = loadWithEnv(emulator, { GENSCHEME_APPID: APPID, GENSCHEME_PUBLIC: 'off' });
    expect((await off.invoke(plaintext({ path: 'pages/index/index' }), web('203.0.113.20'))).errcode).toBe(-900012);
  });
});

describe('quota and query under the policy', () => {
  it('quota: a user may ask, a public caller may not (default policy), and nothing reaches WeChat when denied', async () => {
    const f = loadWithEnv(emulator);
    expect((await f.invoke({ action: 'quota' }, user('oU'))).errcode).toBe(0);
    expect(emulator.calls).toHaveLength(1);
    const denied = (await f.invoke({ action: 'quota' }, web('203.0.113.21'))) as ErrorReply;
    expect(denied).toMatchObject({ errcode: -900010, rule: 'policy.action', action: 'quota', source: 'policy' });
    expect(emulator.calls).toHaveLength(1);
  });

  it('query calls count against the per-user limit: cut off for one user, not another, nothing sent when cut off', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify({ user: { perUserPerMinute: 2 } }) });
    const scheme = `weixin://dl/business/?appid=${emulator.appid}&path=pages/index/index&query=&env_version=release`;
    for (let i = 0; i < 2; i++) expect((await f.invoke({ action: 'query', scheme }, user('oBusy'))).errcode).toBe(0);
    expect(emulator.calls).toHaveLength(2);
    expect(rule(await f.invoke({ action: 'query', scheme }, user('oBusy')))).toBe('policy.rate-user');
    expect(emulator.calls).toHaveLength(2);
    expect((await f.invoke({ action: 'query', scheme }, user('oCalm'))).errcode).toBe(0);
  });
});

describe('expiry given as a moment counts as whole days, rounded up, against a days cap', () => {
  it('maxDays 7: exactly 7 days ahead passes, 7 days and an hour is 8 days and is denied', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify({ user: { maxDays: 7 } }) });
    const nowS = Math.floor(Date.now() / 1000);
    expect((await f.invoke({ expireTime: nowS + 7 * 86400 }, user('oU'))).errcode).toBe(0);
    const denied = (await f.invoke({ expireTime: nowS + 7 * 86400 + 3600 }, user('oU'))) as ErrorReply;
    expect(denied).toMatchObject({ errcode: -900010, rule: 'policy.days' });
    expect(denied.message.en).toContain('asks for 8');
    expect(emulator.calls).toHaveLength(1);
  });
});
