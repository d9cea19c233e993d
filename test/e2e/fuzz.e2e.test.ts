/**
 * Property-based tests (fast-check) over arbitrary events and callers, through the built
 * function, the real wx-server-sdk and the emulator. Whatever arrives:
 *  - the function resolves with a well-formed reply and never throws;
 *  - no prototype is polluted;
 *  - the gateway never receives a request that breaks a platform rule (the emulator checks
 *    every request with its own, independent implementation of the rules).
 */
import fc from 'fast-check';
import type { ErrorReply, GenerateReply, GenSchemeReply, PlaintextReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Caller, type Emulator } from '../../emulator/src';
import type { LoadedFunction } from '../../emulator/src/run-function';
import { PAGES } from '../support/app-pages';
import { loadWithEnv } from '../support/function';

const TOKEN = 'fuzz-admin-token';
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** Fixed by default so a CI failure can be replayed; FUZZ_SEED=<n> explores other cases. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
let emulator: Emulator;
let fn: LoadedFunction<unknown, GenSchemeReply>;
let cases = 0;
let linked = 0; // replies with a link
let reachedGateway = 0; // requests the emulator received
let violations = 0; // requests the emulator refused by a platform rule

beforeAll(async () => {
  // The function's one log line per call would bury the test output: keep it quiet here.
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 3 });
  fn = loadWithEnv(emulator, {
    GENSCHEME_ADMIN_TOKEN: TOKEN,
    GENSCHEME_POLICY: JSON.stringify({ user: { perUserPerMinute: 100000 }, public: { perIpPerMinute: 100000, sharedPerMinute: 100000 } }),
  });
});
afterAll(async () => {
  await emulator.close();
  process.stdout.write(
    `fuzz: ${cases} events run through the function, the real SDK and the emulator; ${linked} got a link, ${reachedGateway} requests reached the gateway, ${violations} broke a platform rule (seed ${SEED})\n`,
  );
});

const nowS = () => Math.floor(Date.now() / 1000);
const SOURCES = ['wx_client', 'wx_devtools', 'wx_http', 'wx_trigger', 'wx_crawler', 'wx_unknown', 'scf', 'wx_client,scf', 'web', ''];

const callerArb: fc.Arbitrary<Caller | undefined> = fc.option(
  fc.record(
    {
      openid: fc.option(fc.constantFrom('oA', 'oB', 'oC'), { nil: undefined }),
      source: fc.constantFrom(...SOURCES),
      clientIp: fc.option(fc.ipV4(), { nil: undefined }),
    },
    { requiredKeys: ['source'] },
  ),
  { nil: undefined },
);

/** Strings that matter here: edge lengths, forbidden characters, unicode, huge. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    'a=1&b=2',
    'name=张三',
    'a=`x`',
    '%E5%BC%A0',
    'a'.repeat(1024),
    'a'.repeat(1025),
    'x'.repeat(256),
    'x'.repeat(257),
    '\u0000',
    '😀',
    '__proto__',
  ),
  fc.string({ minLength: 2000, maxLength: 5000 }),
);
const pathArb = fc.oneof(fc.constantFrom(...PAGES, ...PAGES.map((p) => '/' + p), '', 'pages/index/index?x=1', 'pages/nope'), text);
const numberish = fc.oneof(
  fc.integer({ min: nowS() - 86400, max: nowS() + 40 * 86400 }),
  fc.integer({ min: -5, max: 40 }),
  fc.integer().map((n) => n * 1000),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, 1e21, (nowS() + 86400) * 1000),
  fc.string(),
);
const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), text, numberish, fc.constant(null));
const jumpArb = fc.oneof(
  fc.record(
    {
      path: fc.oneof(pathArb, anyValue),
      query: fc.oneof(text, anyValue),
      envVersion: fc.oneof(fc.constantFrom('release', 'trial', 'develop', 'Release', 'prod'), anyValue),
    },
    { requiredKeys: [] },
  ),
  fc.record({ path: pathArb, query: text, env_version: fc.constantFrom('release', 'trial', 'develop', 'x') }, { requiredKeys: [] }),
  anyValue,
);
/** Requests close to valid: right pages and characters, expiry and lengths around the limits. */
const DAY = 86400;
const allowedQuery = fc.oneof(
  fc.stringMatching(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]{0,40}$/),
  fc.integer({ min: 1018, max: 1030 }).map((n) => 'k=' + 'v'.repeat(n - 2)),
  fc.constantFrom('id=1 2', 'a=`b`', 'x=张'),
);
const expiryArb = fc.oneof(
  fc.constant({}),
  fc
    .tuple(fc.constantFrom(0, 60, 61, 120, 121, 3600, 30 * DAY - 1, 30 * DAY, 30 * DAY + 1, -DAY), fc.integer({ min: -2, max: 2 }))
    .map(([lead, jitter]) => ({ expireTime: nowS() + lead + jitter })),
  fc.integer({ min: -1, max: 32 }).map((expireInterval) => ({ expireInterval })),
);
const nearValidArb = fc
  .tuple(
    fc.constantFrom('generate', 'plaintext', undefined),
    fc.record(
      {
        path: fc.constantFrom(...PAGES, ...PAGES.map((p) => '/' + p), '', 'pages/nope'),
        query: allowedQuery,
        envVersion: fc.constantFrom('release', 'release', 'trial', 'develop', 'beta'),
      },
      { requiredKeys: [] },
    ),
    expiryArb,
    fc.option(fc.boolean(), { nil: undefined }),
    fc.option(
      fc.oneof(
        fc.stringMatching(/^[0-9A-Za-z=&_.-]{0,20}$/),
        fc.integer({ min: 250, max: 260 }).map((n) => 'c'.repeat(n)),
      ),
      { nil: undefined },
    ),
  )
  .map(([action, jumpWxa, expiry, isExpire, cq]) => JSON.parse(JSON.stringify({ action, jumpWxa, ...expiry, isExpire, cq })) as unknown);

const eventArb = fc.oneof(
  { arbitrary: nearValidArb, weight: 3 },
  // Shaped like what callers send, with every field possibly wrong.
  fc.record(
    {
      action: fc.oneof(fc.constantFrom('generate', 'query', 'quota', 'plaintext', 'genrate'), anyValue),
      jumpWxa: jumpArb,
      jump_wxa: jumpArb,
      isExpire: fc.oneof(fc.boolean(), anyValue),
      expireType: fc.oneof(fc.constantFrom(0, 1, 2), numberish),
      expireTime: numberish,
      expire_time: numberish,
      expireInterval: numberish,
      cq: text,
      scheme: fc.oneof(
        fc.constantFrom(
          'weixin://dl/business/?t=abcDEF123',
          'weixin://dl/business/?t=abc&cq=1',
          'weixin://dl/business/?appid=wx0123456789abcdef&path=pages/index/index',
        ),
        text,
      ),
      adminToken: fc.oneof(fc.constant(TOKEN), text),
      userInfo: anyValue,
    },
    { requiredKeys: [] },
  ),
  // Anything at all: wrong types, arrays, primitives, deep structures.
  fc.anything({ maxDepth: 6, withNullPrototype: true, withObjectString: true }),
  fc.jsonValue({ maxDepth: 8 }),
  // Keys that attack prototypes, arriving the way JSON.parse delivers them (as own properties).
  fc
    .constantFrom(
      '{"__proto__":{"polluted":"yes"}}',
      '{"jumpWxa":{"__proto__":{"polluted":"yes"},"path":"pages/index/index"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"jump_wxa":{"constructor":{"prototype":{"polluted":"yes"}}}}',
      '{"action":"__proto__"}',
      '{"action":"constructor"}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"jumpWxa":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
    )
    .map((json) => JSON.parse(json) as unknown),
);

/**
 * A reply may quote the caller's own text (e.g. an unknown field literally named "undefined"),
 * so the words that betray a missing value count only when the event does not hold them.
 */
function leaks(event: unknown): RegExp {
  let json = '';
  try {
    json = JSON.stringify(event) ?? '';
  } catch {
    json = '';
  }
  const words = ['undefined', '[object Object]'].filter((w) => !json.includes(w));
  return words.length ? new RegExp(words.map((w) => (w === 'undefined' ? '\\bundefined\\b' : '\\[object Object\\]')).join('|')) : /$^/;
}

function checkReply(reply: GenSchemeReply, event?: unknown): void {
  expect(reply).toEqual(expect.objectContaining({ errcode: expect.any(Number) }));
  if (reply.errcode === 0) {
    if (reply.action === 'generate') expect((reply as GenerateReply).openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=[0-9A-Za-z_-]+(&cq=[^&]*)?$/);
    if (reply.action === 'plaintext') expect((reply as PlaintextReply).openlink).toMatch(/^weixin:\/\/dl\/business\/\?appid=wx[0-9a-f]{16}&path=/);
    return;
  }
  const error = reply as ErrorReply;
  for (const t of [error.message.zh, error.message.en, error.hint.zh, error.hint.en, error.errmsg]) {
    expect(typeof t).toBe('string');
    expect(t.length).toBeGreaterThan(0);
    expect(t).not.toMatch(leaks(event));
  }
  expect(['input', 'policy', 'wechat', 'cloud', 'genscheme']).toContain(error.source);
  expect(JSON.stringify(reply)).not.toContain(TOKEN);
}

function checkGateway(): void {
  for (const call of emulator.calls) {
    // The only refusal allowed: asking about a well-formed link WeChat never issued.
    if (call.apiName === 'urlscheme.query' && call.errcode === 85403) continue;
    if (call.errcode !== 0) violations++;
    expect({ api: call.apiName, errcode: call.errcode, reason: call.reason, request: call.request }).toMatchObject({ errcode: 0 });
  }
}

it(`any event from any caller gets a well-formed reply, pollutes nothing and sends nothing WeChat would reject (${RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(eventArb, callerArb, async (event, caller) => {
      cases++;
      emulator.reset();
      let reply: GenSchemeReply | undefined;
      await expect((async () => (reply = await fn.invoke(event, caller)))()).resolves.toBeDefined();
      checkReply(reply!, event);
      checkGateway();
      if (reply!.errcode === 0) linked++;
      reachedGateway += emulator.calls.length;
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(Object.prototype)).toEqual([]);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // The property is only worth something if valid requests were among the cases.
  expect(linked).toBeGreaterThan(RUNS / 50);
  expect(reachedGateway).toBeGreaterThan(RUNS / 50);
}, 120_000);

it('numbers the JSON wire cannot carry (NaN, ±Infinity) and huge inputs are refused cleanly', async () => {
  const events: unknown[] = [
    { expireTime: NaN },
    { expireInterval: Infinity },
    { expireType: -Infinity },
    { jumpWxa: { query: 'a'.repeat(1_000_000) } },
    { cq: 'b'.repeat(1_000_000) },
    Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
  ];
  for (const event of events) {
    cases++;
    emulator.reset();
    const reply = (await fn.invoke(event, { source: 'wx_client,scf' })) as ErrorReply;
    expect(reply.errcode).not.toBe(0);
    checkReply(reply);
    expect(reply.message.en.length).toBeLessThan(400);
    expect(emulator.calls).toHaveLength(0);
  }
});
