/**
 * The handler with an in-process stand-in for cloud.openapi (a unit test of one module).
 * The same behaviour is proven through the real wx-server-sdk and the emulator in test/e2e.
 */
import type { ErrorReply, GenerateReply } from '../../miniprogram/shared/contract';
import { GS } from '../../cloudfunctions/genScheme/src/catalogue';
import { createHandler, type OpenApi } from '../../cloudfunctions/genScheme/src/handler';
import { DEFAULT_POLICY, Gate, type WxContext } from '../../cloudfunctions/genScheme/src/policy';
import { FakeClock } from '../support/fake-clock';
import { PAGES } from '../support/app-pages';

const NOW_S = 1_780_000_000;
const TRUSTED: WxContext = { SOURCE: 'wx_client,scf' };

function setup(answers: Array<unknown | Error> = [], opts: { h5BaseUrl?: string } = {}) {
  const clock = new FakeClock(NOW_S * 1000);
  const sent: Record<string, unknown>[] = [];
  const lines: string[] = [];
  let n = 0;
  const next = async (request: Record<string, unknown>) => {
    sent.push(request);
    const answer = answers[n++] ?? { openlink: `weixin://dl/business/?t=TICKET${n}`, errCode: 0, errMsg: 'openapi.urlscheme.generate:ok' };
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const openapi: OpenApi = { urlscheme: { generate: next, query: next } };
  const handle = createHandler({
    openapi,
    clock,
    settings: { pages: PAGES, gate: new Gate(DEFAULT_POLICY), adminToken: 'tok-123', ...opts },
    log: (l) => lines.push(l),
  });
  return { handle, clock, sent, lines };
}

const sdkError = (errCode: number, errMsg = `openapi.urlscheme.generate:fail ${errCode}`) => Object.assign(new Error(errMsg), { errCode, errMsg });

// The two request examples of the WeChat urlscheme.generate page, as published (2020 timestamp).
const DOC_CLOUD_EXAMPLE = { jumpWxa: { path: '/pages/publishHomework/publishHomework', query: '', envVersion: 'release' }, isExpire: true, expireTime: 1606737600 };
const DOC_HTTPS_EXAMPLE = { jump_wxa: { path: '/pages/publishHomework/publishHomework', query: '', env_version: 'release' }, is_expire: true, expire_time: 1606737600 };

describe('generate', () => {
  it.each([
    ['cloud-call', DOC_CLOUD_EXAMPLE, 'expireTime'],
    ['HTTPS', DOC_HTTPS_EXAMPLE, 'expire_time'],
  ])('the %s example from the WeChat docs, with its 2020 timestamp, gets a clear expiry error and no call', async (_shape, example, field) => {
    const { handle, sent } = setup();
    const reply = (await handle(example, {}, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 85401, field, rule: 'expireTime.past', source: 'input', retryable: false });
    expect(reply.message.en).toContain('2020-11-30');
    expect(reply.message.zh).toContain('已经过去');
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['cloud-call', DOC_CLOUD_EXAMPLE],
    ['HTTPS', DOC_HTTPS_EXAMPLE],
  ])('the %s example with a future expiry produces a link', async (_shape, example) => {
    const { handle, sent } = setup();
    const future = JSON.parse(JSON.stringify(example).replace('1606737600', String(NOW_S + 7 * 86400)));
    const reply = (await handle(future, {}, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, errmsg: 'ok', openlink: 'weixin://dl/business/?t=TICKET1', expireTime: NOW_S + 7 * 86400 });
    expect(sent).toEqual([{ jumpWxa: { path: 'pages/publishHomework/publishHomework', query: '', envVersion: 'release' }, isExpire: true, expireType: 0, expireTime: NOW_S + 7 * 86400 }]);
  });

  it('asks for 30 days explicitly when no expiry is given, and says so', async () => {
    const { handle, sent } = setup();
    const reply = (await handle({}, undefined, TRUSTED)) as GenerateReply;
    expect(sent[0]).toMatchObject({ expireType: 1, expireInterval: 30, isExpire: true });
    expect(reply.expireTime).toBe(NOW_S + 30 * 86400);
    expect(reply.expireAt).toBe(new Date((NOW_S + 30 * 86400) * 1000).toISOString());
    expect(reply.warnings.map((w) => w.code)).toEqual(['expiry.defaulted']);
  });

  it('accepts isExpire:false but warns that permanent links are gone and when this one expires', async () => {
    const { handle, sent } = setup();
    const reply = (await handle({ isExpire: false }, undefined, TRUSTED)) as GenerateReply;
    expect(reply.errcode).toBe(0);
    expect(sent[0]).toMatchObject({ isExpire: true, expireType: 1, expireInterval: 30 });
    const warning = reply.warnings.find((w) => w.code === 'expiry.noPermanentLinks');
    expect(warning?.en).toContain(new Date((NOW_S + 30 * 86400) * 1000).toISOString().slice(0, 10));
  });

  it('infers expireType 1 from expireInterval, and rejects mixing the two expiry styles', async () => {
    const { handle, sent } = setup();
    await handle({ expireInterval: 7 }, undefined, TRUSTED);
    expect(sent[0]).toMatchObject({ expireType: 1, expireInterval: 7 });
    const mixed = (await handle({ expireTime: NOW_S + 3600, expireInterval: 7 }, undefined, TRUSTED)) as ErrorReply;
    expect(mixed.rule).toBe('expiry.conflict');
    const typeWithout = (await handle({ expireType: 0 }, undefined, TRUSTED)) as ErrorReply;
    expect(typeWithout).toMatchObject({ errcode: 85401, rule: 'expireTime.required' });
    expect(sent).toHaveLength(1);
  });

  it('says which field does not fit expireType when only the other style is given', async () => {
    const { handle, sent } = setup();
    const days = (await handle({ expireType: 0, expireInterval: 7 }, undefined, TRUSTED)) as ErrorReply;
    expect(days).toMatchObject({ field: 'expireInterval', rule: 'expiry.typeMismatch' });
    expect(days.message.en).toBe('expireType is 0 (a moment: it uses expireTime), but expireInterval was given.');
    expect(days.hint.en).toContain('Set expireType to 1');
    const moment = (await handle({ expire_type: 1, expire_time: NOW_S + 3600 }, undefined, TRUSTED)) as ErrorReply;
    expect(moment).toMatchObject({ field: 'expire_time', rule: 'expiry.typeMismatch' });
    expect(moment.message.en).toBe('expire_type is 1 (days: it uses expireInterval), but expire_time was given.');
    expect(moment.message.zh).toContain('expire_type 为 1');
    expect(sent).toHaveLength(0);
  });

  it.each([
    [{ jumpWxa: { path: 'pages/nope/nope' } }, 40165, 'jumpWxa.path'],
    [{ jumpWxa: { path: 'pages/index/index?a=1' } }, 40165, 'jumpWxa.path'],
    [{ jumpWxa: { query: 'a'.repeat(1025) } }, 40212, 'jumpWxa.query'],
    [{ jumpWxa: { query: 'name=张三' } }, 40212, 'jumpWxa.query'],
    [{ jumpWxa: { envVersion: 'prod' } }, 85402, 'jumpWxa.envVersion'],
    [{ expireTime: (NOW_S + 3600) * 1000 }, 85401, 'expireTime'],
    [{ expireInterval: 31 }, 85401, 'expireInterval'],
    [{ expireType: 2 }, 47001, 'expireType'],
  ])('rejects %j locally with the platform code %d, naming %s, and spends nothing', async (event, errcode, field) => {
    const { handle, sent } = setup();
    const reply = (await handle(event, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode, field, source: 'input' });
    expect(reply.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(reply.hint.en.length).toBeGreaterThan(5);
    expect(sent).toHaveLength(0);
  });

  it('appends cq to the generated link and builds the h5Url', async () => {
    const { handle } = setup([], { h5BaseUrl: 'https://demo.tcloudbaseapp.com/jump.html' });
    const reply = (await handle({ cq: 'uid=42&src=sms' }, undefined, TRUSTED)) as GenerateReply;
    expect(reply.openlink).toBe('weixin://dl/business/?t=TICKET1&cq=uid%3D42%26src%3Dsms');
    expect(reply.h5Url).toBe('https://demo.tcloudbaseapp.com/jump.html?t=TICKET1&cq=uid%3D42%26src%3Dsms');
  });
});

describe('calling WeChat', () => {
  it('retries -1 and then succeeds, reporting the attempts', async () => {
    const { handle, sent, clock } = setup([sdkError(-1), sdkError(-1)]);
    const reply = (await handle({}, { time_limit_in_ms: 3000 }, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 3 });
    expect(sent).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('does not retry a WeChat rejection and explains it from the catalogue', async () => {
    const { handle, sent } = setup([sdkError(40002, 'openapi.urlscheme.generate:fail no permission')]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 40002, source: 'wechat', retryable: false, attempts: 1, errmsg: 'openapi.urlscheme.generate:fail no permission' });
    expect(reply.message.en).toContain('company');
    expect(sent).toHaveLength(1);
  });

  it('explains -604101 (permission missing from config.json)', async () => {
    const { handle } = setup([sdkError(-604101, 'system error: error code: -604101')]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -604101, source: 'cloud' });
    expect(reply.hint.zh).toContain('config.json');
  });

  it('treats a reply without an openlink as a failure, not a success', async () => {
    const { handle } = setup([{ contentType: '', buffer: Buffer.alloc(0) }]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: GS.NO_OPENLINK, retryable: true });
  });

  it('gives up on -1 when the function has no time left for another try', async () => {
    const { handle, sent } = setup([sdkError(-1), sdkError(-1), sdkError(-1)]);
    const reply = (await handle({}, { time_limit_in_ms: 650 }, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -1, retryable: true, attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it('answers before the function times out when WeChat does not answer, and spends no retry on it', async () => {
    const { clock, sent, lines } = setup();
    let calls = 0;
    const hanging: OpenApi = { urlscheme: { generate: () => (calls++, new Promise(() => undefined)), query: () => new Promise(() => undefined) } };
    const handle = createHandler({ openapi: hanging, clock, settings: { pages: PAGES, gate: new Gate(DEFAULT_POLICY) }, log: (l) => lines.push(l) });
    const pending = handle({}, { time_limit_in_ms: 3000 }, TRUSTED);
    let settled = false;
    void pending.then(() => (settled = true));
    clock.advance(2849);
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1); // 150 ms before the deadline: the time kept to reply
    const reply = (await pending) as ErrorReply;
    expect(reply).toMatchObject({ errcode: GS.TIME_BUDGET, source: 'genscheme', retryable: true, attempts: 1, action: 'generate' });
    expect(reply.hint.en).toContain('timeout');
    expect(calls).toBe(1);
    expect(sent).toHaveLength(0);
  });

  it('cancels the time-out timer once WeChat answers', async () => {
    const { handle, clock } = setup();
    const reply = await handle({}, { time_limit_in_ms: 3000 }, TRUSTED);
    expect(reply.errcode).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('paces itself under 100 generate calls per second on one instance', async () => {
    const { handle, sent, clock } = setup();
    const replies = [];
    for (let i = 0; i < 101; i++) replies.push(await handle({}, undefined, TRUSTED));
    expect(replies.every((r) => r.errcode === 0)).toBe(true);
    expect(sent).toHaveLength(101);
    // The 101st call had to wait for the first one to leave the 1 s window.
    expect(clock.sleeps).toEqual([1000]);
  });
});

describe('never throws', () => {
  it.each([null, 'x', [], 0, true, { jumpWxa: null }, { jumpWxa: [] }, { expireTime: Number.NaN }, { expireTime: Infinity }])(
    'answers %p with a well-formed error reply',
    async (event) => {
      const { handle, sent } = setup();
      const reply = (await handle(event, undefined, TRUSTED)) as ErrorReply;
      expect(reply.errcode).not.toBe(0);
      expect(typeof reply.message.zh).toBe('string');
      expect(typeof reply.hint.en).toBe('string');
      expect(sent).toHaveLength(0);
    },
  );

  it('a refused event names a real action in the reply: the one asked for, or generate for an unknown one', async () => {
    const { handle } = setup();
    expect((await handle({ action: 'genrate' }, undefined, TRUSTED)).action).toBe('generate');
    expect((await handle({ action: 'query' }, undefined, TRUSTED)).action).toBe('query');
    expect((await handle({ action: 'quota', extra: 1 }, undefined, TRUSTED)).action).toBe('quota');
  });

  it('turns an unexpected exception from the SDK into a reply', async () => {
    const { handle } = setup([new TypeError('Cannot read properties of undefined')]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: GS.INTERNAL, source: 'genscheme' });
  });

  it('logs one structured line per call, with no token and no raw OPENID', async () => {
    const { handle, lines } = setup();
    await handle({ adminToken: 'tok-123' }, undefined, { OPENID: 'o-very-secret-openid' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ genScheme: 1, action: 'generate', caller: 'trusted', reason: 'admin-token', outcome: 'ok', errcode: 0, attempts: 1 });
    expect(lines[0]).not.toContain('tok-123');
    expect(lines[0]).not.toContain('o-very-secret-openid');
  });
});

describe('time budget, link validity and expiry edges (added by the test audit)', () => {
  it('assumes 3 s when the runtime passes no time_limit_in_ms: 44990 three times gives up after 3 attempts', async () => {
    // 44990 waits 1000 ms + jitter (1125 ms at random 0.5); with 600 ms kept in reserve a third
    // wait no longer fits in 3 s, while a longer budget would allow the fourth attempt.
    for (const context of [undefined, {}, { time_limit_in_ms: 0 }, { time_limit_in_ms: -5 }]) {
      const { handle, sent } = setup([sdkError(44990), sdkError(44990), sdkError(44990), sdkError(44990)]);
      const reply = (await handle({}, context, TRUSTED)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: 44990, attempts: 3 });
      expect(sent).toHaveLength(3);
    }
    const { handle } = setup([sdkError(44990), sdkError(44990), sdkError(44990), sdkError(44990)]);
    expect(await handle({}, { time_limit_in_ms: 10_000 }, TRUSTED)).toMatchObject({ errcode: 44990, attempts: 4 });
  });

  it.each([
    ['a text that is not a link', { openlink: 'ok', errCode: 0 }],
    ['an https URL', { openlink: 'https://example.com/?t=abc', errCode: 0 }],
    ['a scheme without a ticket', { openlink: 'weixin://dl/business/?x=1', errCode: 0 }],
    ['a non-string openlink', { openlink: 42, errCode: 0 }],
  ])('treats %s from the SDK as a failure, not a link', async (_what, answer) => {
    const { handle } = setup([answer]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: GS.NO_OPENLINK, retryable: true });
    expect(reply).not.toHaveProperty('openlink');
  });

  it('query: a link whose expire_time is now is expired; one second later it is not yet', async () => {
    const info = (expireTime: number) => ({ schemeInfo: { appid: 'wx1234567890abcdef', path: 'pages/index/index', query: '', createTime: NOW_S - 60, expireTime, envVersion: 'release' } });
    const { handle } = setup([info(NOW_S), info(NOW_S + 1)]);
    const scheme = 'weixin://dl/business/?t=TICKET9';
    expect(await handle({ action: 'query', scheme }, undefined, TRUSTED)).toMatchObject({ errcode: 0, expireTime: NOW_S, expired: true });
    expect(await handle({ action: 'query', scheme }, undefined, TRUSTED)).toMatchObject({ errcode: 0, expireTime: NOW_S + 1, expired: false });
  });

  it('a days-cap denial names the expiry field the caller actually sent', async () => {
    const clock = new FakeClock(NOW_S * 1000);
    const policy = { ...DEFAULT_POLICY, user: { ...DEFAULT_POLICY.user, maxDays: 7 } };
    const handle = createHandler({
      openapi: { urlscheme: { generate: async () => ({ openlink: 'weixin://dl/business/?t=T' }), query: async () => ({}) } },
      clock,
      settings: { pages: PAGES, gate: new Gate(policy) },
      log: () => undefined,
    });
    const reply = (await handle({ expire_time: NOW_S + 10 * 86400 }, undefined, { OPENID: 'oU', SOURCE: 'wx_client' })) as ErrorReply;
    expect(reply.rule).toBe('policy.days');
    expect(reply.field).toBe('expire_time');
  });
});
