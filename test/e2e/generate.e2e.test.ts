/**
 * End to end: the built cloudfunctions/genScheme/index.js — its real exports.main — with the
 * real wx-server-sdk bundled into it (its published code; scripts/function-build.mjs lists what it
 * defers or leaves out), talking protobuf over HTTP to the project's CloudBase emulator.
 * Nothing of cloud.openapi is mocked here.
 */
import { join } from 'path';
import type { ErrorReply, GenerateReply, GenSchemeReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Caller, type Emulator } from '../../emulator/src';
import { applyFunctionEnv, type FunctionContext, type LoadedFunction } from '../../emulator/src/run-function';
import { loadWithEnv } from '../support/function';
import { ROOT } from '../support/app-pages';

const TRUSTED = { source: 'wx_client,scf' };
const USER = { openid: 'oUser-e2e-1', source: 'wx_client' };

let emulator: Emulator;
let fn: LoadedFunction<unknown, GenSchemeReply>;
const nowS = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  emulator = await startEmulator({ seed: 7 });
  fn = loadWithEnv(emulator); // one warm instance, its state in memory, no reuse (SINGLE_INSTANCE_ENV)
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('generate through the real SDK', () => {
  it('returns a weixin:// link, and the gateway received the snake_case request with env_version inside jump_wxa', async () => {
    const reply = (await fn.invoke(
      { jumpWxa: { path: '/pages/product/detail', query: 'id=42', envVersion: 'release' }, expireInterval: 7 },
      USER,
    )) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, errmsg: 'ok', action: 'generate', attempts: 1 });
    expect(reply.openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]+$/);
    expect(Math.abs(reply.expireTime - (nowS() + 7 * 86400))).toBeLessThanOrEqual(2);
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]).toMatchObject({
      apiName: 'urlscheme.generate',
      errcode: 0,
      request: { jump_wxa: { path: 'pages/product/detail', query: 'id=42', env_version: 'release' }, is_expire: true, expire_type: 1, expire_interval: 7 },
    });
  });

  it('sends an explicit 30-day expiry when none is given', async () => {
    const reply = (await fn.invoke({}, USER)) as GenerateReply;
    expect(reply.errcode).toBe(0);
    expect(emulator.calls[0].request).toMatchObject({ expire_type: 1, expire_interval: 30 });
  });

  it('the HTTPS-shape event with a future expire_time works the same way', async () => {
    const expireTime = nowS() + 3 * 86400;
    const reply = (await fn.invoke(
      { jump_wxa: { path: '/pages/publishHomework/publishHomework', query: '', env_version: 'release' }, is_expire: true, expire_time: expireTime },
      TRUSTED,
    )) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, expireTime });
    expect(emulator.calls[0].request).toMatchObject({ expire_type: 0, expire_time: expireTime });
  });

  it.each([
    [{ jumpWxa: { path: 'pages/missing/page' } }, 40165],
    [{ jumpWxa: { path: 'pages/index/index?x=1' } }, 40165],
    [{ jumpWxa: { query: 'q=' + 'a'.repeat(1023) } }, 40212],
    [{ jumpWxa: { query: 'city=北京' } }, 40212],
    [{ jumpWxa: { envVersion: 'beta' } }, 85402],
    [{ expireTime: 1606737600 }, 85401],
    [{ expireTime: Date.now() + 86_400_000 }, 85401],
    [{ expireInterval: 0 }, 85401],
    [{ expire_intervel: 7 }, -900002],
    [{ env_version: 'trial' }, 47001],
  ])('rejects %j with %d before any call: the gateway receives nothing', async (event, errcode) => {
    const reply = (await fn.invoke(event, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode, source: 'input' });
    expect(reply.message.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(emulator.calls).toHaveLength(0);
  });

  it('retries WeChat busy (-1) and succeeds', async () => {
    emulator.setFaults({ faults: [{ kind: 'busy', on: [1, 2] }] });
    const reply = (await fn.invoke({}, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 3 });
    expect(emulator.calls.map((c) => c.errcode)).toEqual([-1, -1, 0]);
  });

  it('retries 44990 after a pause into the next second', async () => {
    emulator.setFaults({ faults: [{ kind: 'errcode', errcode: 44990, on: [1] }] });
    const reply = (await fn.invoke({}, TRUSTED)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, attempts: 2 });
    const [first, second] = emulator.calls;
    expect(second.time - first.time).toBeGreaterThanOrEqual(1000);
  });

  it('gives up on -1 inside the time budget and says so', async () => {
    emulator.setFaults({ faults: [{ kind: 'busy' }] });
    const started = Date.now();
    const reply = (await fn.invoke({}, TRUSTED, { time_limit_in_ms: 1500 })) as ErrorReply;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(reply).toMatchObject({ errcode: -1, retryable: true, source: 'wechat' });
    expect(reply.attempts).toBeGreaterThanOrEqual(2);
  });

  it('replies before the function times out when the gateway is slower than the time limit', async () => {
    emulator.setFaults({ latencyMs: 2500 });
    const started = Date.now();
    const reply = (await fn.invoke({}, TRUSTED, { time_limit_in_ms: 1000 })) as ErrorReply;
    const took = Date.now() - started;
    // Gave up 150 ms before the 1 s limit (exact timing: the unit test with a fake clock); here it
    // is enough that it did not wait for the gateway's answer at 2.5 s (slack for a busy machine).
    expect(took).toBeGreaterThanOrEqual(800);
    expect(took).toBeLessThan(2000);
    expect(reply).toMatchObject({ errcode: -900021, source: 'genscheme', retryable: true, attempts: 1 });
    expect(reply.message.zh).toContain('超时');
    emulator.clearFaults();
  });

  it('does not retry a WeChat rejection (40002) and explains it', async () => {
    emulator.setFaults({ faults: [{ kind: 'errcode', errcode: 40002, errmsg: 'no permission' }] });
    const reply = (await fn.invoke({}, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 40002, retryable: false, attempts: 1, source: 'wechat' });
    expect(reply.message.zh).toContain('非个人主体');
    expect(emulator.calls).toHaveLength(1);
  });

  it('a dropped connection becomes a clear reply, not an exception', async () => {
    emulator.setFaults({ faults: [{ kind: 'drop' }] });
    const reply = (await fn.invoke({}, TRUSTED)) as ErrorReply;
    expect(reply.errcode).toBe(-501001);
    expect(reply.source).toBe('cloud');
    expect(reply.hint.en.length).toBeGreaterThan(10);
  });

  it('a CloudBase-level error is explained', async () => {
    emulator.setFaults({ faults: [{ kind: 'cloudbaseError', code: 'INVALID_PARAM', message: 'env not exists' }] });
    const reply = (await fn.invoke({}, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -501007, source: 'cloud' });
    expect(reply.hint.en).toContain('DYNAMIC_CURRENT_ENV');
  });

  it('an empty success body is a failure, not a link', async () => {
    emulator.setFaults({ faults: [{ kind: 'emptyBody' }] });
    const reply = (await fn.invoke({}, TRUSTED)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: -900020, retryable: true });
  });

  it('a burst of 150 calls is paced under 100 per second: the gateway never answers 44990', async () => {
    const replies = await Promise.all(Array.from({ length: 150 }, () => fn.invoke({}, TRUSTED, { time_limit_in_ms: 5000 })));
    expect(replies.filter((r) => r.errcode !== 0)).toEqual([]);
    const times = emulator.calls.map((c) => c.time).sort((a, b) => a - b);
    expect(times).toHaveLength(150);
    expect(emulator.calls.some((c) => c.errcode === 44990)).toBe(false);
    // sliding window: no 101 calls inside one second
    for (let i = 100; i < times.length; i++) expect(times[i] - times[i - 100]).toBeGreaterThanOrEqual(1000 - 5);
  }, 15_000);
});

describe('the two request examples of the WeChat urlscheme.generate page (issue 2, "Done when")', () => {
  // As published: both shapes, with the page's 2020 timestamp.
  const CLOUD = { jumpWxa: { path: '/pages/publishHomework/publishHomework', query: '', envVersion: 'release' }, isExpire: true, expireTime: 1606737600 };
  const HTTPS = { jump_wxa: { path: '/pages/publishHomework/publishHomework', query: '', env_version: 'release' }, is_expire: true, expire_time: 1606737600 };

  it.each([
    ['cloud-call', 'expireTime', CLOUD],
    ['HTTPS', 'expire_time', HTTPS],
  ])('the %s example with its 2020 timestamp: a clear expiry error naming %s, and the gateway receives nothing', async (_shape, field, example) => {
    const reply = (await fn.invoke(example, USER)) as ErrorReply;
    expect(reply).toMatchObject({ errcode: 85401, field, rule: 'expireTime.past', source: 'input', retryable: false });
    expect(reply.message.en).toContain('2020-11-30');
    expect(reply.message.zh).toContain('已经过去');
    expect(emulator.calls).toHaveLength(0);
  });

  it.each([
    ['cloud-call', CLOUD],
    ['HTTPS', HTTPS],
  ])('the %s example with a future expiry produces a link through the real SDK', async (_shape, example) => {
    const expireTime = nowS() + 5 * 86400;
    const future = JSON.parse(JSON.stringify(example).replace('1606737600', String(expireTime)));
    const reply = (await fn.invoke(future, USER)) as GenerateReply;
    expect(reply).toMatchObject({ errcode: 0, expireTime });
    expect(reply.openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]+$/);
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0].request).toMatchObject({
      jump_wxa: { path: 'pages/publishHomework/publishHomework', query: '', env_version: 'release' },
      is_expire: true,
      expire_type: 0,
      expire_time: expireTime,
    });
  });
});

describe("the emulator's own rules catch what gets past the function", () => {
  it('-604101 when config.json does not declare the API, with the fix', async () => {
    const strict = await startEmulator({ permissions: [] });
    try {
      const f = loadFunctionAgainst(strict);
      const reply = (await f.invoke({}, TRUSTED)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: -604101, source: 'cloud', retryable: false });
      expect(reply.hint.en).toContain('config.json');
    } finally {
      await strict.close();
    }
  });

  it('40165 from WeChat when the published version lacks a page the function knows', async () => {
    const published = await startEmulator({ appJsonPath: join(ROOT, 'test/e2e/fixtures/published-app.json') });
    try {
      const f = loadFunctionAgainst(published);
      const reply = (await f.invoke({ jumpWxa: { path: 'packageA/pages/promo/index' } }, TRUSTED)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: 40165, source: 'wechat', attempts: 1 });
      expect(published.calls[0].errcode).toBe(40165);
    } finally {
      await published.close();
    }
  });

  it('85401 from WeChat when its clock disagrees with ours, and no retry', async () => {
    const behind = await startEmulator({ now: () => Date.now() - 2 * 86_400_000 });
    try {
      const f = loadFunctionAgainst(behind);
      const reply = (await f.invoke({ expireTime: nowS() + 29 * 86400 }, TRUSTED)) as ErrorReply;
      expect(reply).toMatchObject({ errcode: 85401, source: 'wechat', attempts: 1, retryable: false });
      expect(behind.calls).toHaveLength(1);
    } finally {
      await behind.close();
    }
  });
});

/** The SDK reads TCB_CONTEXT_CNFG on every request, so the one loaded function can be pointed at another emulator. */
function loadFunctionAgainst(other: Emulator) {
  return {
    async invoke(event: unknown, caller?: Caller) {
      applyFunctionEnv(other.functionEnv(caller));
      try {
        return await fn.main(event, { time_limit_in_ms: 3000 } as FunctionContext);
      } finally {
        applyFunctionEnv(emulator.functionEnv());
      }
    },
  };
}
