/**
 * Issue 18's visitor and open rules across real function processes (each its own real
 * wx-server-sdk) against one emulator: the limits and sessions live in the shared database, so
 * spreading a visitor's requests over instances changes nothing.
 */
import type { ErrorReply, LandedReply, LinkStatsReply, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(90_000);

const ADMIN_TOKEN = 'visitors-multi-Pq8Wz3Rt6Yn1';
let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 181 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

async function four(): Promise<Instance[]> {
  fleet = await startInstances(emulator, 4, { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'visitors-secret', GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN });
  return fleet.instances;
}

const create = (instance: Instance, code: string) =>
  instance.invoke({ action: 'createLink', adminToken: ADMIN_TOKEN, code, jumpWxa: { path: 'pages/index/index' } });

it('40 addresses of one IPv6 /64 resolving over four instances are one visitor: 30 a minute served, the rest refused', async () => {
  const instances = await four();
  expect((await create(instances[0], 'v6-camp')).errcode).toBe(0);
  const replies: Array<ResolveLinkReply | ErrorReply> = [];
  // One at a time: an instance process holds one caller's context at a time.
  for (let i = 0; i < 40; i++) {
    const address = `2001:db8:1234:5678:${((i * 7919) % 65536).toString(16)}::${i + 1}`;
    replies.push(
      (await instances[i % 4].invoke({ action: 'resolveLink', code: 'v6-camp' }, { source: 'wx_http', clientIpV6: address })) as ResolveLinkReply | ErrorReply,
    );
  }
  expect(replies.filter((r) => r.errcode === 0)).toHaveLength(30);
  expect(replies.slice(30).every((r) => (r as ErrorReply).rule === 'policy.resolve-visitor')).toBe(true);
  // The neighbouring /64 is another visitor.
  const other = await instances[1].invoke({ action: 'resolveLink', code: 'v6-camp' }, { source: 'wx_http', clientIpV6: '2001:db8:1234:5679::1' });
  expect(other.errcode).toBe(0);
});

it("one user's 20 landed reports over four instances count one open; scene 1001 and a disabled link count none", async () => {
  const instances = await four();
  expect((await create(instances[0], 'open-once')).errcode).toBe(0);
  expect((await create(instances[0], 'open-off')).errcode).toBe(0);
  expect((await instances[0].invoke({ action: 'updateLink', adminToken: ADMIN_TOKEN, code: 'open-off', disabled: true })).errcode).toBe(0);
  const user = { openid: 'oVisitorsUser1', source: 'wx_client' };
  const scenes = [1065, 1286, 1194, 1167, 1047];
  const replies: LandedReply[] = [];
  for (let i = 0; i < 20; i++)
    replies.push((await instances[i % 4].invoke({ action: 'landed', scene: scenes[i % 5], query: { gsl: 'open-once' } }, user)) as LandedReply);
  expect(replies.filter((r) => r.counted)).toHaveLength(1);
  expect(replies.filter((r) => !r.counted).every((r) => r.reason === 'session')).toBe(true);
  const other = { openid: 'oVisitorsUser2', source: 'wx_client' };
  expect(await instances[2].invoke({ action: 'landed', scene: 1001, query: { gsl: 'open-once' } }, other)).toMatchObject({ counted: false, reason: 'scene' });
  expect(await instances[3].invoke({ action: 'landed', scene: 1065, query: { gsl: 'open-off' } }, other)).toMatchObject({ counted: false, reason: 'disabled' });
  // Every instance's counts written, then read on another instance.
  for (const f of instances) await f.invoke({ action: 'listLinks', adminToken: ADMIN_TOKEN });
  const once = (await instances[1].invoke({ action: 'linkStats', adminToken: ADMIN_TOKEN, code: 'open-once', days: 1 })) as LinkStatsReply;
  expect(once.days[0]).toMatchObject({ opens: 1, openers: 1 });
  const off = (await instances[1].invoke({ action: 'linkStats', adminToken: ADMIN_TOKEN, code: 'open-off', days: 1 })) as LinkStatsReply;
  expect(off.days[0]).toMatchObject({ opens: 0, openers: 0 });
});
