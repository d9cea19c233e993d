/**
 * The database adapter through the REAL wx-server-sdk against the emulator's database:
 * the contract every adapter passes, then what only the database adapter promises.
 */
import { startEmulator, type Emulator } from '../../emulator/src';
import {
  COLLECTIONS,
  createDatabaseState,
  createMemoryState,
  resilient,
  systemStateClock,
  type DatabaseState,
  type Db,
  type StateClock,
} from '../../cloudfunctions/genScheme/src/state';
import { APP_JSON, FUNCTION_CONFIG } from '../emulator/support';
import { stateContract, T0 } from './contract';
import { sdkDatabase } from './sdk';

let emu: Emulator;
let db: Db;
beforeAll(async () => {
  emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 7, now: () => T0 });
  db = sdkDatabase(emu.url, emu.functionEnv());
});
afterAll(() => emu.close());

/** Generous on a busy 2-core machine; the default 800 ms is tested in resilient.test.ts. */
const timeoutMs = 3000;
const fresh = (secret?: string): DatabaseState => createDatabaseState({ db, clock: systemStateClock, timeoutMs, secret });

stateContract('database (real wx-server-sdk → emulator)', {
  make: () => {
    emu.reset();
    return fresh();
  },
});

/** Every document of every genscheme_ collection. */
function dump(): Record<string, Array<Record<string, unknown>>> {
  const all: Record<string, Array<Record<string, unknown>>> = {};
  for (const name of emu.database.collections()) if (name.startsWith('genscheme_')) all[name] = emu.database.collection(name) ?? [];
  return all;
}

describe('database adapter', () => {
  beforeEach(() => emu.reset());

  it('creates its collections on first use, once each, then one round trip per admission', async () => {
    expect(emu.database.collections()).toEqual([]);
    const state = fresh();
    const w = { key: 'user:oA', limit: 5, windowMs: 60_000 };
    expect((await state.admit(w, T0)).ok).toBe(true);
    await state.countGeneration(T0);
    await state.saveLink({ kind: 'scheme', path: 'pages/p', query: '', envVersion: 'release' }, { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 600, createTime: T0 / 1000 });
    expect(emu.database.collections().sort()).toEqual([COLLECTIONS.counters, COLLECTIONS.limits, COLLECTIONS.links, COLLECTIONS.meta].sort());
    const created = emu.databaseCalls.filter((c) => c.action === 'database.addCollection').map((c) => c.request.collectionName);
    expect(created.sort()).toEqual([COLLECTIONS.counters, COLLECTIONS.limits, COLLECTIONS.links, COLLECTIONS.meta].sort());

    const before = emu.databaseCalls.length;
    expect((await state.admit(w, T0 + 1)).ok).toBe(true);
    expect(emu.databaseCalls.length - before).toBe(1);
    // A new instance (cold start) asks for the secret once, then one round trip per admission; no createCollection.
    const cold = fresh();
    const coldBefore = emu.databaseCalls.length;
    expect((await cold.admit(w, T0 + 2)).ok).toBe(true);
    expect((await cold.admit(w, T0 + 3)).ok).toBe(true);
    expect(emu.databaseCalls.slice(coldBefore).map((c) => c.action)).toEqual(['database.getDocument', 'database.modifyDocument', 'database.modifyDocument']);
  });

  it('instances share the secret and the windows: one generated secret per environment, even when created concurrently', async () => {
    const instances = [fresh(), fresh(), fresh(), fresh()];
    const w = { key: 'user:oShared', limit: 3, windowMs: 60_000 };
    const results = await Promise.all(instances.map((s, i) => s.admit(w, T0 + i)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(emu.database.collection(COLLECTIONS.meta)).toHaveLength(1);
    expect(emu.database.collection(COLLECTIONS.limits)).toHaveLength(1);
  });

  it('concurrent admissions in one process: exactly `limit` of 60', async () => {
    const state = fresh();
    const w = { key: 'ip:198.51.100.7', limit: 20, windowMs: 60_000 };
    await state.admit({ ...w, key: 'warm' }, T0); // secret and collection ready
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => state.admit(w, T0 + i)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    for (const r of results) if (!r.ok) expect(r.retryAfterMs).toBeGreaterThan(60_000 - 60);
    const [doc] = (emu.database.collection(COLLECTIONS.limits) ?? []).filter((d) => (d.times as number[]).length === 20);
    expect(doc.times).toEqual([...(doc.times as number[])].sort((a, b) => a - b));
  });

  it('GENSCHEME_STATE_SECRET given: no secret is stored, and another secret sees other windows', async () => {
    const w = { key: 'user:oA', limit: 1, windowMs: 60_000 };
    expect((await fresh('secret-one').admit(w, T0)).ok).toBe(true);
    expect((await fresh('secret-one').admit(w, T0 + 1)).ok).toBe(false);
    expect((await fresh('secret-two').admit(w, T0 + 2)).ok).toBe(true);
    expect(emu.database.collections()).not.toContain(COLLECTIONS.meta);
  });

  it('no OPENID, IP, path or query in the clear anywhere in the database', async () => {
    const state = fresh();
    for (let i = 0; i < 3; i++) {
      await state.admit({ key: 'user:oSecretOpenid', limit: 20, windowMs: 60_000 }, T0 + i);
      await state.admit({ key: 'ip:203.0.113.9', limit: 20, windowMs: 60_000 }, T0 + i);
      await state.admit({ key: 'pace:generate', limit: 100, windowMs: 1000 }, T0 + i);
    }
    const target = { kind: 'scheme' as const, path: 'pages/secretpath/detail', query: 'phone=13800138000', envVersion: 'release' };
    await state.saveLink(target, { link: 'weixin://dl/business/?t=Stored00000000', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    await state.countGeneration(T0);
    expect(await state.findLink(target, 0, T0 / 1000 + 3600, T0)).toMatchObject({ link: 'weixin://dl/business/?t=Stored00000000' });
    const text = JSON.stringify(dump());
    expect(text).toContain('Stored00000000'); // the dump is real
    for (const secret of ['oSecretOpenid', '203.0.113.9', 'secretpath', '13800138000', 'pace:generate', 'user:', 'ip:']) expect(text).not.toContain(secret);
    // Nor in any request the database received.
    const wire = JSON.stringify(emu.databaseCalls.map((c) => c.request));
    for (const secret of ['oSecretOpenid', '203.0.113.9', 'secretpath', '13800138000']) expect(wire).not.toContain(secret);
  });

  it('sweep() removes idle windows and expired links, and nothing live', async () => {
    const state = fresh();
    const target = { kind: 'scheme' as const, path: 'pages/p', query: '', envVersion: 'release' };
    await state.admit({ key: 'user:oIdle', limit: 5, windowMs: 60_000 }, T0);
    await state.admit({ key: 'user:oLive', limit: 5, windowMs: 60_000 }, T0 + 60_000);
    await state.saveLink(target, { link: 'weixin://dl/business/?t=Old', expireTime: T0 / 1000 + 30, createTime: T0 / 1000 });
    await state.saveLink(target, { link: 'weixin://dl/business/?t=New', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    await state.sweep(T0 + 61_000);
    expect(emu.database.collection(COLLECTIONS.limits)).toHaveLength(1);
    expect((emu.database.collection(COLLECTIONS.links) ?? []).map((d) => d.link)).toEqual(['weixin://dl/business/?t=New']);
    expect(await state.admit({ key: 'user:oLive', limit: 1, windowMs: 60_000 }, T0 + 61_000)).toEqual({ ok: true });
  });

  it('a hung database: each call gives up after its time limit', async () => {
    const state = createDatabaseState({ db, clock: systemStateClock, timeoutMs: 200, secret: 's' });
    emu.setFaults({ databaseLatencyMs: 3000 });
    const started = Date.now();
    await expect(state.admit({ key: 'k', limit: 1, windowMs: 1000 }, T0)).rejects.toMatchObject({ errCode: 'TIMEOUT' });
    // Gave up long before the database answered (slack for a busy 2-core machine).
    expect(Date.now() - started).toBeLessThan(2000);
    emu.clearFaults();
  });
});

describe('resilient over the emulator answering database faults', () => {
  beforeEach(() => emu.reset());
  afterEach(() => emu.clearFaults());

  it('permission denied on every call: admit from memory, findLink null, one log line for many calls in a minute', async () => {
    const clock: StateClock & { ms: number } = { ms: T0, now: () => clock.ms, setTimer: systemStateClock.setTimer };
    const lines: string[] = [];
    const target = { kind: 'scheme' as const, path: 'pages/p', query: 'a=1', envVersion: 'release' };
    const database = createDatabaseState({ db, clock, timeoutMs });
    const state = resilient(database, createMemoryState(), (l) => lines.push(l), clock, { pauseAfterFailureMs: 0 });
    // A working database first: a link is stored and found.
    await state.saveLink(target, { link: 'weixin://dl/business/?t=Before00000000', expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
    expect(await state.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).not.toBeNull();

    emu.setFaults({ faults: [{ api: 'database', kind: 'cloudbaseError', code: 'DATABASE_PERMISSION_DENIED', message: 'no permission' }] });
    const admitted: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      admitted.push((await state.admit({ key: 'user:oFlood', limit: 10, windowMs: 60_000 }, clock.ms)).ok);
      expect(await state.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).toBeNull();
      await state.saveLink(target, { link: `weixin://dl/business/?t=During${i}`, expireTime: T0 / 1000 + 3600, createTime: T0 / 1000 });
      clock.ms += 1000;
    }
    expect(admitted.filter(Boolean)).toHaveLength(10);
    expect(admitted.slice(0, 10).every(Boolean)).toBe(true);
    expect(emu.databaseCalls.filter((c) => c.code === 'DATABASE_PERMISSION_DENIED').length).toBeGreaterThanOrEqual(60);
    expect(lines).toEqual([expect.stringMatching(/^\[genScheme\] state: database unavailable \(-502003 .*\); limits fall back to this instance's memory, reuse is skipped$/)]);

    // Back up: reuse and shared limits resume.
    emu.clearFaults();
    expect(await state.findLink(target, 0, T0 / 1000 + 3600, clock.ms)).toMatchObject({ link: 'weixin://dl/business/?t=Before00000000' });
  });
});
