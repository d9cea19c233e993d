import { createState } from '../../cloudfunctions/genScheme/src/state';
/**
 * A call's way through the function (src/handle.ts) with an in-process stand-in for cloud.openapi.
 * The same behaviour is proven through the real wx-server-sdk and the emulator in test/e2e.
 */
import type { ErrorReply, GenerateReply, PlaintextReply, QueryReply, QuotaReply } from '../../miniprogram/shared/contract';
import { ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import { createHandler, DEFAULT_TIME_LIMIT_MS, timeLimitOf } from '../../cloudfunctions/genScheme/src/handle';
import { configure } from '../../cloudfunctions/genScheme/src/settings';
import { ACTION_ACCESS } from '../../cloudfunctions/genScheme/src/actions';
import { INTERNAL, NO_OPENLINK, POLICY_DENIED, PUBLIC_DISABLED, RATE_LIMITED, TIME_BUDGET } from '../../cloudfunctions/genScheme/src/wechat/codes';
import type { OpenApi } from '../../cloudfunctions/genScheme/src/wechat/openapi';
import { PAGES } from '../support/app-pages';
import { FakeClock } from '../support/fake-clock';
import { ADMIN_TOKEN, NOW_S, PUBLIC, TRUSTED, USER, sdkError, sdkInternal, setup, wechatBusy } from '../support/genscheme';

// The two request examples of the WeChat urlscheme.generate page, as published (2020 timestamp).
const DOC_CLOUD_EXAMPLE = {
  jumpWxa: { path: '/pages/publishHomework/publishHomework', query: '', envVersion: 'release' },
  isExpire: true,
  expireTime: 1606737600,
};
const DOC_HTTPS_EXAMPLE = {
  jump_wxa: { path: '/pages/publishHomework/publishHomework', query: '', env_version: 'release' },
  is_expire: true,
  expire_time: 1606737600,
};
const DAY = 86_400;

describe('generate', () => {
  it.each([
    ['cloud-call', DOC_CLOUD_EXAMPLE, 'expireTime'],
    ['HTTPS', DOC_HTTPS_EXAMPLE, 'expire_time'],
  ])('the %s example from the WeChat docs, with its 2020 timestamp, gets a clear expiry error and no call', async (_shape, example, field) => {
    const { handle, sent } = setup();
    const reply = (await handle(example, {}, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 85401, field, rule: 'expireTime.past', source: 'input', retryable: false, action: 'generate' });
    expect(reply.message.en).toContain('2020-11-30');
    expect(reply.message.zh).toContain('已经过去');
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['cloud-call', DOC_CLOUD_EXAMPLE],
    ['HTTPS', DOC_HTTPS_EXAMPLE],
  ])('the %s example with a future expiry produces a link', async (_shape, example) => {
    const { handle, sent } = setup();
    const future = JSON.parse(JSON.stringify(example).replace('1606737600', String(NOW_S + 7 * DAY)));
    const reply = (await handle(future, {}, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      action: 'generate',
      openlink: 'weixin://dl/business/?t=TICKET1',
      expireTime: NOW_S + 7 * DAY,
      attempts: 1,
    });
    expect(sent).toEqual([
      {
        api: 'urlscheme.generate',
        request: {
          jumpWxa: { path: 'pages/publishHomework/publishHomework', query: '', envVersion: 'release' },
          isExpire: true,
          expireType: 0,
          expireTime: NOW_S + 7 * DAY,
        },
      },
    ]);
  });

  it('asks for 30 days explicitly when no expiry is given, and says so', async () => {
    const { handle, sent } = setup();
    const reply = (await handle({}, undefined, TRUSTED)) as GenerateReply;
    expect(sent[0].request).toMatchObject({ expireType: 1, expireInterval: 30, isExpire: true });
    expect(reply.expireTime).toBe(NOW_S + 30 * DAY);
    expect(reply.expireAt).toBe(new Date((NOW_S + 30 * DAY) * 1000).toISOString());
    expect(reply.warnings.map((w) => w.code)).toEqual(['expiry.defaulted']);
  });

  it('accepts isExpire:false but warns that permanent links are gone and when this one expires', async () => {
    const { handle, sent } = setup();
    const reply = (await handle({ isExpire: false }, undefined, TRUSTED)) as GenerateReply;
    expect(reply.errcode).toBe(0);
    expect(sent[0].request).toMatchObject({ isExpire: true, expireType: 1, expireInterval: 30 });
    expect(reply.warnings.map((w) => w.code)).toEqual(['expiry.noPermanentLinks']);
    expect(reply.warnings[0].en).toContain(new Date((NOW_S + 30 * DAY) * 1000).toISOString().slice(0, 10));
  });

  it('infers expireType 1 from expireInterval, and rejects mixing the two expiry styles', async () => {
    const { handle, sent } = setup();
    await handle({ expireInterval: 7 }, undefined, TRUSTED);
    expect(sent[0].request).toMatchObject({ expireType: 1, expireInterval: 7 });
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
    [{ jump_wxa: { query: 'name=张三' } }, 40212, 'jump_wxa.query'],
    [{ jumpWxa: { envVersion: 'prod' } }, 85402, 'jumpWxa.envVersion'],
    [{ expireTime: (NOW_S + 3600) * 1000 }, 85401, 'expireTime'],
    [{ expireInterval: 31 }, 85401, 'expireInterval'],
    [{ expireType: 2 }, 47001, 'expireType'],
    [{ cq: 'a b' }, 40212, 'cq'],
  ])('rejects %j locally with the platform code %d, naming %s, and spends nothing', async (event, errcode, field) => {
    const { handle, sent } = setup();
    const reply = (await handle(event, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode, field, source: 'input', retryable: false });
    expect(reply.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(reply.hint.en.length).toBeGreaterThan(5);
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['query', { jumpWxa: { query: 'a=\ud83d' } }, 'jumpWxa.query', 'query.charset'],
    ['cq', { cq: 'uid=\udc00' }, 'cq', 'cq.charset'],
  ])('a lone UTF-16 surrogate in the %s is 40212 %s, not an exception, and costs no call', async (_what, event, field, rule) => {
    const { handle, sent } = setup();
    const reply = (await handle(event, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 40212, field, rule, source: 'input' });
    expect(sent).toHaveLength(0);
  });

  it('appends cq to the generated link and builds the h5Url', async () => {
    const { handle } = setup([], { env: { GENSCHEME_H5_BASE_URL: 'https://demo.tcloudbaseapp.com/jump.html' } });
    const reply = (await handle({ cq: 'uid=42&src=sms' }, undefined, TRUSTED)) as GenerateReply;
    expect(reply.openlink).toBe('weixin://dl/business/?t=TICKET1&cq=uid%3D42%26src%3Dsms');
    expect(reply.h5Url).toBe('https://demo.tcloudbaseapp.com/jump.html?t=TICKET1&cq=uid%3D42%26src%3Dsms');
  });

  it('clamps an expireTime within a minute of the 30-day edge, sends the clamped value and says so', async () => {
    const { handle, sent } = setup();
    const reply = (await handle({ expireTime: NOW_S + 30 * DAY }, undefined, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, expireTime: NOW_S + 30 * DAY - 60 });
    expect(sent[0].request).toMatchObject({ expireType: 0, expireTime: NOW_S + 30 * DAY - 60 });
    expect(reply.warnings.map((w) => w.code)).toEqual(['expiry.clamped']);
    expect(reply.warnings[0].en).toContain(String(NOW_S + 30 * DAY - 60));
  });

  it('the clamp warning comes with the failure too when WeChat then refuses', async () => {
    const { handle } = setup([sdkError(40002)]);
    const reply = (await handle({ expire_time: NOW_S + 30 * DAY - 1 }, undefined, TRUSTED)) as ErrorReply;
    expect(reply.errcode).toBe(40002);
    expect(reply.warnings?.map((w) => w.code)).toEqual(['expiry.clamped']);
    expect(reply.warnings?.[0].en).toContain('expire_time');
  });
});

describe('query, quota and plaintext through the handler', () => {
  const scheme = 'weixin://dl/business/?t=TICKET9';
  const info = (over: Record<string, unknown> = {}) => ({
    schemeInfo: {
      appid: 'wx1234567890abcdef',
      path: 'pages/index/index',
      query: 'a=1',
      createTime: NOW_S - 60,
      expireTime: NOW_S + DAY,
      envVersion: 'release',
      ...over,
    },
  });

  it('query: reads what WeChat knows about a link, with query_type 0', async () => {
    const { handle, sent } = setup([info()]);
    const reply = (await handle({ action: 'query', scheme }, undefined, USER)) as QueryReply;
    expect(reply).toMatchObject({
      errcode: 0,
      action: 'query',
      scheme,
      path: 'pages/index/index',
      query: 'a=1',
      envVersion: 'release',
      createTime: NOW_S - 60,
      expireTime: NOW_S + DAY,
      expired: false,
      attempts: 1,
    });
    expect(sent).toEqual([{ api: 'urlscheme.query', request: { scheme, queryType: 0 } }]);
  });

  it('query: a link whose expire_time is now is expired; one second later it is not yet', async () => {
    const { handle } = setup([info({ expireTime: NOW_S }), info({ expireTime: NOW_S + 1 })]);
    expect(await handle({ action: 'query', scheme }, undefined, TRUSTED)).toMatchObject({
      errcode: 0,
      expireTime: NOW_S,
      expired: true,
      warnings: [{ code: 'query.expired' }],
    });
    expect(await handle({ action: 'query', scheme }, undefined, TRUSTED)).toMatchObject({ errcode: 0, expireTime: NOW_S + 1, expired: false, warnings: [] });
  });

  it('query: a malformed link costs no call', async () => {
    const { handle, sent } = setup();
    expect(await handle({ action: 'query', scheme: 'https://example.com' }, undefined, USER)).toMatchObject({
      errcode: 40097,
      rule: 'scheme.format',
      field: 'scheme',
    });
    expect(sent).toHaveLength(0);
  });

  it('query: a user asking about a link outside its scope gets the same 85403 as for a link that does not exist', async () => {
    const { handle } = setup(
      [
        sdkError(85403, 'openapi.urlscheme.query:fail scheme not exist'),
        info({ envVersion: 'develop' }),
        info({ path: 'pages/publishHomework/publishHomework' }),
      ],
      {
        policyJson: { user: { pages: ['pages/index/index'] } },
      },
    );
    const missing = (await handle({ action: 'query', scheme }, undefined, USER)) as ErrorReply;
    expect(missing).toMatchObject({ errcode: 85403, source: 'wechat', rule: 'wechat.85403', field: 'scheme', retryable: false });
    const develop = (await handle({ action: 'query', scheme }, undefined, USER)) as ErrorReply;
    const otherPage = (await handle({ action: 'query', scheme }, undefined, USER)) as ErrorReply;
    expect(develop).toEqual(missing);
    expect(otherPage).toEqual(missing);
    expect(JSON.stringify(develop)).not.toContain('develop');
  });

  it('query: trusted callers read any link of the mini program', async () => {
    const { handle } = setup([info({ envVersion: 'develop' })]);
    expect(await handle({ action: 'query', scheme }, undefined, TRUSTED)).toMatchObject({ errcode: 0, envVersion: 'develop' });
  });

  it('quota: reads the remaining quota with query_type 1, big numbers included', async () => {
    const { handle, sent } = setup([{ quotaInfo: { remainVisitQuota: 499_990 } }]);
    expect(await handle({ action: 'quota' }, undefined, USER)).toMatchObject({
      errcode: 0,
      action: 'quota',
      remainVisitQuota: 499_990,
    } satisfies Partial<QuotaReply>);
    expect(sent).toEqual([{ api: 'urlscheme.query', request: { queryType: 1 } }]);
  });

  it('public callers may not query links or the quota by default', async () => {
    const { handle, sent } = setup();
    expect(await handle({ action: 'quota' }, undefined, PUBLIC)).toMatchObject({ errcode: POLICY_DENIED, rule: 'policy.action', source: 'policy' });
    expect(await handle({ action: 'query', scheme }, undefined, PUBLIC)).toMatchObject({ errcode: POLICY_DENIED, rule: 'policy.action' });
    expect(sent).toHaveLength(0);
  });

  it("plaintext: builds the link locally with the caller's APPID, no call", async () => {
    const { handle, sent } = setup();
    const reply = (await handle({ action: 'plaintext', jumpWxa: { path: '/pages/index/index', query: 'a=1&b=张' } }, undefined, USER)) as PlaintextReply;
    expect(reply).toMatchObject({
      errcode: 0,
      action: 'plaintext',
      openlink: 'weixin://dl/business/?appid=wx1234567890abcdef&path=pages/index/index&query=a%3D1%26b%3D%E5%BC%A0&env_version=release',
    });
    expect(reply.warnings.map((w) => w.code)).toEqual(['plaintext.declare']);
    expect(sent).toHaveLength(0);
  });

  it('plaintext: without a known APPID it says where to set one', async () => {
    const { handle } = setup();
    expect(await handle({ action: 'plaintext', jumpWxa: { path: 'pages/index/index' } }, undefined, TRUSTED)).toMatchObject({
      rule: 'plaintext.appid',
      source: 'input',
    });
  });
});

describe('calling WeChat', () => {
  it("retries WeChat's own -1 (system error) and then succeeds, reporting the attempts", async () => {
    const { handle, sent, clock } = setup([wechatBusy(), wechatBusy()]);
    const reply = (await handle({}, { time_limit_in_ms: 3000 }, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 3 });
    expect(sent).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('does not retry a -1 that is an exception inside wx-server-sdk: WeChat may already have made the link', async () => {
    const { handle, sent } = setup([sdkInternal()]);
    const reply = (await handle({}, { time_limit_in_ms: 10_000 }, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -1, attempts: 1 });
    expect(reply.message.en).toContain('wx-server-sdk failed internally');
    expect(reply.errmsg).toContain('Cannot read properties');
    expect(sent).toHaveLength(1);
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
    expect(reply).toMatchObject({ errcode: -604101, source: 'cloud', retryable: false });
    expect(reply.hint.zh).toContain('config.json');
  });

  it('treats a reply without an openlink as a failure, not a success', async () => {
    const { handle } = setup([{ contentType: '', buffer: Buffer.alloc(0) }]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: NO_OPENLINK, retryable: true, rule: 'wechat.noOpenlink' });
  });

  it('gives up on -1 when another attempt as long as the first would not fit before the deadline', async () => {
    // Each call takes 500 ms of a 1000 ms budget: after the first, 90 ms backoff + 500 + 150 kept to reply does not fit.
    const { handle, sent } = setup([wechatBusy(), wechatBusy(), wechatBusy()], { callMs: 500 });
    const reply = (await handle({}, { time_limit_in_ms: 1000 }, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -1, retryable: true, attempts: 1 });
    expect(sent).toHaveLength(1);
  });

  it('answers before the function times out when WeChat does not answer, and spends no retry on it', async () => {
    let calls = 0;
    const hanging = { urlscheme: { generate: () => (calls++, new Promise(() => undefined)), query: () => new Promise(() => undefined) } } as unknown as OpenApi;
    const { handle, clock } = setup([], { openapi: hanging });
    const pending = handle({}, { time_limit_in_ms: 3000 }, TRUSTED);
    let settled = false;
    void pending.then(() => (settled = true));
    await settle();
    clock.advance(2849);
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1); // 150 ms before the deadline: the time kept to reply
    const reply = (await pending) as ErrorReply;
    expect(reply).toMatchObject({ errcode: TIME_BUDGET, source: 'genscheme', rule: 'budget.deadline', retryable: true, attempts: 1, action: 'generate' });
    expect(reply.hint.en).toContain('timeout');
    expect(calls).toBe(1);
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
    // The 101st call had to wait for the first one to leave the 1 s window: memory limits are not
    // shared, so only the instance's own window applies (a second after the first answer).
    expect(clock.sleeps).toEqual([1000]);
  });

  it('query and quota calls are not paced', async () => {
    const { handle, clock } = setup(Array.from({ length: 101 }, () => ({ quotaInfo: { remainVisitQuota: 1 } })));
    for (let i = 0; i < 101; i++) expect((await handle({ action: 'quota' }, undefined, TRUSTED)).errcode).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('the time limit', () => {
  it.each([
    [undefined, DEFAULT_TIME_LIMIT_MS],
    [{}, DEFAULT_TIME_LIMIT_MS],
    [{ time_limit_in_ms: 0 }, DEFAULT_TIME_LIMIT_MS],
    [{ time_limit_in_ms: -5 }, DEFAULT_TIME_LIMIT_MS],
    [{ time_limit_in_ms: Number.NaN }, DEFAULT_TIME_LIMIT_MS],
    [{ time_limit_in_ms: '10000' }, DEFAULT_TIME_LIMIT_MS],
    [{ time_limit_in_ms: 500 }, 1000],
    [{ time_limit_in_ms: 10_000 }, 10_000],
    [{ time_limit_in_ms: 10_000_000 }, 900_000],
    [{ time_limit_in_ms: Infinity }, DEFAULT_TIME_LIMIT_MS],
  ])('timeLimitOf(%p) is %d ms (CloudBase runs functions 1 s to 900 s)', (context, ms) => {
    expect(DEFAULT_TIME_LIMIT_MS).toBe(3000);
    expect(timeLimitOf(context)).toBe(ms);
  });

  it('assumes 3 s when the runtime passes no time_limit_in_ms: 44990 three times gives up after 3 attempts', async () => {
    // 44990 waits 1000 ms + jitter (1125 ms at random 0.5); with 150 ms kept to reply a third
    // wait no longer fits in 3 s, while a longer budget allows the fourth attempt.
    for (const context of [undefined, {}, { time_limit_in_ms: 0 }, { time_limit_in_ms: -5 }]) {
      const { handle, sent } = setup([sdkError(44990), sdkError(44990), sdkError(44990), sdkError(44990)]);
      const reply = (await handle({}, context, TRUSTED)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: 44990, attempts: 3 });
      expect(sent).toHaveLength(3);
    }
    const { handle } = setup([sdkError(44990), sdkError(44990), sdkError(44990), sdkError(44990)]);
    expect(await handle({}, { time_limit_in_ms: 10_000 }, TRUSTED)).toMatchObject({ errcode: 44990, attempts: 4 });
  });

  it('a time limit below 1 s is read as 1 s: a hanging call is given up at 850 ms, not at once', async () => {
    const hanging = { urlscheme: { generate: () => new Promise(() => undefined), query: () => new Promise(() => undefined) } } as unknown as OpenApi;
    const { handle, clock } = setup([], { openapi: hanging });
    const pending = handle({}, { time_limit_in_ms: 1 }, TRUSTED);
    let settled = false;
    void pending.then(() => (settled = true));
    await settle();
    clock.advance(849);
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await pending).toMatchObject({ errcode: TIME_BUDGET });
  });
});

describe('callers and the policy', () => {
  it('by default users get release links only; trusted callers get develop too', async () => {
    const { handle, sent } = setup();
    expect(await handle({ jumpWxa: { envVersion: 'develop' } }, undefined, USER)).toMatchObject({
      errcode: POLICY_DENIED,
      rule: 'policy.envVersion',
      field: 'jumpWxa.envVersion',
      source: 'policy',
      retryable: false,
    });
    expect(await handle({ jump_wxa: { env_version: 'trial' } }, undefined, PUBLIC)).toMatchObject({ rule: 'policy.envVersion', field: 'jump_wxa.env_version' });
    expect(sent).toHaveLength(0);
    expect(await handle({ jumpWxa: { envVersion: 'develop' } }, undefined, TRUSTED)).toMatchObject({ errcode: 0 });
  });

  it('a days-cap denial names the expiry field the caller actually sent', async () => {
    const { handle } = setup([], { policyJson: { user: { maxDays: 7 } } });
    const reply = (await handle({ expire_time: NOW_S + 10 * DAY }, undefined, USER)) as ErrorReply;
    expect(reply).toMatchObject({ rule: 'policy.days', field: 'expire_time' });
    expect(await handle({ expireInterval: 7 }, undefined, USER)).toMatchObject({ errcode: 0 });
  });

  it('public callers can be switched off', async () => {
    const { handle } = setup([], { env: { GENSCHEME_PUBLIC: 'off' } });
    expect(await handle({}, undefined, PUBLIC)).toMatchObject({ errcode: PUBLIC_DISABLED, rule: 'policy.public-disabled' });
    expect(await handle({}, undefined, USER)).toMatchObject({ errcode: 0 });
  });

  it('rate-limits a user after 20 calls a minute, with retryAfterMs and retryable', async () => {
    const { handle } = setup();
    for (let i = 0; i < 20; i++) expect((await handle({}, undefined, USER)).errcode).toBe(0);
    const reply = (await handle({}, undefined, USER)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: RATE_LIMITED, rule: 'policy.rate-user', retryable: true, source: 'policy' });
    expect(reply.retryAfterMs).toBeGreaterThan(0);
    expect((await handle({}, undefined, { ...USER, OPENID: 'oOther' })).errcode).toBe(0);
  });

  it('a wrong policy refuses untrusted callers and reveals no details to them; trusted callers are served and told what is wrong', async () => {
    const { handle, configuration, sent } = setup([], { policyJson: { user: { maxDays: 31 }, adminOpenids: ['oSecretAdmin'] } });
    expect(configuration.startupLog.join('\n')).toContain('policy user.maxDays: 31');
    for (const wx of [USER, PUBLIC]) {
      const reply = (await handle({}, undefined, wx)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: POLICY_DENIED, rule: 'policy.misconfigured', source: 'policy' });
      expect(reply).not.toHaveProperty('field');
      expect(reply).not.toHaveProperty('warnings');
      const text = JSON.stringify(reply);
      for (const secret of ['maxDays', '31', 'oSecretAdmin', 'policy user']) expect(text).not.toContain(secret);
    }
    expect(sent).toHaveLength(0);
    const trusted = (await handle({}, undefined, TRUSTED)) as GenerateReply;
    expect(trusted.errcode).toBe(0);
    expect(trusted.warnings.map((w) => w.code)).toEqual(['expiry.defaulted', 'policy.invalid']);
    expect(trusted.warnings[1].en).toContain('policy user.maxDays: 31');
  });
});

describe('the admin token', () => {
  it('a console call with the right admin token is trusted; a wrong one stays public', async () => {
    const { handle, lines } = setup();
    expect(await handle({ jumpWxa: { envVersion: 'develop' }, adminToken: ADMIN_TOKEN }, undefined, {})).toMatchObject({ errcode: 0 });
    expect(await handle({ jumpWxa: { envVersion: 'develop' }, admin_token: `${ADMIN_TOKEN}x` }, undefined, {})).toMatchObject({ rule: 'policy.envVersion' });
    expect(JSON.parse(lines[0])).toMatchObject({ caller: 'trusted', reason: 'admin-token' });
    expect(JSON.parse(lines[1])).toMatchObject({ caller: 'public', reason: 'admin-token-wrong' });
  });

  it('after 5 wrong tokens from one caller in 10 minutes, even the right one is refused, for that caller only', async () => {
    const { handle, clock, lines } = setup();
    const guesser = { SOURCE: 'wx_http', CLIENTIP: '198.51.100.7' };
    for (let i = 0; i < 5; i++) await handle({ action: 'plaintext', jumpWxa: { path: 'pages/index/index' }, adminToken: `guess-${i}` }, undefined, guesser);
    const refused = (await handle({ adminToken: ADMIN_TOKEN }, undefined, guesser)) as ErrorReply;
    expect(refused).toMatchObject({ errcode: RATE_LIMITED, rule: 'policy.rate-admin-token', field: 'adminToken', source: 'policy', retryable: true });
    expect(refused.retryAfterMs).toBe(10 * 60_000);
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ reason: 'admin-token-throttled', outcome: 'denied' });
    // Another caller is not affected, and the same caller without a token is served as public.
    expect(
      await handle({ jumpWxa: { envVersion: 'develop' }, adminToken: ADMIN_TOKEN }, undefined, { SOURCE: 'wx_http', CLIENTIP: '198.51.100.8' }),
    ).toMatchObject({ errcode: 0 });
    expect(await handle({ action: 'plaintext', jumpWxa: { path: 'pages/index/index' } }, undefined, { ...guesser, APPID: 'wx1234567890abcdef' })).toMatchObject(
      { errcode: 0 },
    );
    // Ten minutes after the first wrong guess, the right token works again.
    clock.advance(10 * 60_000);
    expect(await handle({ jumpWxa: { envVersion: 'develop' }, adminToken: ADMIN_TOKEN }, undefined, guesser)).toMatchObject({ errcode: 0 });
  });

  it("a trusted caller's token is not judged, and so never counted", async () => {
    const { handle } = setup();
    for (let i = 0; i < 10; i++) expect((await handle({ adminToken: 'wrong' }, undefined, TRUSTED)).errcode).toBe(0);
  });

  it.each([
    ['too short', 'tok-123'],
    ['an example value', 'change-me-admin-token-please'],
    ['too few distinct characters', 'abababababababababab'],
  ])('a %s GENSCHEME_ADMIN_TOKEN is disabled and the start-up log says why', async (_why, token) => {
    const { handle, configuration } = setup([], { env: { GENSCHEME_ADMIN_TOKEN: token } });
    expect(configuration.adminToken).toBeUndefined();
    expect(configuration.startupLog.join('\n')).toContain('GENSCHEME_ADMIN_TOKEN is too weak');
    expect(configuration.startupLog.join('\n')).not.toContain(token);
    expect(await handle({ jumpWxa: { envVersion: 'develop' }, adminToken: token }, undefined, {})).toMatchObject({ rule: 'policy.envVersion' });
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
    expect(reply).toMatchObject({ errcode: INTERNAL, source: 'genscheme' });
  });

  it('turns an event that throws when read into a reply, and still logs', async () => {
    const { handle, lines } = setup();
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    const reply = (await handle(hostile, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: INTERNAL, rule: 'genscheme.internal', action: 'generate' });
    expect(lines).toHaveLength(1);
  });

  it('a log function that throws does not turn a reply into a failure', async () => {
    const clock = new FakeClock(NOW_S * 1000);
    const { settings, policy } = configure({}, {}, PAGES, ACTION_ACCESS);
    const handle = createHandler({
      openapi: { urlscheme: { generate: async () => ({ openlink: 'weixin://dl/business/?t=T' }), query: async () => ({}) } } as unknown as OpenApi,
      clock,
      actions: ACTIONS,
      settings,
      policy,
      log: () => {
        throw new Error('log down');
      },
      state: createState({ mode: 'memory', clock, log: () => undefined }),
    });
    expect(await handle({}, undefined, TRUSTED)).toMatchObject({ errcode: 0 });
  });

  it('logs one structured line per call, with no token and no raw OPENID', async () => {
    const { handle, lines } = setup();
    await handle({ adminToken: ADMIN_TOKEN }, undefined, { OPENID: 'o-very-secret-openid' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ genScheme: 1, action: 'generate', caller: 'trusted', reason: 'admin-token', outcome: 'ok', errcode: 0, attempts: 1 });
    expect(line.openid).toHaveLength(12);
    expect(lines[0]).not.toContain(ADMIN_TOKEN);
    expect(lines[0]).not.toContain('o-very-secret-openid');
  });

  it('logs the outcome and rule of a refusal', async () => {
    const { handle, lines } = setup();
    await handle({ jumpWxa: { path: 'pages/nope' } }, undefined, USER);
    await handle({ jumpWxa: { envVersion: 'develop' } }, undefined, USER);
    expect(JSON.parse(lines[0])).toMatchObject({ outcome: 'rejected', errcode: 40165, rule: 'path.unknownPage', caller: 'user' });
    expect(JSON.parse(lines[1])).toMatchObject({ outcome: 'denied', rule: 'policy.envVersion' });
  });
});

describe('time budget and link validity (added by the test audit)', () => {
  it.each([
    ['a text that is not a link', { openlink: 'ok', errCode: 0 }],
    ['an https URL', { openlink: 'https://example.com/?t=abc', errCode: 0 }],
    ['a scheme without a ticket', { openlink: 'weixin://dl/business/?x=1', errCode: 0 }],
    ['a non-string openlink', { openlink: 42, errCode: 0 }],
  ])('treats %s from the SDK as a failure, not a link', async (_what, answer) => {
    const { handle } = setup([answer]);
    const reply = (await handle({}, undefined, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: NO_OPENLINK, retryable: true });
    expect(reply).not.toHaveProperty('openlink');
  });
});

/** Lets the handler's awaits on the (in-memory) state port run before the clock moves. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
