/**
 * A stable link under a campaign's traffic (issue 18): 2,000 visitors resolving one link over
 * eight processes of the built function (each its own real wx-server-sdk) against one emulator.
 * Every visitor is served, one ticket is made once, every visit is counted, and the database is
 * asked at most 1.5 times per resolve on average (no document written by every visitor).
 */
import type { CreateLinkReply, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(180_000);

const ADMIN_TOKEN = 'campaign-multi-Vb4Nx8Qe2Ty6';
const VISITORS = 2000;
const INSTANCES = 8;
/** Requests in flight per instance: a warm instance serving a burst. */
const PER_INSTANCE = 8;

let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 18 });
});
afterAll(async () => {
  await fleet?.stop();
  await emulator.close();
});

/** Visitor i: its own address (public callers are limited per address, 30 a minute by default). */
const visitor = (i: number) => ({ source: 'wx_http', clientIp: `198.18.${Math.floor(i / 250)}.${i % 250}` });

it(`${VISITORS} visitors over ${INSTANCES} instances: all served, one ticket, one generation, every visit counted, ≤ 1.5 database requests per resolve`, async () => {
  fleet = await startInstances(emulator, INSTANCES, {
    GENSCHEME_STATE: 'database',
    GENSCHEME_STATE_SECRET: 'campaign-secret',
    GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const { instances } = fleet;
  const made = (await instances[0].invoke({
    action: 'createLink',
    adminToken: ADMIN_TOKEN,
    code: 'spring-sms',
    jumpWxa: { path: 'pages/index/index' },
  })) as CreateLinkReply;
  expect(made.errcode).toBe(0);
  // Warm instances (module, SDK, collections): what a campaign's burst meets after its first seconds.
  const warmUps = await Promise.all(instances.map((f, i) => f.invoke({ action: 'resolveLink', code: 'spring-sms' }, visitor(VISITORS + i))));
  expect(warmUps.map((r) => r.errcode)).toEqual(Array(INSTANCES).fill(0));

  const before = emulator.databaseCalls.length;
  const replies: ResolveLinkReply[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    instances.flatMap((f) =>
      Array.from({ length: PER_INSTANCE }, async () => {
        for (let i = next++; i < VISITORS; i = next++)
          replies.push((await f.invoke({ action: 'resolveLink', code: 'spring-sms' }, visitor(i))) as ResolveLinkReply);
      }),
    ),
  );
  const seconds = (Date.now() - started) / 1000;
  const requests = emulator.databaseCalls.length - before;

  const refused = replies.filter((r) => r.errcode !== 0);
  expect(refused.map((r) => r.errcode)).toEqual([]);
  expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
  expect(emulator.calls.filter((c) => c.apiName === 'urlscheme.generate')).toHaveLength(1);
  const perResolve = requests / VISITORS;
  process.stdout.write(
    `[campaign] ${VISITORS} resolves over ${INSTANCES} instances in ${seconds.toFixed(1)} s: ${requests} database requests (${perResolve.toFixed(2)} per resolve)\n`,
  );
  expect(perResolve).toBeLessThanOrEqual(1.5);

  // Every visit counted once (the warm-up's eight too), once the instances have written their shards.
  let visits = -1;
  for (let i = 0; i < 50 && visits !== VISITORS + INSTANCES; i++) {
    if (i) await new Promise((r) => setTimeout(r, 200));
    const stats = (await instances[1].invoke({ action: 'linkStats', adminToken: ADMIN_TOKEN, code: 'spring-sms', days: 1 })) as {
      days: Array<{ visits: number }>;
    };
    visits = stats.days[0].visits;
  }
  expect(visits).toBe(VISITORS + INSTANCES);
});
