/**
 * The audit's defects (issue 11, section 4), each pinned through the BUILT function
 * (cloudfunctions/genScheme/index.js), the real wx-server-sdk and the CloudBase emulator.
 * Nothing of cloud.openapi is mocked. Each test fails on the code the audit read (commit
 * ec3f4df) except the rows marked "guard" (they pass there too and pin that it stays so) and
 * one marked "control". Each `describe` names the defect; the comments say why it matters.
 * `emulator.calls` proves what reached the gateway: a refusal must spend no quota.
 */
import type { ErrorReply, GenerateReply, GenSchemeReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import type { LoadedFunction } from '../../emulator/src/run-function';
import { captureLogs, loadWithEnv } from '../support/function';

const TOKEN = 'test-admin-token-9f3b2c'; // a strong token: ≥ 16 characters, not an example value
const APPID = 'wx0123456789abcdef'; // the emulator's default appid
const DAY = 86_400;
const MAX_S = 30 * DAY; // the platform keeps a link 30 days at most
const SKEW_S = 60; // the clock-skew margin kept at both ends of the expiry range
const MB = 1 << 20;

let emulator: Emulator;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  emulator = await startEmulator({ seed: 23 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const nowS = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const user = (openid: string) => ({ openid, source: 'wx_client' });
const web = (ip: string) => ({ source: 'wx_http', clientIp: ip });
const TRUSTED = { source: 'wx_client,scf' }; // relayed by another function of this environment
const develop = { jumpWxa: { path: 'pages/index/index', envVersion: 'develop' } };
const err = (reply: GenSchemeReply) => reply as ErrorReply;
/** The function's structured log records (one JSON line per call, marked "genScheme":1). */
const records = (lines: string[]) => lines.filter((l) => l.includes('"genScheme":1')).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Start-up log lines of a fresh instance: console.log / console.error via captureLogs, plus console.warn. */
async function loadCapturingStartup(env: Record<string, string>) {
  const warned: string[] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warned.push(args.join(' ')));
  try {
    const { result, lines } = await captureLogs(async () => loadWithEnv(emulator, env));
    return { fn: result, lines: [...lines, ...warned] };
  } finally {
    warn.mockImplementation(() => undefined);
  }
}

/** Makes a link as a trusted caller; returns its openlink. */
async function issueLink(f: LoadedFunction<unknown, GenSchemeReply>, event: Record<string, unknown> = {}): Promise<string> {
  const made = (await f.invoke(event, TRUSTED)) as GenerateReply;
  expect(made.errcode).toBe(0);
  return made.openlink;
}

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 1: admin-token guessing is unlimited', () => {
  // A wrong token was refused before any rate slot was taken, so one caller could try hundreds of
  // guesses a second. Contract: 5 failed attempts per caller per 10 minutes; from the 6th event
  // carrying ANY adminToken (even the right one) the reply is a rate refusal and nothing is sent.
  const throttled = { errcode: -900011, source: 'policy', rule: 'policy.rate-admin-token', retryable: true };

  it('a console caller (no OPENID, no IP: the shared anonymous key) gets 5 wrong guesses; the 6th event, even with the right token, is refused and sends nothing', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    for (let i = 1; i <= 5; i++) expect((await f.invoke({ ...develop, adminToken: `guess-${i}-xxxxxxxxxxxx` })).errcode).toBe(-900010);
    const sixth = await f.invoke({ ...develop, adminToken: TOKEN });
    expect(sixth).toMatchObject(throttled);
    expect(emulator.calls).toHaveLength(0);
  });

  it('guesses through action "quota" count too, and the throttled call never reaches WeChat', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    for (let i = 1; i <= 5; i++) expect((await f.invoke({ action: 'quota', adminToken: `guess-${i}-xxxxxxxxxxxx` })).errcode).toBe(-900010);
    expect(await f.invoke({ action: 'quota', adminToken: TOKEN })).toMatchObject({ ...throttled, action: 'quota' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('callers are throttled apart: by client IP (two IPs independent) and by OPENID', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    for (let i = 1; i <= 5; i++) await f.invoke({ ...develop, adminToken: `guess-${i}-xxxxxxxxxxxx` }, web('198.51.100.7'));
    expect(await f.invoke({ ...develop, adminToken: TOKEN }, web('198.51.100.7'))).toMatchObject(throttled);
    expect((await f.invoke({ ...develop, adminToken: TOKEN }, web('198.51.100.8'))).errcode).toBe(0);

    for (let i = 1; i <= 5; i++) await f.invoke({ ...develop, adminToken: `guess-${i}-xxxxxxxxxxxx` }, user('oGuesser'));
    expect(await f.invoke({ ...develop, adminToken: TOKEN }, user('oGuesser'))).toMatchObject(throttled);
    expect((await f.invoke({ ...develop, adminToken: TOKEN }, user('oInnocent'))).errcode).toBe(0);
    expect(emulator.calls).toHaveLength(2);
  });

  it('the log names a wrong token "admin-token-wrong", not "no-openid"', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    const { lines } = await captureLogs(() => f.invoke({ ...develop, adminToken: 'not-the-token-xxxxxx' }, web('198.51.100.9')));
    const [record] = records(lines);
    expect(record).toMatchObject({ reason: 'admin-token-wrong' });
    expect(lines.join('\n')).not.toContain('not-the-token-xxxxxx');
  });

  // A short token is guessable, and an example value from the docs is the first thing an attacker
  // tries: either one disables token admin, and start-up says so.
  it.each([
    ['short (< 16 characters)', 'secret'],
    ['an example value', 'change-me-admin-token'],
  ])('a weak GENSCHEME_ADMIN_TOKEN (%s) disables token admin, with a start-up log line', async (_why, weak) => {
    const { fn: f, lines } = await loadCapturingStartup({ GENSCHEME_ADMIN_TOKEN: weak });
    expect(lines.some((l) => l.includes('GENSCHEME_ADMIN_TOKEN') && l.includes('disabled'))).toBe(true);
    expect(await f.invoke({ ...develop, adminToken: weak })).toMatchObject({ errcode: -900010, source: 'policy' });
    expect(emulator.calls).toHaveLength(0);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 2: no clock-skew margin at the 30-day edge', () => {
  // The lower bound keeps a minute for skew, the upper one kept none: now + 30 days was sent as is
  // and fails at WeChat when its clock is a second behind ours. Contract: clamp to
  // now + 30 days − 60 s with a warning; beyond 30 days refuse, and the hint's "latest" keeps the margin.
  const fn = () => loadWithEnv(emulator);

  it('expireTime = now + 30 days is clamped to keep 60 s of margin, with an "expiry.clamped" warning', async () => {
    const before = nowS();
    const reply = (await fn().invoke({ expireTime: before + MAX_S }, TRUSTED)) as GenerateReply;
    const after = nowS();
    expect(reply.errcode).toBe(0);
    expect(reply.warnings.map((w) => w.code)).toContain('expiry.clamped');
    expect(emulator.calls).toHaveLength(1);
    const sent = emulator.calls[0].request.expire_time as number;
    expect(sent).toBeLessThanOrEqual(before + MAX_S - SKEW_S + 2);
    expect(sent).toBeGreaterThan(after + MAX_S - DAY); // clamped to the edge, not far below it
    expect(reply.expireTime).toBe(sent);
  });

  it('expireTime = now + 30 days + 1 s is refused (85401 tooLate), nothing sent, and the suggested latest time keeps the margin', async () => {
    const reply = err(await fn().invoke({ expireTime: nowS() + MAX_S + 1 }, TRUSTED));
    const after = nowS();
    expect(reply).toMatchObject({ errcode: 85401, rule: 'expireTime.tooLate', source: 'input' });
    expect(emulator.calls).toHaveLength(0);
    const latest = Number(/\b\d{10}\b/.exec(reply.hint.en)?.[0]);
    expect(latest).toBeGreaterThan(0);
    expect(latest).toBeLessThanOrEqual(after + MAX_S - SKEW_S);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 3: a lone surrogate is bad input, not an internal error', () => {
  // encodeURIComponent('\ud800') throws "URI malformed": the reply was -900099 (our bug) where
  // the caller needs the field's input error.
  it.each([
    ['jumpWxa.query', { jumpWxa: { path: 'pages/index/index', query: 'a=\ud800' } }, 'jumpWxa.query', 'query.charset'],
    ['cq', { jumpWxa: { path: 'pages/index/index' }, cq: 'x\udc00' }, 'cq', undefined],
    ['a plaintext link’s jumpWxa.query', { action: 'plaintext', jumpWxa: { path: 'pages/index/index', query: 'a=\ud800' } }, 'jumpWxa.query', 'query.charset'],
  ])('%s with a lone surrogate → 40212 naming the field, nothing sent', async (_what, event, field, rule) => {
    const f = loadWithEnv(emulator, { GENSCHEME_APPID: APPID });
    const reply = err(await f.invoke(event, TRUSTED));
    expect(reply).toMatchObject({ errcode: 40212, field, source: 'input', ...(rule ? { rule } : {}) });
    expect(reply.errcode).not.toBe(-900099);
    expect(emulator.calls).toHaveLength(0);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 4: replies echo whatever they were sent', () => {
  // A 1 MB path gave a 3 MB reply (in errmsg, message and hint). Every echoed value must be
  // clipped: a reply stays under 4 KB whatever the event holds.
  const big = (prefix = '') => prefix + 'x'.repeat(MB);
  it.each<[string, () => Promise<Record<string, unknown>>]>([
    ['jumpWxa.path', async () => ({ jumpWxa: { path: big('pages/') } })],
    ['jumpWxa.query', async () => ({ jumpWxa: { path: 'pages/index/index', query: big('a=') } })], // guard: only its length is echoed
    ['cq', async () => ({ cq: big('u=') })], // guard: only its length is echoed
    ['jumpWxa.envVersion', async () => ({ jumpWxa: { path: 'pages/index/index', envVersion: big() } })],
    ['an unknown field NAME', async () => ({ [big('expire_')]: 1 })],
    ['action', async () => ({ action: big() })], // guard: clipped to 60 characters already
    // A real ticket with a 1 MB extra parameter: WeChat resolves the ticket, and the reply echoed the scheme.
    ['scheme of action query', async () => ({ action: 'query', scheme: `${await issueLink(loadWithEnv(emulator))}&zz=${big()}` })],
    ['adminToken', async () => ({ ...develop, adminToken: big() })], // guard: never echoed
  ])('a 1 MB %s gives a reply under 4 KB', async (_what, makeEvent) => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    const event = await makeEvent();
    const reply = await f.invoke(event, TRUSTED);
    expect(JSON.stringify(reply).length).toBeLessThan(4096);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 5: query reports success when WeChat’s answer has no scheme_info', () => {
  // The reply was errcode 0 with expireTime 0 — which the README says means "never expires".
  // Like generate and quota, an answer without the data asked for is a failure (-900020).
  it.each([
    ['an empty 200 body', { api: 'urlscheme.query', kind: 'emptyBody' as const }],
    ['errcode 0 without scheme_info', { api: 'urlscheme.query', kind: 'errcode' as const, errcode: 0, errmsg: 'ok' }],
  ])('%s → -900020 from the wechat source, and no "never expires" expireTime', async (_what, fault) => {
    const f = loadWithEnv(emulator);
    emulator.setFaults({ faults: [fault] });
    const reply = err(await f.invoke({ action: 'query', scheme: 'weixin://dl/business/?t=AbCdEf123456' }, TRUSTED));
    expect(reply).toMatchObject({ errcode: -900020, source: 'wechat', action: 'query' });
    expect(reply).not.toHaveProperty('expireTime');
    expect(emulator.calls).toHaveLength(1);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 6: a retry can spend quota and lose the link', () => {
  // WeChat slow (2 s) and answering -1 once, 3 s limit: the function started a second generate it
  // could not finish — WeChat issued a link and the caller got -900021. A retry must start only when
  // a whole attempt (judged from the attempts so far) fits in the time left.
  it('with 2 s per attempt and a 3 s limit, -1 is returned after ONE attempt and no second generate is started', async () => {
    const f = loadWithEnv(emulator);
    emulator.setFaults({ latencyMs: 2000, faults: [{ kind: 'busy', on: [1] }] });
    try {
      const reply = err(await f.invoke({}, TRUSTED, { time_limit_in_ms: 3000 }));
      // Let any call started late reach the gateway before counting (it is recorded on arrival).
      await sleep(500);
      expect(reply).toMatchObject({ errcode: -1, attempts: 1, retryable: true });
      expect(emulator.calls.filter((c) => c.apiName === 'urlscheme.generate')).toHaveLength(1);
    } finally {
      await sleep(2000); // a second call, if one was made, is answered before the next test starts
    }
  }, 15_000);

  // Control (passes today too): a fast retry that fits is still made.
  it('control: with 100 ms per attempt, one -1 is retried and the link is made (attempts 2)', async () => {
    const f = loadWithEnv(emulator);
    emulator.setFaults({ latencyMs: 100, faults: [{ kind: 'busy', on: [1] }] });
    const reply = await f.invoke({}, TRUSTED, { time_limit_in_ms: 3000 });
    expect(reply).toMatchObject({ errcode: 0, attempts: 2 });
    expect(emulator.calls.map((c) => c.errcode)).toEqual([-1, 0]);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('defect 7: policy configuration errors reach untrusted callers', () => {
  // The denial quoted the first configuration error — policy text that can hold admin OPENIDs.
  // Untrusted callers get a generic "misconfigured"; details go to the log and to trusted callers.
  const POLICY = '{"adminOpenids":["oAdminSecret42"],"user":{"maxDays":99}}';

  it('a user gets a generic "policy.misconfigured" refusal with nothing of the policy in it', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_POLICY: POLICY, GENSCHEME_ADMIN_TOKEN: TOKEN });
    const reply = err(await f.invoke({}, user('oUser1')));
    expect(reply).toMatchObject({ errcode: -900010, source: 'policy', rule: 'policy.misconfigured' });
    const text = JSON.stringify(reply);
    for (const secret of ['maxDays', 'oAdminSecret42', '99', 'GENSCHEME_POLICY']) expect(text).not.toContain(secret);
    expect(emulator.calls).toHaveLength(0);
  });

  it('a trusted caller succeeds and is told (warning "policy.invalid" naming maxDays); the start-up log has the details', async () => {
    const { fn: f, lines } = await loadCapturingStartup({ GENSCHEME_POLICY: POLICY, GENSCHEME_ADMIN_TOKEN: TOKEN });
    expect(lines.join('\n')).toContain('maxDays');
    const reply = (await f.invoke({ adminToken: TOKEN })) as GenerateReply;
    expect(reply.errcode).toBe(0);
    const warning = reply.warnings.find((w) => w.code === 'policy.invalid');
    expect(warning?.en).toContain('maxDays');
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('main never rejects, whatever an in-process caller hands it', () => {
  // The catch turned the thrown value into text with String(): a null-prototype object (or a
  // revoked Proxy) cannot be converted, so main REJECTED — a bare platform error for the caller.
  const throwing = (value: () => unknown) =>
    Object.defineProperty({}, 'action', {
      enumerable: true,
      get: () => {
        throw value();
      },
    });
  const revokedProxy = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  it.each<[string, () => unknown]>([
    ['Object.create(null)', () => Object.create(null)],
    ['a revoked Proxy', revokedProxy],
    ['a Symbol', () => Symbol('boom')], // guard: String(symbol) works
  ])('an event whose getter throws %s: main resolves to an error reply with a message', async (_what, value) => {
    const f = loadWithEnv(emulator);
    const reply = await f.invoke(throwing(value), TRUSTED).catch((e: unknown) => ({ rejectedWith: typeof e }));
    expect(reply).toHaveProperty('errcode');
    expect(err(reply as GenSchemeReply).errcode).toBeLessThan(0);
    expect(typeof err(reply as GenSchemeReply).message?.en).toBe('string');
    expect(emulator.calls).toHaveLength(0);
  });

  // Guard: whatever the fix for the above, an event without Object.prototype stays a normal event.
  it('a null-prototype event is a normal event', async () => {
    const f = loadWithEnv(emulator);
    const event = Object.assign(Object.create(null), { jumpWxa: { path: 'pages/index/index' } });
    expect(await f.invoke(event, TRUSTED)).toMatchObject({ errcode: 0 });
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('absurd time_limit_in_ms values are clamped', () => {
  // 1 ms gave up before WeChat could answer; 1e15 overflowed setTimeout (Node fires it after 1 ms).
  // Contract: a limit below 1000 ms is raised to 1000, a non-number / non-finite / absurd one is
  // the default, and the function's timers never keep the process alive.
  it.each<[string, unknown]>([
    ['1', 1],
    ['-5', -5], // guard: falls back to the default today
    ['NaN', NaN], // guard
    ["'3000' (a string)", '3000'], // guard
    ['1e15', 1e15],
  ])('time_limit_in_ms = %s with WeChat answering in 300 ms → the link, quickly', async (_what, limit) => {
    const f = loadWithEnv(emulator);
    emulator.setFaults({ latencyMs: 300 });
    const started = Date.now();
    const reply = await f.invoke({}, TRUSTED, { time_limit_in_ms: limit as number });
    expect(reply).toMatchObject({ errcode: 0, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('decision 10a: an SDK-internal exception with errCode -1 is not retried', () => {
  // WeChat's "system busy" and an exception inside wx-server-sdk both arrive as errCode -1:
  //   WeChat:   CloudSDKError, errMsg "openapi.urlscheme.generate:fail system error rid: …"
  //   SDK bug:  TypeError,     errMsg "openapi.urlscheme.generate:fail Cannot read properties of null (reading 'errcode')"
  // After the SDK's own failure WeChat may have made the link: a retry could duplicate it.
  // The emulator's `nullBody` fault sends a well-formed answer whose JSON body is `null`.
  it('a -1 raised inside the SDK is returned after one attempt, one gateway call', async () => {
    const f = loadWithEnv(emulator);
    emulator.setFaults({ faults: [{ kind: 'nullBody', on: [1] }] });
    const reply = err(await f.invoke({}, TRUSTED));
    expect(reply).toMatchObject({ errcode: -1, attempts: 1 });
    expect(emulator.calls).toHaveLength(1);
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('decision 10b: a user querying a develop link learns nothing, not even that it exists', () => {
  // A distinct "policy.scope" refusal told a user the ticket is real (and of another version).
  // It must look exactly like a ticket that was never issued (85403).
  it('the reply for a develop link equals the reply for a ticket that never existed', async () => {
    const f = loadWithEnv(emulator, { GENSCHEME_ADMIN_TOKEN: TOKEN });
    const dev = (await f.invoke({ ...develop, adminToken: TOKEN })) as GenerateReply;
    expect(dev.errcode).toBe(0);
    const hidden = err(await f.invoke({ action: 'query', scheme: dev.openlink }, user('oUserQ')));
    const missing = err(await f.invoke({ action: 'query', scheme: 'weixin://dl/business/?t=NeverIssued0000' }, user('oUserQ')));
    expect(missing.errcode).toBe(85403);
    const visible = (r: ErrorReply) => ({
      keys: Object.keys(r).sort(),
      errcode: r.errcode,
      errmsg: r.errmsg.replace(/rid: \S+/, 'rid: …'),
      message: r.message,
      hint: r.hint,
      rule: r.rule,
      field: r.field,
      source: r.source,
      retryable: r.retryable,
    });
    expect(visible(hidden)).toEqual(visible(missing));
    expect(JSON.stringify(hidden)).not.toContain('develop');
  });
});

// ───────────────────────────────────────────────────────────────────────────────────────────
describe('decision 10c: query checks a scheme’s cq and plaintext form before forwarding it', () => {
  // WeChat refused these after a call; the function can tell the caller which part is wrong,
  // naming the field, without a call.
  it('a ticket link with a space in cq → 40212 on "scheme" (rule scheme.cq), nothing sent', async () => {
    const f = loadWithEnv(emulator);
    const link = await issueLink(f);
    const before = emulator.calls.length;
    const reply = err(await f.invoke({ action: 'query', scheme: `${link}&cq=a b` }, TRUSTED));
    expect(reply).toMatchObject({ errcode: 40212, field: 'scheme', rule: 'scheme.cq', source: 'input' });
    expect(emulator.calls).toHaveLength(before);
  });

  it('a plaintext link with an appid that is not an AppID → 40097 on "scheme" (rule scheme.format), nothing sent', async () => {
    const reply = err(
      await loadWithEnv(emulator).invoke({ action: 'query', scheme: 'weixin://dl/business/?appid=wxNOTVALID&path=pages/index/index' }, TRUSTED),
    );
    expect(reply).toMatchObject({ errcode: 40097, field: 'scheme', rule: 'scheme.format', source: 'input' });
    expect(emulator.calls).toHaveLength(0);
  });

  it('a plaintext link with env_version=beta → 85402 on "scheme", nothing sent', async () => {
    const scheme = `weixin://dl/business/?appid=${APPID}&path=pages/index/index&query=&env_version=beta`;
    const reply = err(await loadWithEnv(emulator).invoke({ action: 'query', scheme }, TRUSTED));
    expect(reply).toMatchObject({ errcode: 85402, field: 'scheme', source: 'input' });
    expect(emulator.calls).toHaveLength(0);
  });
});
