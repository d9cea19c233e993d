/**
 * Stable links across four instances (issue 13): four processes of the built function, each its
 * own memory and real wx-server-sdk, against one emulator serving openapi and the database.
 */
import type { CreateLinkReply, ErrorReply, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'stable-multi-Hq3Vn8Lp2Xc7Rt5';
let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 113 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

async function four(): Promise<Instance[]> {
  fleet = await startInstances(emulator, 4, {
    GENSCHEME_STATE: 'database',
    GENSCHEME_REUSE: 'on',
    GENSCHEME_STATE_SECRET: 'stable-multi-secret',
    GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  return fleet.instances;
}

/** The link's visits today as linkStats shows them, once every instance has written its counts. */
async function visitsOf(instance: Instance, code: string, expected = 20): Promise<number> {
  let visits = -1;
  for (let i = 0; i < 40 && visits !== expected; i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    const stats = (await instance.invoke({ action: 'linkStats', adminToken: ADMIN_TOKEN, code, days: 1 })) as { days?: Array<{ visits: number }> };
    visits = stats.days?.[0]?.visits ?? -1;
  }
  return visits;
}

/** One visitor per instance: an instance process holds one caller's context at a time. */
const visitorOf = (i: number) => ({ source: 'wx_http', clientIp: `203.0.113.${10 + i}` });
const resolveOn = (instance: Instance, i: number, code: string) =>
  instance.invoke({ action: 'resolveLink', code }, visitorOf(i)) as Promise<ResolveLinkReply | ErrorReply>;

it('the first visitors arriving at the same moment on four instances cause ONE generation, and all get the same openlink', async () => {
  const instances = await four();
  const made = (await instances[0].invoke({
    action: 'createLink',
    adminToken: ADMIN_TOKEN,
    code: 'launch-day',
    jumpWxa: { path: 'pages/product/detail', query: 'id=1' },
  })) as CreateLinkReply;
  expect(made.errcode).toBe(0);
  // Warm every instance (module load, SDK, secret) with another call, so the resolves below really meet.
  await Promise.all(instances.map((f, i) => f.invoke({ action: 'resolveLink', code: 'warm-up-x' }, visitorOf(i))));
  const started = Date.now();
  const replies = (await Promise.all(instances.flatMap((f, i) => Array.from({ length: 5 }, () => resolveOn(f, i, 'launch-day'))))) as ResolveLinkReply[];
  const ms = Date.now() - started;
  expect(replies.map((r) => r.errcode)).toEqual(Array(20).fill(0));
  expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
  expect(replies.filter((r) => !r.reused)).toHaveLength(1);
  expect(emulator.calls.filter((c) => c.apiName === 'urlscheme.generate')).toHaveLength(1);
  // Every visit counted once, across the instances (each instance's shard, summed by linkStats).
  expect(await visitsOf(instances[0], 'launch-day')).toBe(20);
  process.stdout.write(`[stable multi] 20 simultaneous first resolves on 4 instances: ${ms} ms, 1 generation\n`);
});

it('a link disabled on one instance stops resolving on all four within 10 s', async () => {
  const instances = await four();
  await instances[0].invoke({ action: 'createLink', adminToken: ADMIN_TOKEN, code: 'stop-me', jumpWxa: { path: 'pages/index/index' } });
  // Every instance has read (and cached) the live link.
  for (const [i, f] of instances.entries()) expect((await resolveOn(f, i, 'stop-me')).errcode).toBe(0);
  const disabledAt = Date.now();
  expect((await instances[0].invoke({ action: 'updateLink', adminToken: ADMIN_TOKEN, code: 'stop-me', disabled: true })).errcode).toBe(0);
  const stoppedAfter: number[] = [];
  await Promise.all(
    instances.map(async (f, i) => {
      while (Date.now() - disabledAt < 11_000) {
        const reply = await resolveOn(f, i, 'stop-me');
        if (reply.errcode === -900031) {
          stoppedAfter[i] = Date.now() - disabledAt;
          expect((reply as ErrorReply).rule).toBe('link.disabled');
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }),
  );
  expect(stoppedAfter).toHaveLength(4);
  for (const ms of stoppedAfter) expect(ms).toBeLessThanOrEqual(10_000);
  expect(stoppedAfter[0]).toBeLessThan(1000); // the instance that disabled it forgets its copy at once
  process.stdout.write(`[stable multi] disabled link stopped resolving after ${stoppedAfter.join(', ')} ms on the four instances\n`);
});
