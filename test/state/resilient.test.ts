import { createServer } from 'net';
import {
  createDatabaseState,
  createMemoryState,
  createState,
  resilient,
  stateModeFrom,
  StateError,
  systemStateClock,
  type Db,
  type StateClock,
  type StatePort,
} from '../../cloudfunctions/genScheme/src/state';
import { FakeClock } from '../support/fake-clock';
import { sdkDatabase } from './sdk';
import { T0 } from './contract';

const target = { kind: 'scheme' as const, path: 'pages/product/detail', query: 'id=42', envVersion: 'release' };
const w = { key: 'user:oA', limit: 2, windowMs: 60_000 };

/** A database object whose every call fails the way `fail` says. */
function failingDb(fail: () => unknown): Db & { calls: number } {
  const query: Record<string, unknown> = {};
  const db = {
    calls: 0,
    command: new Proxy({}, { get: () => () => ({}) }) as Db['command'],
    collection: () => query as never,
    createCollection: () => fail(),
  };
  for (const m of ['where', 'orderBy', 'limit']) query[m] = () => query;
  for (const m of ['get', 'update', 'remove', 'add']) query[m] = () => (db.calls++, fail());
  query.doc = () => ({ set: () => (db.calls++, fail()) });
  return db;
}

function permissionDenied(): never {
  throw Object.assign(new Error('permission denied'), { errCode: -502003 });
}

function harness(fail: () => unknown, options: { secret?: string; pauseAfterFailureMs?: number } = {}) {
  const clock = new FakeClock(T0);
  const lines: string[] = [];
  const db = failingDb(fail);
  const database = createDatabaseState({ db, clock, secret: options.secret ?? 's' });
  const state = resilient(database, createMemoryState(), (line) => lines.push(line), clock, { pauseAfterFailureMs: options.pauseAfterFailureMs ?? 0 });
  return { clock, lines, db, state };
}

describe('resilient: a failing database degrades, never throws', () => {
  it('permission denied (-502003): limits from memory, reuse skipped, generations counted in memory', async () => {
    const { lines, state } = harness(permissionDenied);
    expect(await state.admit(w, T0)).toEqual({ ok: true });
    expect(await state.admit(w, T0 + 1)).toEqual({ ok: true });
    expect(await state.admit(w, T0 + 2)).toEqual({ ok: false, retryAfterMs: 59_998 });
    expect(await state.findLink(target, 0, Infinity, T0)).toBeNull();
    await expect(state.saveLink(target, { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 60, createTime: T0 / 1000 })).resolves.toBeUndefined();
    await state.countGeneration(T0);
    await state.countGeneration(T0);
    expect(await state.generatedToday(T0)).toBe(2);
    expect(lines).toEqual(["[genScheme] state: database unavailable (-502003 permission denied); limits fall back to this instance's memory, reuse is skipped"]);
  });

  it('logs one line per minute however many calls fail', async () => {
    const { clock, lines, state } = harness(permissionDenied);
    for (let i = 0; i < 200; i++) {
      await state.admit({ ...w, key: `user:o${i}` }, clock.now());
      await state.findLink(target, 0, Infinity, clock.now());
      clock.advance(250); // 200 × 250 ms = 50 s
    }
    expect(lines).toHaveLength(1);
    clock.advance(10_000);
    await state.generatedToday(clock.now());
    expect(lines).toHaveLength(2);
  });

  it('anything thrown counts as a failure: a string, a rejected promise, a synchronous throw', async () => {
    for (const fail of [
      () => {
        throw 'boom';
      },
      () => Promise.reject(new TypeError('x is not a function')),
      () => undefined, // an answer without the expected shape
    ]) {
      const { lines, state } = harness(fail);
      expect(await state.admit(w, T0)).toEqual({ ok: true });
      expect(await state.findLink(target, 0, Infinity, T0)).toBeNull();
      expect(lines).toHaveLength(1);
    }
  });

  it('a hung database costs at most the time limit per call, then memory answers', async () => {
    const clock = new FakeClock(T0);
    const lines: string[] = [];
    const database = createDatabaseState({ db: failingDb(() => new Promise(() => undefined)), clock, secret: 's', timeoutMs: 800 });
    const state = resilient(database, createMemoryState(), (l) => lines.push(l), clock);
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    const admission = state.admit(w, T0);
    let settled = false;
    void admission.then(() => (settled = true));
    await flush();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(799);
    await flush();
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await admission).toEqual({ ok: true });
    expect(lines[0]).toMatch(/database unavailable \(TIMEOUT no answer within 800 ms\)/);
  });

  it('after a failure, calls skip the database for a pause, then try it again', async () => {
    const { clock, db, state } = harness(permissionDenied, { pauseAfterFailureMs: 5000 });
    await state.admit(w, clock.now());
    const after = db.calls;
    await state.admit(w, clock.now());
    await state.findLink(target, 0, Infinity, clock.now());
    expect(db.calls).toBe(after);
    clock.advance(5000);
    await state.admit(w, clock.now());
    expect(db.calls).toBeGreaterThan(after);
  });

  it('the database adapter itself refuses limits above 1000 (its times live in one document)', async () => {
    const database = createDatabaseState({ db: failingDb(permissionDenied), clock: new FakeClock(T0), secret: 's' });
    await expect(database.admit({ key: 'k', limit: 1001, windowMs: 1000 }, T0)).rejects.toThrow(RangeError);
  });

  it('a failing logger changes nothing', async () => {
    const clock = new FakeClock(T0);
    const state = resilient(createDatabaseState({ db: failingDb(permissionDenied), clock, secret: 's' }), createMemoryState(), () => {
      throw new Error('log down');
    }, clock);
    expect(await state.admit(w, T0)).toEqual({ ok: true });
  });
});

describe('resilient over the real wx-server-sdk and a closed port', () => {
  let state: StatePort;
  const lines: string[] = [];
  const clock: StateClock & { ms: number } = { ms: T0, now: () => clock.ms, setTimer: systemStateClock.setTimer };
  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const db = sdkDatabase(`http://127.0.0.1:${port}/admin`);
    // pause 0: every call really goes to the closed port.
    state = createState({ mode: 'database', database: () => db, clock, log: (l) => lines.push(l), pauseAfterFailureMs: 0 });
  });

  it('admit works from memory, findLink is null, one log line for 40 failing calls within a minute', async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      results.push((await state.admit({ key: 'user:oFlood', limit: 5, windowMs: 60_000 }, clock.ms)).ok);
      expect(await state.findLink(target, 0, Infinity, clock.ms)).toBeNull();
      await state.countGeneration(clock.ms);
      await state.saveLink(target, { link: 'weixin://dl/business/?t=X', expireTime: clock.ms / 1000 + 3600, createTime: clock.ms / 1000 });
      clock.ms += 5_000;
    }
    expect(results).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(await state.generatedToday(clock.ms)).toBe(10);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[genScheme\] state: database unavailable \(-501001 .*\); limits fall back to this instance's memory, reuse is skipped$/);
  });
});

describe('createState and GENSCHEME_STATE', () => {
  it('reads the mode: database by default, memory, or an error text', () => {
    expect(stateModeFrom({})).toBe('database');
    expect(stateModeFrom({ GENSCHEME_STATE: '' })).toBe('database');
    expect(stateModeFrom({ GENSCHEME_STATE: 'Database' })).toBe('database');
    expect(stateModeFrom({ GENSCHEME_STATE: 'memory' })).toBe('memory');
    expect(stateModeFrom({ GENSCHEME_STATE: 'redis' })).toEqual({ error: 'GENSCHEME_STATE must be "database" or "memory", not "redis"' });
  });

  it('memory mode never asks for the database; database mode asks lazily and survives it throwing', async () => {
    const clock = new FakeClock(T0);
    const memory = createState({ mode: 'memory', database: () => {
      throw new Error('not wanted');
    }, clock, log: () => undefined });
    expect(memory.mode).toBe('memory');
    expect(await memory.admit(w, T0)).toEqual({ ok: true });
    let asked = 0;
    const lines: string[] = [];
    const database = createState({ mode: 'database', database: () => {
      asked++;
      throw new StateError('cloud.database() failed', -1);
    }, clock, log: (l) => lines.push(l) });
    expect(asked).toBe(0);
    expect(database.mode).toBe('database');
    expect(await database.admit(w, T0)).toEqual({ ok: true });
    expect(asked).toBe(1);
    expect(lines).toHaveLength(1);
  });
});
