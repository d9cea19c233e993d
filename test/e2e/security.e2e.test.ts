/**
 * Who may generate what, through the real wx-server-sdk and the emulator: each caller class and
 * policy rule allowing and denying, the admin token, rate limits, and the log line.
 * A denied call must reach the gateway not at all (no quota spent).
 */
import type { ErrorReply, GenerateReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { hashOpenid } from '../../cloudfunctions/genScheme/src/access/caller';
import { captureLogs, loadWithEnv } from '../support/function';

const TOKEN = 'test-admin-token-9f3b2c';
let emulator: Emulator;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  emulator = await startEmulator({ seed: 11 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const user = (openid: string) => ({ openid, source: 'wx_client' });
const web = (ip?: string) => ({ source: 'wx_http', ...(ip ? { clientIp: ip } : {}) });
const develop = { jumpWxa: { path: 'pages/index/index', envVersion: 'develop' } };

describe('caller classes with the default policy', () => {
  const fn = () => loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });

  it('a mini-program user gets a release link', async () => {
    const reply = await fn().invoke({}, user('oUserA'));
    expect(reply.errcode).toBe(0);
    expect(emulator.calls).toHaveLength(1);
  });

  it('a mini-program user may not mint a develop link: denied with our own code, nothing sent', async () => {
    const reply = (await fn().invoke(develop, user('oUserA'))) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -900010, source: 'policy', rule: 'policy.envVersion', field: 'jumpWxa.envVersion', retryable: false });
    expect(reply.message.en).toContain('develop');
    expect(reply.hint.en).toContain('admin');
    expect(emulator.calls).toHaveLength(0);
  });

  it('a web caller (no OPENID) is public: release allowed, develop denied, query denied', async () => {
    const f = fn();
    expect((await f.invoke({}, web('203.0.113.7'))).errcode).toBe(0);
    expect((await f.invoke(develop, web('203.0.113.7'))).errcode).toBe(-900010);
    const query = (await f.invoke({ action: 'query', scheme: 'weixin://dl/business/?t=abc' }, web('203.0.113.7'))) as ErrorReply;
    expect(query).toMatchObject({ errcode: -900010, rule: 'policy.action' });
    expect(emulator.calls).toHaveLength(1);
  });

  it('a console test without the token is public; with the right token it is trusted; a wrong token changes nothing', async () => {
    const f = fn();
    expect((await f.invoke(develop)).errcode).toBe(-900010);
    expect((await f.invoke({ ...develop, adminToken: 'wrong-token' })).errcode).toBe(-900010);
    const ok = (await f.invoke({ ...develop, adminToken: TOKEN })) as GenerateReply;
    expect(ok.errcode).toBe(0);
    expect(JSON.stringify(ok)).not.toContain(TOKEN);
    expect(emulator.calls).toHaveLength(1);
    expect(JSON.stringify(emulator.calls[0].request)).not.toContain(TOKEN);
  });

  it('another cloud function (SOURCE ends in scf) and a timer are trusted', async () => {
    const f = fn();
    expect((await f.invoke(develop, { source: 'wx_client,scf', openid: 'oUserA' })).errcode).toBe(0);
    expect((await f.invoke(develop, { source: 'wx_trigger' })).errcode).toBe(0);
    // A relay the other way round (scf first, a client last) is not.
    expect((await f.invoke(develop, { source: 'scf,wx_client', openid: 'oUserA' })).errcode).toBe(-900010);
  });

  it('a user may query only links it could create itself: a release link yes, a develop link no', async () => {
    const f = fn();
    const release = (await f.invoke({ jumpWxa: { path: 'pages/index/index', query: 'order=1' } }, { source: 'wx_client,scf' })) as GenerateReply;
    const dev = (await f.invoke(develop, { source: 'wx_client,scf' })) as GenerateReply;
    expect([release.errcode, dev.errcode]).toEqual([0, 0]);
    const seen = await f.invoke({ action: 'query', scheme: release.openlink }, user('oUserA'));
    expect(seen).toMatchObject({ errcode: 0, path: 'pages/index/index', query: 'order=1', envVersion: 'release' });
    const hidden = (await f.invoke({ action: 'query', scheme: dev.openlink }, user('oUserA'))) as ErrorReply;
    // Outside its scope the link looks like one that does not exist (test/e2e/audit.e2e.test.ts compares the two).
    expect(hidden).toMatchObject({ errcode: 85403, source: 'wechat', field: 'scheme' });
    expect(JSON.stringify(hidden)).not.toContain('pages/index/index');
    // The same link is readable for a trusted caller.
    expect((await f.invoke({ action: 'query', scheme: dev.openlink }, { source: 'wx_trigger' })).errcode).toBe(0);
  });

  it('an OPENID on the admin list is trusted', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_OPENIDS: 'oBoss,oOther' });
    expect((await f.invoke(develop, user('oBoss'))).errcode).toBe(0);
    expect((await f.invoke(develop, user('oUserA'))).errcode).toBe(-900010);
  });
});

describe('configured policy', () => {
  it('pages, days and query length can be capped for users', async () => {
    const f = loadWithEnv(emulator, {
      GENSCHEME_POLICY: JSON.stringify({ user: { pages: ['pages/product/detail'], maxDays: 7, maxQueryLength: 16 } }),
    });
    expect((await f.invoke({ jumpWxa: { path: 'pages/product/detail' }, expireInterval: 7 }, user('oU'))).errcode).toBe(0);
    expect(((await f.invoke({ jumpWxa: { path: 'pages/order/list' }, expireInterval: 7 }, user('oU'))) as ErrorReply).rule).toBe('policy.page');
    expect(((await f.invoke({ jumpWxa: { path: 'pages/product/detail' } }, user('oU'))) as ErrorReply).rule).toBe('policy.days');
    expect(((await f.invoke({ jumpWxa: { path: 'pages/product/detail', query: 'a'.repeat(17) }, expireInterval: 1 }, user('oU'))) as ErrorReply).rule).toBe(
      'policy.queryLength',
    );
    expect(emulator.calls).toHaveLength(1);
  });

  it('public callers can be switched off', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_PUBLIC: 'off' });
    const reply = (await f.invoke({}, web('203.0.113.8'))) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -900012, source: 'policy' });
    expect(reply.hint.zh).toContain('adminToken');
    expect((await f.invoke({}, user('oU'))).errcode).toBe(0);
  });

  it('a wrong policy is logged at start-up and fails closed for untrusted callers', async () => {
    const { result: f, lines } = await captureLogs(async () =>
      loadWithEnv(emulator, { GENSCHEME_POLICY: '{"user":{"maxDays":90}}', GENSCHEME_ADMIN_TOKEN: TOKEN }),
    );
    expect(lines.join('\n')).toMatch(/policy configuration is wrong.*user\.maxDays/);
    expect(((await f.invoke({}, user('oU'))) as ErrorReply).rule).toBe('policy.misconfigured');
    expect((await f.invoke({ adminToken: TOKEN })).errcode).toBe(0);
  });
});

describe('rate limits per warm instance', () => {
  it('cuts in after 20 calls a minute for one user, not for another, and spends nothing when it does', async () => {
    const f = loadWithEnv(emulator);
    for (let i = 0; i < 20; i++) expect((await f.invoke({}, user('oBusy'))).errcode).toBe(0);
    const limited = (await f.invoke({}, user('oBusy'))) as ErrorReply;
    expect(limited).toMatchObject({ errcode: -900011, rule: 'policy.rate-user', retryable: true });
    expect(limited.message.en).toContain('20 calls a minute per user');
    expect((await f.invoke({}, user('oCalm'))).errcode).toBe(0);
    expect(emulator.calls).toHaveLength(21);
  });

  it('public callers are limited per client IP and together', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify({ public: { perIpPerMinute: 2, sharedPerMinute: 3 } }) });
    expect((await f.invoke({}, web('198.51.100.1'))).errcode).toBe(0);
    expect((await f.invoke({}, web('198.51.100.1'))).errcode).toBe(0);
    expect(((await f.invoke({}, web('198.51.100.1'))) as ErrorReply).rule).toBe('policy.rate-ip');
    expect((await f.invoke({}, web('198.51.100.2'))).errcode).toBe(0);
    expect(((await f.invoke({}, web('198.51.100.3'))) as ErrorReply).rule).toBe('policy.rate-shared');
    expect(emulator.calls).toHaveLength(3);
  });
});

describe('visitors as networks see them', () => {
  it('40 addresses of one IPv6 /64 are limited like one visitor; another /64 is another; ::ffff:a.b.c.d is that IPv4 address', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify({ public: { perIpPerMinute: 2, sharedPerMinute: 1000 } }) });
    const v6 = (ip: string) => ({ source: 'wx_http', clientIpV6: ip });
    const replies: ErrorReply[] = [];
    for (let i = 0; i < 40; i++)
      replies.push((await f.invoke({}, v6(`2001:db8:77:${i % 2 ? '0' : '0000'}:${((i * 4099) % 65536).toString(16)}::${i + 1}`))) as ErrorReply);
    expect(replies.filter((r) => r.errcode === 0)).toHaveLength(2);
    expect(replies.slice(2).every((r) => r.rule === 'policy.rate-ip')).toBe(true);
    expect((await f.invoke({}, v6('2001:db8:77:1::1'))).errcode).toBe(0); // the neighbouring /64
    // An IPv4-mapped address and its IPv4 form are one visitor.
    expect((await f.invoke({}, web('::ffff:198.51.100.40'))).errcode).toBe(0);
    expect((await f.invoke({}, web('198.51.100.40'))).errcode).toBe(0);
    expect(((await f.invoke({}, v6('::ffff:c633:6428'))) as ErrorReply).rule).toBe('policy.rate-ip');
    expect(emulator.calls).toHaveLength(5);
  });
});

describe('GENSCHEME_STATE_SECRET', () => {
  const secretWarning = (reply: { warnings?: Array<{ code: string; zh: string; en: string }> }) =>
    reply.warnings?.find((w) => w.code === 'state.secretInDatabase');

  it('without it every trusted quota, listLinks and linkStats reply says what is exposed and how to fix it; with it, none does', async () => {
    for (const secret of [undefined, 'security-e2e-state-secret-7Hq2']) {
      emulator.reset();
      const f = loadWithEnv(emulator, { GENSCHEME_STATE: 'database', GENSCHEME_ADMIN_TOKEN: TOKEN, ...(secret ? { GENSCHEME_STATE_SECRET: secret } : {}) });
      expect((await f.invoke({ action: 'createLink', adminToken: TOKEN, code: 'secret-check', jumpWxa: { path: 'pages/index/index' } })).errcode).toBe(0);
      const replies = [
        await f.invoke({ action: 'quota', adminToken: TOKEN }),
        await f.invoke({ action: 'listLinks', adminToken: TOKEN }),
        await f.invoke({ action: 'linkStats', adminToken: TOKEN, code: 'secret-check' }),
        await f.invoke({ action: 'quota' }, { source: 'scf' }),
      ];
      for (const reply of replies) {
        expect(reply.errcode).toBe(0);
        const warning = secretWarning(reply as never);
        if (secret) {
          expect(warning).toBeUndefined();
          continue;
        }
        expect(warning).toBeDefined();
        expect(warning!.en).toMatch(/same database as the hashes/);
        expect(warning!.en).toMatch(/brute force/);
        expect(warning!.en).toContain('Set GENSCHEME_STATE_SECRET');
        expect(warning!.zh).toContain('GENSCHEME_STATE_SECRET');
        expect(warning!.zh).toContain('穷举');
      }
    }
    // Other actions and untrusted callers are not told.
    emulator.reset();
    const f = loadWithEnv(emulator, { GENSCHEME_STATE: 'database', GENSCHEME_ADMIN_TOKEN: TOKEN });
    expect(secretWarning((await f.invoke({ adminToken: TOKEN })) as never)).toBeUndefined();
    expect(secretWarning((await f.invoke({}, user('oPlainUser'))) as never)).toBeUndefined();
    // In memory mode nothing is stored, so there is nothing to warn about.
    const memory = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    expect(secretWarning((await memory.invoke({ action: 'quota', adminToken: TOKEN })) as never)).toBeUndefined();
  });

  it("keys the log's OPENID hash with the secret when it is set", async () => {
    const secret = 'security-e2e-log-secret-Zp81';
    const keyed = loadWithEnv(emulator, { GENSCHEME_STATE_SECRET: secret });
    const plain = loadWithEnv(emulator);
    const { lines } = await captureLogs(async () => {
      await keyed.invoke({}, user('oLoggedUser42'));
      await plain.invoke({}, user('oLoggedUser42'));
    });
    const records = lines.filter((l) => l.includes('"genScheme":1')).map((l) => JSON.parse(l));
    expect(records.map((r) => r.openid)).toEqual([hashOpenid('oLoggedUser42', secret), hashOpenid('oLoggedUser42')]);
    expect(records[0].openid).not.toBe(records[1].openid);
  });
});

describe('the log line', () => {
  it('one structured line per call: action, class, outcome, errcode, duration, retries; no token, no OPENID', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    emulator.setFaults({ faults: [{ kind: 'busy', on: [1] }] });
    const { lines } = await captureLogs(async () => {
      await f.invoke({ adminToken: TOKEN }, { openid: 'oSecretOpenid123', source: 'wx_client' });
      await f.invoke(develop, { openid: 'oSecretOpenid123', source: 'wx_client' });
    });
    const records = lines.filter((l) => l.includes('"genScheme":1')).map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ action: 'generate', caller: 'trusted', reason: 'admin-token', outcome: 'ok', errcode: 0, attempts: 2 });
    expect(typeof records[0].ms).toBe('number');
    expect(records[0].openid).toMatch(/^[0-9a-f]{12}$/);
    expect(records[1]).toMatchObject({ caller: 'user', outcome: 'denied', errcode: -900010, rule: 'policy.envVersion', attempts: 0 });
    const all = lines.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('oSecretOpenid123');
  });
});
