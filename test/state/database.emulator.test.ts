/**
 * The database adapters through the REAL wx-server-sdk against the emulator's database: each
 * port's contract, for the bare database adapter and for the one the function uses (wrapped in the
 * fallbacks of fallback.ts, as createState builds it); then what only the database promises.
 */
import { startEmulator, type Emulator } from '../../emulator/src';
import {
  COLLECTIONS,
  createState,
  DatabaseCounts,
  DatabaseLimits,
  DatabaseLinks,
  DatabaseStableLinks,
  DbClient,
  ShardedCounters,
  StateKeys,
  StateUnavailable,
  systemStateClock,
  type Db,
  type StateClock,
} from '../../cloudfunctions/genScheme/src/state';
import { APP_JSON, FUNCTION_CONFIG } from '../emulator/support';
import { countersContract, limitsContract, linksContract, stableConfig, stableLinksContract, T0 } from './contract';
import { sdkDatabase } from './sdk';

jest.setTimeout(30_000);

let emu: Emulator;
let db: Db;
beforeAll(async () => {
  emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 7, now: () => T0 });
  db = sdkDatabase(emu.url, emu.functionEnv());
});
afterAll(() => emu.close());

/** Generous on a busy 2-core machine; the default 800 ms is tested in fallback.test.ts. */
const timeoutMs = 3000;
const client = (ms = timeoutMs, clock: StateClock = systemStateClock) => new DbClient(db, clock, ms);
/** One instance's database adapters (its own keys: a cold start). */
function adapters(secret?: string, ms = timeoutMs) {
  const c = client(ms);
  const keys = new StateKeys(c, secret);
  const counts = new DatabaseCounts(c, keys);
  return { client: c, keys, counts, limits: new DatabaseLimits(c, keys), links: new DatabaseLinks(c, keys), stableLinks: new DatabaseStableLinks(c) };
}
/** The state as the function builds it in database mode: the database adapters behind the fallbacks. */
const functionState = (log: (line: string) => void = () => undefined, clock: StateClock = systemStateClock) =>
  createState({ mode: 'database', database: () => db, clock, log, timeoutMs });
const reset = () => emu.reset();

limitsContract('database (real wx-server-sdk → emulator)', () => (reset(), adapters().limits));
limitsContract('database behind FallbackLimits', () => (reset(), functionState().limits));
linksContract('database (real wx-server-sdk → emulator)', () => (reset(), adapters().links));
linksContract('database behind FallbackLinks', () => (reset(), functionState().links));
stableLinksContract('database (real wx-server-sdk → emulator)', () => (reset(), adapters().stableLinks));
stableLinksContract('database behind RequiredStableLinks', () => (reset(), functionState().stableLinks));
countersContract('ShardedCounters over the database, read back by a second instance', {
  make: () => {
    reset();
    const counts = adapters('s').counts;
    return { counters: new ShardedCounters(counts, systemStateClock), peer: new ShardedCounters(adapters('s').counts, systemStateClock) };
  },
});
countersContract('the counters createState builds in database mode', {
  make: () => {
    reset();
    return {
      counters: createState({ mode: 'database', database: () => db, clock: systemStateClock, log: () => undefined, secret: 's' }).counters,
      peer: createState({ mode: 'database', database: () => db, clock: systemStateClock, log: () => undefined, secret: 's' }).counters,
    };
  },
});

/** Every document of every genscheme_ collection. */
function dump(): Record<string, Array<Record<string, unknown>>> {
  const all: Record<string, Array<Record<string, unknown>>> = {};
  for (const name of emu.database.collections()) if (name.startsWith('genscheme_')) all[name] = emu.database.collection(name) ?? [];
  return all;
}
const actions = (from: number) => emu.databaseCalls.slice(from).map((c) => c.action);

describe('database adapters', () => {
  beforeEach(() => emu.reset());
  afterEach(() => emu.clearFaults());

  it('creates its collections on first use, once each, then one round trip per admission', async () => {
    expect(emu.database.collections()).toEqual([]);
    const state = functionState();
    const w = { key: 'user:oA', limit: 5, windowMs: 60_000 };
    expect((await state.limits.admit(w, T0)).ok).toBe(true);
    state.counters.countGeneration(T0);
    await state.counters.flush(Date.now() + 5000);
    await state.links.saveLink(
      { kind: 'scheme', path: 'pages/p', query: '', envVersion: 'release' },
      { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 600, createTime: T0 / 1000 },
    );
    const expected = [COLLECTIONS.counters, COLLECTIONS.limits, COLLECTIONS.links, COLLECTIONS.meta].sort();
    expect(emu.database.collections().sort()).toEqual(expected);
    const created = emu.databaseCalls.filter((c) => c.action === 'database.addCollection').map((c) => c.request.collectionName);
    expect(created.sort()).toEqual(expected);

    const before = emu.databaseCalls.length;
    expect((await state.limits.admit(w, T0 + 1)).ok).toBe(true);
    expect(emu.databaseCalls.length - before).toBe(1);
    // A new instance (cold start) asks for the secret once; a window it has not seen it tries to
    // create first (refused: it exists), then one round trip per admission; no createCollection.
    const cold = functionState();
    const coldBefore = emu.databaseCalls.length;
    expect((await cold.limits.admit(w, T0 + 2)).ok).toBe(true);
    expect((await cold.limits.admit(w, T0 + 3)).ok).toBe(true);
    expect(actions(coldBefore)).toEqual(['database.getDocument', 'database.insertDocument', 'database.modifyDocument', 'database.modifyDocument']);
    // A window new to everyone: one round trip, the add.
    const fresh = emu.databaseCalls.length;
    expect((await cold.limits.admit({ ...w, key: 'user:oNew' }, T0 + 4)).ok).toBe(true);
    expect(actions(fresh)).toEqual(['database.insertDocument']);
  });

  it('a lease takes a block of slots in one round trip', async () => {
    const { limits } = adapters('s');
    const w = { key: 'pace:generate', limit: 100, windowMs: 1400 };
    expect(await limits.lease(w, 1, T0)).toEqual({ granted: 1, retryAfterMs: 0 }); // creates the window
    const before = emu.databaseCalls.length;
    expect(await limits.lease(w, 20, T0 + 1)).toEqual({ granted: 20, retryAfterMs: 0 });
    expect(actions(before)).toEqual(['database.modifyDocument']);
    const [doc] = emu.database.collection(COLLECTIONS.limits) ?? [];
    expect((doc.times as number[]).filter((t) => t > 0)).toEqual([T0, ...Array(20).fill(T0 + 1)]);
  });

  it('concurrent leases from four instances never grant more than the limit', async () => {
    const instances = Array.from({ length: 4 }, () => adapters('s').limits);
    const w = { key: 'pace:generate', limit: 50, windowMs: 60_000 };
    const leases = await Promise.all(instances.flatMap((l, i) => [l.lease(w, 9, T0 + i), l.lease(w, 9, T0 + i)]));
    expect(leases.reduce((n, l) => n + l.granted, 0)).toBe(50);
  });

  it('heartbeats count the live instances; one gone quiet drops out after HEARTBEAT_TTL_MS', async () => {
    const { limits } = adapters('s');
    expect(await limits.heartbeat('a', T0)).toBe(1);
    expect(await limits.heartbeat('b', T0 + 1000)).toBe(2);
    expect(await limits.heartbeat('a', T0 + 5000)).toBe(2);
    expect(await limits.heartbeat('a', T0 + 16_001)).toBe(1); // b's last beat was at T0 + 1000
  });

  it('instances share the secret and the windows: one generated secret per environment, even when created concurrently', async () => {
    const instances = [adapters(), adapters(), adapters(), adapters()];
    const w = { key: 'user:oShared', limit: 3, windowMs: 60_000 };
    const results = await Promise.all(instances.map((s, i) => s.limits.admit(w, T0 + i)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(emu.database.collection(COLLECTIONS.meta)).toHaveLength(1);
    expect(emu.database.collection(COLLECTIONS.limits)).toHaveLength(1);
  });

  it('concurrent admissions in one process: exactly `limit` of 60', async () => {
    const { limits } = adapters();
    const w = { key: 'ip:198.51.100.7', limit: 20, windowMs: 60_000 };
    await limits.admit({ ...w, key: 'warm' }, T0); // secret and collection ready
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => limits.admit(w, T0 + i)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    for (const r of results) if (!r.ok) expect(r.retryAfterMs).toBeGreaterThan(60_000 - 60);
    const [doc] = (emu.database.collection(COLLECTIONS.limits) ?? []).filter((d) => (d.times as number[]).every((t) => t >= T0));
    expect(doc.times).toHaveLength(20);
    expect(doc.times).toEqual([...(doc.times as number[])].sort((a, b) => a - b));
  });

  it('refuses limits above 1000 (a window keeps its times in one document)', async () => {
    await expect(adapters('s').limits.admit({ key: 'k', limit: 1001, windowMs: 1000 }, T0)).rejects.toThrow(RangeError);
  });

  it('GENSCHEME_STATE_SECRET given: no secret is stored, and another secret sees other windows', async () => {
    const w = { key: 'user:oA', limit: 1, windowMs: 60_000 };
    expect((await adapters('secret-one').limits.admit(w, T0)).ok).toBe(true);
    expect((await adapters('secret-one').limits.admit(w, T0 + 1)).ok).toBe(false);
    expect((await adapters('secret-two').limits.admit(w, T0 + 2)).ok).toBe(true);
    expect(emu.database.collections()).not.toContain(COLLECTIONS.meta);
  });

  it('no OPENID, IP, path, query or visitor in the clear anywhere in the database', async () => {
    const state = functionState();
    for (let i = 0; i < 3; i++) {
      await state.limits.admit({ key: 'user:oSecretOpenid', limit: 20, windowMs: 60_000 }, T0 + i);
      await state.limits.admit({ key: 'ip:203.0.113.9', limit: 20, windowMs: 60_000 }, T0 + i);
      await state.limits.lease({ key: 'pace:generate', limit: 100, windowMs: 1000 }, 3, T0 + i);
    }
    const target = { kind: 'scheme' as const, path: 'pages/secretpath/detail', query: 'phone=13800138000', envVersion: 'release' };
    await state.links.saveLink(target, { link: 'weixin://dl/business/?t=Stored00000000', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    state.counters.countGeneration(T0);
    state.counters.countOpen('camp', 'visitorHashSecret', T0);
    await state.counters.flush(Date.now() + 5000);
    expect(await state.links.findLink(target, 0, T0 / 1000 + 3600, T0)).toMatchObject({ link: 'weixin://dl/business/?t=Stored00000000' });
    const text = JSON.stringify(dump());
    expect(text).toContain('Stored00000000'); // the dump is real
    expect(emu.database.collection(COLLECTIONS.stableOpeners)).toHaveLength(1);
    for (const secret of ['oSecretOpenid', '203.0.113.9', 'secretpath', '13800138000', 'pace:generate', 'user:', 'ip:', 'visitorHashSecret'])
      expect(text).not.toContain(secret);
    // Nor in any request the database received.
    const wire = JSON.stringify(emu.databaseCalls.map((c) => c.request));
    for (const secret of ['oSecretOpenid', '203.0.113.9', 'secretpath', '13800138000', 'visitorHashSecret']) expect(wire).not.toContain(secret);
  });

  it('sweep() removes idle windows, old heartbeats and expired links, and nothing live', async () => {
    const state = functionState();
    const target = { kind: 'scheme' as const, path: 'pages/p', query: '', envVersion: 'release' };
    await state.limits.admit({ key: 'user:oIdle', limit: 5, windowMs: 60_000 }, T0);
    await state.limits.admit({ key: 'user:oLive', limit: 5, windowMs: 60_000 }, T0 + 60_000);
    await state.limits.heartbeat('gone', T0);
    await state.links.saveLink(target, { link: 'weixin://dl/business/?t=Old', expireTime: T0 / 1000 + 30, createTime: T0 / 1000 });
    await state.links.saveLink(target, { link: 'weixin://dl/business/?t=New', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    expect(await state.sweep(T0 + 61_000)).toEqual({ failed: [] });
    expect(emu.database.collection(COLLECTIONS.limits)).toHaveLength(1);
    expect((emu.database.collection(COLLECTIONS.links) ?? []).map((d) => d.link)).toEqual(['weixin://dl/business/?t=New']);
    // The live window kept its admission at T0 + 60 s: four more, not five.
    const live = { key: 'user:oLive', limit: 5, windowMs: 60_000 };
    for (let i = 0; i < 4; i++) expect(await state.limits.admit(live, T0 + 61_000)).toEqual({ ok: true });
    expect(await state.limits.admit(live, T0 + 61_000)).toEqual({ ok: false, retryAfterMs: 59_000 });
  });

  it('count shards: one document per instance, count and day, holding its absolute value', async () => {
    const a = new ShardedCounters(adapters('s').counts, systemStateClock);
    const b = new ShardedCounters(adapters('s').counts, systemStateClock);
    for (let i = 0; i < 5; i++) a.countGeneration(T0 + i);
    for (let i = 0; i < 3; i++) b.countGeneration(T0 + i);
    await Promise.all([a.flush(Date.now() + 5000), b.flush(Date.now() + 5000)]);
    a.countGeneration(T0 + 10);
    await a.flush(Date.now() + 5000);
    const shards = (emu.database.collection(COLLECTIONS.counters) ?? []).map((d) => [d.instance, d.n]).sort();
    expect(shards).toEqual(
      [
        [a.instance, 6],
        [b.instance, 3],
      ].sort(),
    );
    expect(a.unwritten).toBe(0);
    expect(await b.generatedToday(T0 + 20)).toBe(9);
  });

  it("the sweep folds past days' openers into one shard per link and day, and keeps the number", async () => {
    const counts = adapters('s').counts;
    const counters = new ShardedCounters(counts, systemStateClock);
    counters.countOpen('camp', 'u1', T0);
    counters.countOpen('camp', 'u2', T0);
    counters.countOpen('camp', 'u3', T0 + 86_400_000);
    await counters.flush(Date.now() + 5000);
    expect(emu.database.collection(COLLECTIONS.stableOpeners)).toHaveLength(3);
    await counts.sweep(T0 + 86_400_000);
    expect(emu.database.collection(COLLECTIONS.stableOpeners)).toHaveLength(1); // today's stays
    expect(await counts.countOpeners('camp', ['2026-11-25', '2026-11-26'])).toEqual(
      new Map([
        ['2026-11-25', 2],
        ['2026-11-26', 1],
      ]),
    );
    // Swept twice (or a sweep that stopped half-way and ran again): the same number.
    await counts.sweep(T0 + 86_400_000);
    expect((await counts.countOpeners('camp', ['2026-11-25'])).get('2026-11-25')).toBe(2);
  });

  it('a hung database: each call gives up after its time limit', async () => {
    const { limits } = adapters('s', 200);
    emu.setFaults({ databaseLatencyMs: 3000 });
    const started = Date.now();
    await expect(limits.admit({ key: 'k', limit: 1, windowMs: 1000 }, T0)).rejects.toMatchObject({ errCode: 'TIMEOUT' });
    // Gave up long before the database answered (slack for a busy 2-core machine).
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('stable links: a write whose answer comes too late is read back, never guessed', () => {
  beforeEach(() => emu.reset());
  afterEach(() => emu.clearFaults());
  const impatient = () => new DatabaseStableLinks(client(300));

  it('a create applied but answered late is "created", once', async () => {
    await new DatabaseStableLinks(client()).createStableLink(stableConfig('warm')); // the collection exists
    emu.setFaults({ faults: [{ kind: 'lateReply', api: 'database.insertDocument', ms: 800 }] });
    expect(await impatient().createStableLink(stableConfig('late'))).toBe('created');
    emu.clearFaults();
    expect((emu.database.collection(COLLECTIONS.stableLinks) ?? []).filter((d) => d._id === 'late')).toHaveLength(1);
    expect(await new DatabaseStableLinks(client()).createStableLink(stableConfig('late'))).toBe('taken');
  });

  it('a claim, an update and a ticket applied but answered late all report what happened', async () => {
    const store = new DatabaseStableLinks(client());
    await store.createStableLink(stableConfig('late'));
    emu.setFaults({ faults: [{ kind: 'lateReply', api: 'database.modifyDocument', ms: 800 }] });
    const late = impatient();
    expect(await late.claimRenewal('late', T0, 5000)).toBe(true);
    expect(await late.updateStableLink('late', { path: 'pages/index/index' })).toMatchObject({ path: 'pages/index/index', revision: 1, ticket: null });
    expect(await late.saveTicket('late', 1, { link: 'weixin://dl/business/?t=Late', expireTime: T0 / 1000 + 86_400, createTime: T0 / 1000 })).toBe(true);
    emu.clearFaults();
    // The update was applied once: one revision bump, not two.
    expect(await store.getStableLink('late')).toMatchObject({ path: 'pages/index/index', revision: 1, ticket: { link: 'weixin://dl/business/?t=Late' } });
    expect(await store.claimRenewal('late', T0 + 1, 5000)).toBe(true); // saving the ticket released the claim
  });

  it('a write that did not land is not reported done', async () => {
    const store = new DatabaseStableLinks(client());
    await store.createStableLink(stableConfig('down'));
    emu.setFaults({ faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocument', code: 'DATABASE_PERMISSION_DENIED', message: 'no permission' }] });
    await expect(store.claimRenewal('down', T0, 5000)).rejects.toBeDefined();
    await expect(store.updateStableLink('down', { name: 'X' })).rejects.toBeDefined();
    emu.clearFaults();
    expect(await store.getStableLink('down')).toMatchObject({ name: 'Spring', revision: 0 });
  });
});

describe('the fallbacks over the emulator answering database faults', () => {
  beforeEach(() => emu.reset());
  afterEach(() => emu.clearFaults());

  it("permission denied on every call: limits from this instance's share, findLink null, stable links unavailable, counts kept; one log line a minute", async () => {
    const clock: StateClock & { ms: number } = { ms: T0, now: () => clock.ms, setTimer: systemStateClock.setTimer };
    const lines: string[] = [];
    const target = { kind: 'scheme' as const, path: 'pages/p', query: 'a=1', envVersion: 'release' };
    const state = functionState((l) => lines.push(l), clock);
    // A working database first: a link is stored and found; two instances are alive.
    await state.links.saveLink(target, { link: 'weixin://dl/business/?t=Before00000000', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    expect(await state.links.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).not.toBeNull();
    await state.limits.heartbeat('other', clock.ms);
    expect(await state.limits.heartbeat('me', clock.ms)).toBe(2);

    emu.setFaults({ faults: [{ api: 'database', kind: 'cloudbaseError', code: 'DATABASE_PERMISSION_DENIED', message: 'no permission' }] });
    const admitted: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      admitted.push((await state.limits.admit({ key: 'user:oFlood', limit: 10, windowMs: 60_000 }, clock.ms)).ok);
      expect(await state.links.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).toBeNull();
      await state.links.saveLink(target, { link: `weixin://dl/business/?t=During${i}`, expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
      state.counters.countGeneration(clock.ms);
      clock.ms += 1000;
    }
    // This instance's share: 10 / 2 live instances.
    expect(admitted.filter(Boolean)).toHaveLength(5);
    expect(admitted.slice(0, 5).every(Boolean)).toBe(true);
    await expect(state.stableLinks.getStableLink('any')).rejects.toBeInstanceOf(StateUnavailable);
    expect(await state.counters.generatedToday(clock.ms)).toBe(30);
    expect(emu.databaseCalls.filter((c) => c.code === 'DATABASE_PERMISSION_DENIED').length).toBeGreaterThanOrEqual(3);
    expect(lines).toEqual([
      expect.stringMatching(
        /^\[genScheme\] state: database unavailable for \w[\w ]* \(-502003 .*\); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later$/,
      ),
    ]);

    // Back up: reuse resumes, and the counts kept are written.
    emu.clearFaults();
    clock.ms += 20_000;
    expect(await state.links.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).toMatchObject({ link: 'weixin://dl/business/?t=Before00000000' });
    await state.counters.flush(Date.now() + 5000);
    const peer = createState({ mode: 'database', database: () => db, clock, log: () => undefined, timeoutMs }).counters;
    expect(await peer.generatedToday(T0)).toBe(30);
  });

  it('slow is not down: time-outs do not pause the database', async () => {
    const state = createState({ mode: 'database', database: () => db, clock: systemStateClock, log: () => undefined, timeoutMs: 150, secret: 's' });
    const target = { kind: 'scheme' as const, path: 'pages/p', query: '', envVersion: 'release' };
    await state.links.findLink(target, 0, T0 / 1000 + 3600, T0); // collection and keys ready
    emu.setFaults({ databaseLatencyMs: 600 });
    const before = emu.databaseCalls.length;
    for (let i = 0; i < 5; i++) expect(await state.links.findLink(target, 0, T0 / 1000 + 3600, T0)).toBeNull();
    emu.clearFaults();
    await new Promise((r) => setTimeout(r, 700)); // the late answers come in
    expect(emu.databaseCalls.length - before).toBe(5); // every call went to the database
  });
});
