/**
 * The shared state's promises when the database is slow or failing (issue 17), shown with real
 * processes of the built function (each its own real wx-server-sdk) against one emulator whose
 * database is made slow before applying, late after applying, or failing:
 *  - a link WeChat issued always reaches a caller, and no reply comes after the time limit;
 *  - the 100/s bound holds at WeChat even when the shared window is too slow to use;
 *  - counts stay exact (no count lost or doubled) when writes are answered late;
 *  - a failed request during a stable link's first resolve neither crashes an instance nor costs
 *    a second generation.
 */
import type { CreateLinkReply, GenerateReply, GenSchemeReply, QuotaReply, ResolveLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(120_000);

const TRUSTED = { source: 'wx_client,scf' };
const ADMIN_TOKEN = 'faults-multi-Zr7Kp3Wq9Ld2';
let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 17 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  emulator.clearFaults();
  await fleet?.stop();
  fleet = undefined;
});

async function start(count: number, env: Record<string, string> = {}): Promise<Instance[]> {
  fleet = await startInstances(emulator, count, {
    GENSCHEME_STATE: 'database',
    GENSCHEME_STATE_SECRET: 'faults-secret',
    GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN,
    ...env,
  });
  return fleet.instances;
}

/** Every database request waits `ms` before it is applied and answered. */
const slowDatabase = (ms: number) => emulator.setFaults({ faults: [{ kind: 'slow', api: 'database', ms }] });

/** Gateway calls before this index belong to the warm-up. */
let callsBefore = 0;
beforeEach(() => (callsBefore = 0));
const generateCalls = () => emulator.calls.slice(callsBefore).filter((c) => c.apiName === 'urlscheme.generate');
/** The tickets of the links WeChat issued (errcode 0 at the gateway). */
const issuedTickets = () =>
  generateCalls()
    .filter((c) => c.errcode === 0)
    .map((c) => ticketOf(String(c.response?.openlink ?? '')));
const ticketOf = (openlink: string) => /[?&]t=([^&]+)/.exec(openlink)?.[1] ?? '';
const returnedTickets = (replies: GenSchemeReply[]) => replies.filter((r): r is GenerateReply => r.errcode === 0).map((r) => ticketOf(r.openlink));

function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

/** Warm instances: module loaded, SDK up, the state's secret and collections made, pacing's instance count known. */
async function warm(instances: Instance[]): Promise<void> {
  await Promise.all(instances.map((f, i) => f.invoke({ jumpWxa: { path: 'pages/index/index', query: `warm=${i}` } }, TRUSTED)));
  await new Promise((r) => setTimeout(r, 1200)); // pacing's second count of live instances comes 1 s after the first
  callsBefore = emulator.calls.length; // the warm-up's links are not the test's
}

it('database at 600 ms, 8 generates at once on one instance, 3 s limit: every issued link reaches a caller, none replies late, ≥ 6 succeed', async () => {
  const [instance] = await start(1);
  await warm([instance]);
  slowDatabase(600);
  const answers = await Promise.all(
    Array.from({ length: 8 }, (_, i) => instance.invokeTimed({ jumpWxa: { path: 'pages/product/detail', query: `id=${i}` } }, TRUSTED, 3000)),
  );
  const replies = answers.map((a) => a.reply);
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(3000);
  expect(returnedTickets(replies).sort()).toEqual(issuedTickets().sort());
  expect(replies.filter((r) => r.errcode === 0).length).toBeGreaterThanOrEqual(6);
  expect(instance.alive()).toBe(true);
});

// Under a slow database each instance paces at its share (100 / (live instances + 1) a second),
// so 100 calls take a few seconds: a 6 s limit, and no reply may come after it.
it('database at 600 ms, 100 generates over 4 instances, 6 s limit: no issued link dropped, none replies late, ≥ 80 succeed', async () => {
  const instances = await start(4);
  await warm(instances);
  slowDatabase(600);
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => instances[i % 4].invokeTimed({ jumpWxa: { path: 'pages/product/detail', query: `id=${i}` } }, TRUSTED, 6000)),
  );
  const replies = answers.map((a) => a.reply);
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(6000);
  expect(returnedTickets(replies).sort()).toEqual(issuedTickets().sort());
  expect(replies.filter((r) => r.errcode === 0).length).toBeGreaterThanOrEqual(80);
  process.stdout.write(
    `[faults] 600 ms database, 100 over 4 instances: ${replies.filter((r) => r.errcode === 0).length} succeeded, ${issuedTickets().length} issued\n`,
  );
});

it('database at 1.5 s, 240 generates over 4 instances: ≤ 100 in any second at WeChat, no 44990, every issued link returned', async () => {
  const instances = await start(4, { GENSCHEME_REUSE: 'off' });
  await warm(instances);
  slowDatabase(1500);
  const replies = await Promise.all(
    Array.from({ length: 240 }, (_, i) => instances[i % 4].invoke({ jumpWxa: { path: 'pages/product/detail', query: `id=${i}` } }, TRUSTED, 15_000)),
  );
  const issued = generateCalls();
  expect(issued.some((c) => c.errcode === 44990)).toBe(false);
  expect(busiestSecond(issued.map((c) => c.time))).toBeLessThanOrEqual(100);
  expect(returnedTickets(replies).sort()).toEqual(issuedTickets().sort());
  expect(replies.filter((r) => r.errcode === 0)).toHaveLength(240);
  process.stdout.write(`[faults] 1.5 s database, 240 over 4 instances: busiest second ${busiestSecond(issued.map((c) => c.time))}\n`);
});

describe("one failed database request during a stable link's first resolve", () => {
  // The first resolve reads the link, claims the renewal, leases a pacing slot, saves the ticket and
  // writes the counts: the k-th write after the link exists fails once (SERVER_TIMEOUT, not applied).
  for (const k of [1, 2, 3, 4]) {
    it(`write ${k} fails: the instances live, every visitor gets the same ticket, one generation`, async () => {
      const instances = await start(2);
      const code = `first-${k}`;
      const made = (await instances[0].invoke({
        action: 'createLink',
        adminToken: ADMIN_TOKEN,
        code,
        jumpWxa: { path: 'pages/index/index' },
      })) as CreateLinkReply;
      expect(made.errcode).toBe(0);
      await warm(instances);
      emulator.updateFaults({ faults: [{ kind: 'cloudbaseError', code: 'SERVER_TIMEOUT', api: 'database.modifyDocument', on: [k] }] });
      const replies = (await Promise.all(
        Array.from({ length: 10 }, (_, i) => instances[i % 2].invoke({ action: 'resolveLink', code }, TRUSTED)),
      )) as ResolveLinkReply[];
      expect(replies.map((r) => r.errcode)).toEqual(Array(10).fill(0));
      expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
      expect(generateCalls()).toHaveLength(1);
      // A later visitor, on either instance, gets the same ticket: it was saved.
      await new Promise((r) => setTimeout(r, 1500));
      const later = (await instances[1].invoke({ action: 'resolveLink', code }, TRUSTED)) as ResolveLinkReply;
      expect(later.openlink).toBe(replies[0].openlink);
      expect(generateCalls()).toHaveLength(1);
      expect(instances.every((f) => f.alive())).toBe(true);
    });
  }
});

describe('database writes answered 1.2 s late (applied at once)', () => {
  const lateWrites = (ms = 1200) =>
    emulator.setFaults({ faults: [{ kind: 'lateReply', api: ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument'], ms }] });

  // 2.5 s is past the function's own wait for a stable link's write (2 s): it reads the write back.
  it.each([1200, 2500])('(answered %i ms late) createLink with a chosen code succeeds and the link exists once', async (ms) => {
    const [instance] = await start(1);
    await warm([instance]);
    lateWrites(ms);
    const made = (await instance.invoke(
      { action: 'createLink', adminToken: ADMIN_TOKEN, code: 'late-create', jumpWxa: { path: 'pages/index/index' } },
      undefined,
      8000,
    )) as CreateLinkReply;
    expect(made).toMatchObject({ errcode: 0, link: { code: 'late-create' } });
    expect(emulator.database.collection('genscheme_stable_links')!.filter((d) => d._id === 'late-create')).toHaveLength(1);
    // A generated code: exactly one link, the one returned.
    const generated = (await instance.invoke(
      { action: 'createLink', adminToken: ADMIN_TOKEN, jumpWxa: { path: 'pages/index/index' } },
      undefined,
      8000,
    )) as CreateLinkReply;
    expect(generated.errcode).toBe(0);
    expect(
      emulator.database
        .collection('genscheme_stable_links')!
        .map((d) => d._id)
        .sort(),
    ).toEqual(['late-create', generated.link.code].sort());
  });

  it("20 resolves count 20 visits, and today's generations equal the links WeChat issued", async () => {
    const instances = await start(2);
    await instances[0].invoke({ action: 'createLink', adminToken: ADMIN_TOKEN, code: 'late-visits', jumpWxa: { path: 'pages/index/index' } });
    await warm(instances);
    lateWrites();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => instances[i % 2].invoke({ action: 'resolveLink', code: 'late-visits' }, TRUSTED, 10_000)),
    );
    expect(replies.map((r) => r.errcode)).toEqual(Array(20).fill(0));
    const generated = await Promise.all(
      Array.from({ length: 6 }, (_, i) => instances[i % 2].invoke({ jumpWxa: { path: 'pages/product/detail', query: `late=${i}` } }, TRUSTED, 10_000)),
    );
    expect(generated.map((r) => r.errcode)).toEqual(Array(6).fill(0));
    // Counts are written in the background; wait for them, then make sure nothing more arrives.
    const stats = async () =>
      ((await instances[0].invoke({ action: 'linkStats', adminToken: ADMIN_TOKEN, code: 'late-visits', days: 1 })) as { days: Array<{ visits: number }> })
        .days[0].visits;
    for (let i = 0; i < 50 && (await stats()) < 20; i++) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await stats()).toBe(20);
    const quota = (await instances[1].invoke({ action: 'quota' }, TRUSTED)) as QuotaReply;
    // Every link WeChat issued today, the warm-up's included.
    expect(quota.generatedToday).toBe(emulator.calls.filter((c) => c.apiName === 'urlscheme.generate' && c.errcode === 0).length);
    expect(issuedTickets()).toHaveLength(7); // 6 generates and the stable link's one ticket
  });
});
