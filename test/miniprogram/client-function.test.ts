/**
 * @jest-environment node
 *
 * The page's client against the real function: the built cloudfunctions/genScheme/index.js and
 * the real wx-server-sdk, talking to the project's CloudBase emulator. wx.cloud.callFunction is
 * replaced by a call of the function as a mini-program user (OPENID, SOURCE wx_client), the way
 * the page's own calls arrive. What the page sends must be accepted, and every reply the function
 * gives must pass the client's reading with the texts the page shows — or the page tests, which
 * use hand-made replies, prove nothing about the deployed pair.
 */
import { join } from 'path';
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadFunction, type LoadedFunction } from '../../emulator/src/run-function';
import { SINGLE_INSTANCE_ENV } from '../support/function';
import { generate, query } from '../../miniprogram/services/genscheme';
import { isErrorReply, type ErrorReply, type GenerateReply, type GenerateRequest } from '../../miniprogram/shared/contract';

const INDEX = join(__dirname, '../../cloudfunctions/genScheme/index.js');
const USER = { openid: 'oPageUser-1', source: 'wx_client' };

let emulator: Emulator;
let fn: LoadedFunction<unknown, unknown>;
const sent: unknown[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the function's per-call log lines
  emulator = await startEmulator({ seed: 11 });
  Object.assign(process.env, SINGLE_INSTANCE_ENV);
  fn = loadFunction(INDEX, emulator);
  (globalThis as Record<string, unknown>).wx = {
    cloud: {
      async callFunction({ name, data }: { name: string; data: unknown }) {
        expect(name).toBe('genScheme');
        sent.push(data);
        return { errMsg: 'cloud.callFunction:ok', result: await fn.invoke(data, USER) };
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
  sent.length = 0;
});

/** Exactly what the page sends for page / query / version / days (see index-page.test.ts). */
function pageRequest(path: string, q: string, envVersion: 'release' | 'trial' | 'develop', days: number): GenerateRequest {
  return { action: 'generate', jumpWxa: q ? { path, query: q, envVersion } : { path, envVersion }, expireType: 1, expireInterval: days };
}

test("the page's request for a release link succeeds, and the expiry is the days asked for", async () => {
  const before = Math.floor(Date.now() / 1000);
  const reply = await generate(pageRequest('pages/product/detail', 'id=42&from=sms', 'release', 7));
  expect(isErrorReply(reply)).toBe(false);
  const ok = reply as GenerateReply;
  expect(ok.openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=/);
  expect(Math.abs(ok.expireTime - (before + 7 * 86_400))).toBeLessThanOrEqual(5);
  expect(emulator.calls[0].request).toMatchObject({
    jump_wxa: { path: 'pages/product/detail', query: 'id=42&from=sms', env_version: 'release' },
    expire_interval: 7,
  });
});

test('the defaults (home page, no query, 30 days) succeed', async () => {
  const reply = await generate(pageRequest('pages/index/index', '', 'release', 30));
  expect(reply.errcode).toBe(0);
});

test.each(['trial', 'develop'] as const)('a %s link from an ordinary user is refused by the default policy, in Chinese, with a hint', async (envVersion) => {
  const reply = await generate(pageRequest('pages/index/index', '', envVersion, 30));
  expect(isErrorReply(reply)).toBe(true);
  const error = reply as ErrorReply;
  expect(error.errcode).toBe(-900010); // the code README's sample-mini-program section names
  expect(error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(error.hint.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(`${error.message.zh}${error.hint.zh}`).not.toMatch(/undefined|\[object Object\]/);
  expect(emulator.calls).toHaveLength(0); // no quota spent
});

test('checking the generated link (action: query) reads back what was asked for', async () => {
  const made = (await generate(pageRequest('pages/order/list', 'id=7', 'release', 3))) as GenerateReply;
  const reply = await query(made.openlink);
  expect(reply).toMatchObject({ errcode: 0, action: 'query', path: 'pages/order/list', query: 'id=7', envVersion: 'release', expired: false });
});
