/**
 * Admin-token guessing across real function processes (issue 18): the shared failure count is
 * read before any token is compared, and a burst on one instance is reserved before it is compared.
 */
import type { ErrorReply, GenSchemeReply, QuotaReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(60_000);

const TOKEN = 'multi-admin-token-Vr7Kc2Qx9Lm4';
let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 118 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

const guesser = { source: 'wx_http', clientIp: '198.51.100.88' };
const throttled = (r: GenSchemeReply) => (r as ErrorReply).rule === 'policy.rate-admin-token';

it('after 15 wrong tokens from elsewhere, 4 wrong + the right one sent together to a fresh instance are all refused — the right one too', async () => {
  fleet = await startInstances(emulator, 3, { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'multi-admin-secret', GENSCHEME_ADMIN_TOKEN: TOKEN });
  const [a, b, fresh] = fleet.instances;
  // 15 wrong guesses on two other instances (bursts and one at a time).
  const elsewhere = await Promise.all(Array.from({ length: 15 }, (_, i) => (i % 2 ? a : b).invoke({ action: 'quota', adminToken: `guess-${i}` }, guesser)));
  expect(elsewhere.every((r) => r.errcode !== 0)).toBe(true);
  expect(elsewhere.filter((r) => !throttled(r)).length).toBeLessThanOrEqual(10); // at most 5 compared per instance
  const burst = await Promise.all([
    ...['w1', 'w2', 'w3', 'w4'].map((g) => fresh.invoke({ action: 'quota', adminToken: g }, guesser)),
    fresh.invoke({ action: 'quota', adminToken: TOKEN }, guesser),
  ]);
  expect(burst.map(throttled)).toEqual([true, true, true, true, true]);
  expect(burst[4]).toMatchObject({ errcode: -900011, rule: 'policy.rate-admin-token', field: 'adminToken' });
  // Another caller with the right token is trusted on the same fresh instance.
  const admin = (await fresh.invoke({ action: 'quota', adminToken: TOKEN }, { source: 'wx_http', clientIp: '198.51.100.89' })) as QuotaReply;
  expect(admin.errcode).toBe(0);
});

it('a burst of 10 guesses on one fresh instance: at most 5 are compared, the rest refused before comparing', async () => {
  fleet = await startInstances(emulator, 2, { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'multi-admin-secret', GENSCHEME_ADMIN_TOKEN: TOKEN });
  const [one, other] = fleet.instances;
  const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => one.invoke({ action: 'quota', adminToken: `burst-${i}` }, guesser)));
  expect(burst.filter((r) => !throttled(r))).toHaveLength(5);
  // The other instance reads the shared count first: the right token is refused there too.
  expect(throttled(await other.invoke({ action: 'quota', adminToken: TOKEN }, guesser))).toBe(true);
});
