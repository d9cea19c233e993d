/**
 * A slow database never costs the caller a link WeChat issued: storing and counting it is waited
 * for only until the time kept to reply, through the real SDK and the emulator's database.
 */
import type { GenerateReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { loadWithEnv } from '../support/function';

let emulator: Emulator;
beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 5 });
});
afterAll(() => emulator.close());

it('with the database answering in 600 ms and WeChat in 1.8 s, the link still comes back inside a 3 s limit', async () => {
  const fn = loadWithEnv(emulator, { GENSCHEME_STATE: 'database', GENSCHEME_REUSE: 'on', GENSCHEME_STATE_SECRET: 'slow-db-test-secret' });
  // Warm: the collections and the pacing window exist, as on a running environment.
  expect((await fn.invoke({ jumpWxa: { query: 'warm=1' } }, { source: 'wx_trigger' })).errcode).toBe(0);
  emulator.setFaults({ latencyMs: 1800, databaseLatencyMs: 600 });
  const started = Date.now();
  const reply = (await fn.invoke({ jumpWxa: { query: 'slow=1' } }, { source: 'wx_trigger' }, { time_limit_in_ms: 3000 })) as GenerateReply;
  const ms = Date.now() - started;
  expect(reply).toMatchObject({ errcode: 0 });
  expect(reply.openlink).toBe(emulator.calls[emulator.calls.length - 1].response?.openlink);
  // 600 ms before WeChat + 1.8 s WeChat + 600 ms after would be 3 s: the reply may not wait that long.
  expect(ms).toBeLessThan(2900);
}, 15_000);

it('with the database slower than its time limit, pacing does not loop: the link comes back, from memory limits', async () => {
  const fn = loadWithEnv(emulator, { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'slow-db-test-secret' });
  emulator.setFaults({ databaseLatencyMs: 1500 });
  const started = Date.now();
  const reply = (await fn.invoke({ jumpWxa: { query: 'slower=1' } }, { source: 'wx_trigger' }, { time_limit_in_ms: 5000 })) as GenerateReply;
  expect(reply.errcode).toBe(0);
  expect(Date.now() - started).toBeLessThan(4900);
}, 15_000);
