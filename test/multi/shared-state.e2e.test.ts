/**
 * Issue 12's promises, shown with four instances of the built function in four processes (each its
 * own module state and real wx-server-sdk) against one emulator serving openapi AND the database.
 */
import type { ErrorReply, GenerateReply, QuotaReply, UrlLinkReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { startInstances, type Instance } from '../support/instances';

jest.setTimeout(60_000);

const TRUSTED = { source: 'wx_client,scf' };
let emulator: Emulator;
let fleet: { instances: Instance[]; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 12 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

async function four(env: Record<string, string> = {}): Promise<Instance[]> {
  fleet = await startInstances(emulator, 4, { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: 'test-secret-for-hashing', ...env });
  return fleet.instances;
}

const generateCalls = () => emulator.calls.filter((c) => c.apiName === 'urlscheme.generate');

it('one user flooding four instances is cut at the user limit (20 a minute), counted once across them all', async () => {
  const instances = await four();
  const user = { openid: 'oFloodingUser', source: 'wx_client' };
  const replies = await Promise.all(
    Array.from({ length: 40 }, (_, i) => instances[i % 4].invoke({ jumpWxa: { path: 'pages/index/index', query: `n=${i}` } }, user)),
  );
  const ok = replies.filter((r) => r.errcode === 0).length;
  const limited = replies.filter((r) => r.errcode === -900011) as ErrorReply[];
  expect(ok).toBe(20);
  expect(limited).toHaveLength(20);
  expect(limited[0]).toMatchObject({ rule: 'policy.rate-user', retryable: true });
  expect(limited[0].message.en).toContain('across all instances');
  expect(generateCalls()).toHaveLength(20);
  // No OPENID in the clear anywhere in the database.
  const everything = JSON.stringify(emulator.database.collections().map((name) => emulator.database.collection(name)));
  expect(everything).not.toContain('oFloodingUser');
});

it('a burst of 400 distinct generate requests over four instances reaches WeChat at ≤ 100 in any second, with no 44990', async () => {
  const instances = await four({ GENSCHEME_REUSE: 'off' }); // distinct targets: nothing to reuse
  const started = Date.now();
  const replies = await Promise.all(
    Array.from({ length: 400 }, (_, i) => instances[i % 4].invoke({ jumpWxa: { path: 'pages/product/detail', query: `id=${i}` } }, TRUSTED, 15_000)),
  );
  const seconds = (Date.now() - started) / 1000;
  expect(replies.filter((r) => r.errcode !== 0).map((r) => r.errcode)).toEqual([]);
  const times = generateCalls()
    .map((c) => c.time)
    .sort((a, b) => a - b);
  expect(times).toHaveLength(400);
  expect(generateCalls().some((c) => c.errcode === 44990)).toBe(false);
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  expect(busiest).toBeLessThanOrEqual(100);
  expect(seconds).toBeGreaterThan(3); // 400 calls at ≤ 100 a second cannot finish sooner
});

it('identical requests on different instances share one link, and the daily counter counts it once', async () => {
  const instances = await four();
  const event = { jumpWxa: { path: 'pages/product/detail', query: 'id=7' }, expireInterval: 7 };
  const first = (await instances[0].invoke(event, TRUSTED)) as GenerateReply;
  expect(first.errcode).toBe(0);
  const others = (await Promise.all(instances.slice(1).map((f, i) => f.invoke({ ...event, cq: `r=${i}` }, TRUSTED)))) as GenerateReply[];
  for (const [i, reply] of others.entries()) {
    expect(reply).toMatchObject({ errcode: 0, reused: true, expireTime: first.expireTime, attempts: 0 });
    expect(reply.openlink).toBe(`${first.openlink}&cq=r%3D${i}`);
  }
  expect(generateCalls()).toHaveLength(1);
  // Another env version or query is another target: never reused across them.
  const trial = (await instances[2].invoke({ ...event, jumpWxa: { ...event.jumpWxa, envVersion: 'trial' } }, TRUSTED)) as GenerateReply;
  expect(trial.reused).toBeUndefined();
  const quota = (await instances[3].invoke({ action: 'quota' }, TRUSTED)) as QuotaReply;
  expect(quota).toMatchObject({ errcode: 0, generatedToday: 2, generateRemaining: 500_000 - 2 });
});

it('URL Links are reused across instances like schemes, never across kinds, and count toward the same daily total', async () => {
  const instances = await four();
  const target = { jumpWxa: { path: 'pages/product/detail', query: 'id=8' }, expireInterval: 10 };
  const scheme = (await instances[0].invoke(target, TRUSTED)) as GenerateReply;
  const first = (await instances[1].invoke({ action: 'urllink', ...target }, TRUSTED)) as UrlLinkReply;
  expect(first).toMatchObject({ errcode: 0, action: 'urllink' });
  expect(first.reused).toBeUndefined(); // the scheme with the same target is another kind
  const again = (await instances[2].invoke({ action: 'urllink', ...target, cq: 'src=sms' }, TRUSTED)) as UrlLinkReply;
  expect(again).toMatchObject({ errcode: 0, reused: true, urlLink: `${first.urlLink}?cq=src%3Dsms` });
  expect(emulator.calls.map((c) => c.apiName)).toEqual(['urlscheme.generate', 'urllink.generate']);
  expect(scheme.openlink.startsWith('weixin://')).toBe(true);
  const quota = (await instances[3].invoke({ action: 'quota' }, TRUSTED)) as QuotaReply;
  expect(quota.generatedToday).toBe(2);
});

it('identical requests arriving at the same moment on one instance make one link (the README promises one per instance)', async () => {
  const instances = await four();
  const event = { jumpWxa: { path: 'pages/order/list', query: 'tab=2' }, expireInterval: 3 };
  const replies = (await Promise.all(Array.from({ length: 6 }, () => instances[0].invoke(event, TRUSTED)))) as GenerateReply[];
  expect(new Set(replies.map((r) => r.openlink)).size).toBe(1);
  expect(replies.filter((r) => r.reused)).toHaveLength(5);
  expect(generateCalls()).toHaveLength(1);
});

it('failed admin-token guesses are counted across instances: a guesser is refused everywhere soon after 5', async () => {
  const instances = await four({ GENSCHEME_ADMIN_TOKEN: 'strong-admin-token-4f9c2e8a' });
  const guesser = { source: 'wx_http', clientIp: '198.51.100.77' };
  const replies: ErrorReply[] = [];
  // One guess at a time, round robin over the four instances.
  for (let i = 0; i < 12; i++) replies.push((await instances[i % 4].invoke({ action: 'quota', adminToken: `guess-${i}` }, guesser)) as ErrorReply);
  const throttled = replies.map((r) => r.rule === 'policy.rate-admin-token');
  // Every instance reads the shared failure count before comparing (access/admin-token.ts): five
  // wrong guesses are compared, whichever instances they reach, then refused everywhere.
  expect(throttled).toEqual([...Array(5).fill(false), ...Array(7).fill(true)]);
  // Even the right token is refused while throttled, on any instance.
  const right = (await instances[1].invoke({ action: 'quota', adminToken: 'strong-admin-token-4f9c2e8a' }, guesser)) as ErrorReply;
  expect(right).toMatchObject({ errcode: -900011, rule: 'policy.rate-admin-token' });
});

it('past GENSCHEME_DAILY_CAP every instance refuses locally with 44993, spending nothing', async () => {
  const instances = await four({ GENSCHEME_DAILY_CAP: '3' });
  for (let i = 0; i < 3; i++) expect((await instances[i].invoke({ jumpWxa: { query: `d=${i}` } }, TRUSTED)).errcode).toBe(0);
  const refused = (await instances[3].invoke({ jumpWxa: { query: 'd=9' } }, TRUSTED)) as ErrorReply;
  expect(refused).toMatchObject({ errcode: 44993, source: 'genscheme', rule: 'quota.dailyCap', retryable: false });
  expect(generateCalls()).toHaveLength(3);
});

it('a database outage keeps links flowing: limits fall back to each instance, reuse is skipped', async () => {
  const instances = await four();
  emulator.setFaults({ faults: [{ api: 'database', kind: 'cloudbaseError', code: 'DATABASE_PERMISSION_DENIED' }] });
  const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => instances[i % 4].invoke({ jumpWxa: { path: 'pages/index/index' } }, TRUSTED)));
  expect(replies.map((r) => r.errcode)).toEqual(Array(8).fill(0));
  expect(generateCalls().length).toBeGreaterThanOrEqual(4);
  expect(emulator.databaseCalls.length).toBeGreaterThan(0);
});
