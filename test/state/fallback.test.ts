/**
 * The fallbacks (src/state/fallback.ts): what the function does when the database is slow or
 * failing. Fakes for the database ports and the clock; the real wx-server-sdk against a closed
 * port at the end. (database.emulator.test.ts runs the port contracts through these wrappers.)
 */
import { createServer } from 'net';
import {
  createState,
  DatabaseHealth,
  DatabaseLimits,
  DbClient,
  FALLBACK_DIVISOR,
  MemoryLimits,
  OUTAGE_LOG_EVERY_MS,
  StateError,
  StateKeys,
  StateUnavailable,
  stateModeFrom,
  systemStateClock,
  type Admission,
  type Db,
  type Lease,
  type LimitsPort,
  type LinkStorePort,
  type SharedState,
  type StableLinkStore,
  type StateClock,
} from '../../cloudfunctions/genScheme/src/state';
import { FallbackLimits, FallbackLinks, RequiredStableLinks } from '../../cloudfunctions/genScheme/src/state/fallback';
import { MemoryStableLinks } from '../../cloudfunctions/genScheme/src/state/memory/stable-links';
import { FakeClock } from '../support/fake-clock';
import { stableConfig, T0 } from './contract';
import { sdkDatabase } from './sdk';

const target = { kind: 'scheme' as const, path: 'pages/product/detail', query: 'id=42', envVersion: 'release' };
const w = { key: 'user:oA', limit: 20, windowMs: 60_000 };

const permissionDenied = () => Object.assign(new Error('permission denied'), { errCode: -502003 });
const timeout = () => new StateError('no answer within 800 ms', 'TIMEOUT');

function health(clock = new FakeClock(T0)) {
  const lines: string[] = [];
  return { clock, lines, health: new DatabaseHealth(clock, (l) => lines.push(l)) };
}

/** A LimitsPort whose answers the test sets: `fail` makes every call throw it. */
function fakeDatabaseLimits() {
  const port = {
    shared: true as const,
    fail: null as (() => unknown) | null,
    calls: 0,
    live: 1,
    admission: { ok: true } as Admission,
    async admit(): Promise<Admission> {
      port.calls++;
      if (port.fail) throw port.fail();
      return port.admission;
    },
    async lease(_w: unknown, count: number): Promise<Lease> {
      port.calls++;
      if (port.fail) throw port.fail();
      return { granted: count, retryAfterMs: 0 };
    },
    async peek() {
      return { used: 0, retryAfterMs: 0 };
    },
    async record(): Promise<void> {
      this.calls++;
    },
    async takeFromPeriod(_q: unknown, count: number): Promise<number> {
      port.calls++;
      if (port.fail) throw port.fail();
      return count;
    },
    async heartbeat(): Promise<number> {
      port.calls++;
      if (port.fail) throw port.fail();
      return port.live;
    },
    async sweep(): Promise<void> {},
  };
  return port satisfies LimitsPort;
}

describe('DatabaseHealth: slow is not down', () => {
  it('time-outs never pause the database, however many', () => {
    const { health: h } = health();
    for (let i = 0; i < 20; i++) h.failed(timeout(), 'reuse');
    expect(h.usable).toBe(true);
  });

  it('3 errors in a row pause it for 1 s; the pause doubles while errors go on; a success resets it', () => {
    const { clock, health: h } = health();
    h.failed(permissionDenied(), 'limits');
    h.failed(permissionDenied(), 'limits');
    expect(h.usable).toBe(true);
    h.failed(permissionDenied(), 'limits');
    expect(h.usable).toBe(false);
    clock.advance(999);
    expect(h.usable).toBe(false);
    clock.advance(1);
    expect(h.usable).toBe(true);
    h.failed(permissionDenied(), 'limits'); // still failing: twice as long
    clock.advance(1999);
    expect(h.usable).toBe(false);
    clock.advance(1);
    expect(h.usable).toBe(true);
    h.failed(permissionDenied(), 'limits'); // 4 s
    clock.advance(3999);
    expect(h.usable).toBe(false);
    clock.advance(1);
    expect(h.usable).toBe(true);
    h.succeeded();
    h.failed(permissionDenied(), 'limits');
    h.failed(permissionDenied(), 'limits');
    expect(h.usable).toBe(true); // counting starts again
    h.failed(permissionDenied(), 'limits');
    expect(h.usable).toBe(false);
    clock.advance(1000); // and the pause starts at 1 s again
    expect(h.usable).toBe(true);
  });

  it('errors broken by a success do not pause it', () => {
    const { health: h } = health();
    for (let i = 0; i < 10; i++) {
      h.failed(permissionDenied(), 'limits');
      h.failed(permissionDenied(), 'limits');
      h.succeeded();
    }
    expect(h.usable).toBe(true);
  });

  it('the share: limit / live instances, FALLBACK_DIVISOR before any count, never below 1', () => {
    const { health: h } = health();
    expect(FALLBACK_DIVISOR).toBe(10);
    expect(h.share(100)).toBe(10);
    expect(h.share(20)).toBe(2);
    expect(h.share(5)).toBe(1);
    h.liveInstances = 4;
    expect(h.share(100)).toBe(25);
    h.liveInstances = 1;
    expect(h.share(100)).toBe(100);
  });

  it('one log line a minute however many calls fail; slow and unavailable said apart', () => {
    const { clock, health: h, lines } = health();
    h.failed(timeout(), 'reuse');
    for (let i = 0; i < 200; i++) {
      h.failed(permissionDenied(), 'limits');
      clock.advance(250); // 200 × 250 ms = 50 s
    }
    expect(lines).toEqual([
      "[genScheme] state: database slow for reuse (TIMEOUT no answer within 800 ms); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later",
    ]);
    clock.advance(OUTAGE_LOG_EVERY_MS - 50_000);
    h.failed(permissionDenied(), 'limits');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      "[genScheme] state: database unavailable for limits (-502003 permission denied); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later",
    );
  });

  it('a failing logger changes nothing', async () => {
    const h = new DatabaseHealth(new FakeClock(T0), () => {
      throw new Error('log down');
    });
    expect(() => h.failed(permissionDenied(), 'limits')).not.toThrow();
    const limits = new FallbackLimits(Object.assign(fakeDatabaseLimits(), { fail: permissionDenied }), new MemoryLimits(), h);
    expect(await limits.admit(w, T0)).toEqual({ ok: true });
  });
});

describe('FallbackLimits', () => {
  function setup() {
    const { clock, health: h, lines } = health();
    const database = fakeDatabaseLimits();
    const limits = new FallbackLimits(database, new MemoryLimits(), h);
    return { clock, health: h, lines, database, limits };
  }

  it('a working database decides', async () => {
    const { database, limits } = setup();
    database.admission = { ok: false, retryAfterMs: 1234 };
    expect(await limits.admit(w, T0)).toEqual({ ok: false, retryAfterMs: 1234 });
    expect(limits.shared).toBe(true);
  });

  it('a failing database: memory answers with limit / FALLBACK_DIVISOR before any heartbeat', async () => {
    const { database, limits } = setup();
    database.fail = permissionDenied;
    expect(await limits.admit(w, T0)).toEqual({ ok: true });
    expect(await limits.admit(w, T0 + 1)).toEqual({ ok: true });
    expect(await limits.admit(w, T0 + 2)).toEqual({ ok: false, retryAfterMs: 60_000 - 2 }); // 20 / 10 = 2
  });

  it('after a heartbeat: limit / live instances', async () => {
    const { database, limits, health: h } = setup();
    database.live = 4;
    expect(await limits.heartbeat('me', T0)).toBe(4);
    expect(h.liveInstances).toBe(4);
    database.fail = permissionDenied;
    const admitted = [];
    for (let i = 0; i < 8; i++) admitted.push((await limits.admit(w, T0 + i)).ok);
    expect(admitted).toEqual([true, true, true, true, true, false, false, false]); // 20 / 4 = 5
  });

  it('memory mirrors what the database admitted: an outage starts with the share already used', async () => {
    const { database, limits } = setup();
    expect(await limits.admit(w, T0)).toEqual({ ok: true });
    expect(await limits.admit(w, T0 + 1)).toEqual({ ok: true });
    database.fail = permissionDenied;
    expect((await limits.admit(w, T0 + 2)).ok).toBe(false); // the share of 2 was used while the database worked
  });

  it('after 3 errors the database is skipped for a while, then asked again', async () => {
    const { clock, database, limits } = setup();
    database.fail = permissionDenied;
    for (let i = 0; i < 3; i++) await limits.admit({ ...w, key: `k${i}` }, clock.now());
    expect(database.calls).toBe(3);
    await limits.admit({ ...w, key: 'k3' }, clock.now());
    expect(database.calls).toBe(3);
    clock.advance(1000);
    database.fail = null;
    database.admission = { ok: false, retryAfterMs: 7 };
    expect(await limits.admit({ ...w, key: 'k4' }, clock.now())).toEqual({ ok: false, retryAfterMs: 7 });
    expect(database.calls).toBe(4);
  });

  it('lease: errors go through to pacing (which handles them), and while paused it throws without asking', async () => {
    const { database, limits } = setup();
    expect(await limits.lease(w, 3, T0)).toEqual({ granted: 3, retryAfterMs: 0 });
    database.fail = permissionDenied;
    for (let i = 0; i < 3; i++) await expect(limits.lease(w, 3, T0)).rejects.toMatchObject({ errCode: -502003 });
    const calls = database.calls;
    await expect(limits.lease(w, 3, T0)).rejects.toBeInstanceOf(StateUnavailable);
    expect(database.calls).toBe(calls);
  });
});

describe('FallbackLinks', () => {
  function links(fail: () => unknown) {
    const calls: string[] = [];
    const database: LinkStorePort = {
      findLink: async () => (calls.push('find'), Promise.reject(fail())),
      saveLink: async () => (calls.push('save'), Promise.reject(fail())),
      sweep: async () => undefined,
    };
    const h = health();
    return { ...h, calls, links: new FallbackLinks(database, h.health) };
  }

  it('a failed or slow lookup is a miss; a failed save is skipped', async () => {
    for (const fail of [permissionDenied, timeout, () => 'boom', () => new TypeError('x is not a function')]) {
      const { links: l, lines } = links(fail);
      expect(await l.findLink(target, 0, Infinity, T0)).toBeNull();
      await expect(l.saveLink(target, { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 60, createTime: T0 / 1000 })).resolves.toBeUndefined();
      expect(lines).toHaveLength(1);
    }
  });

  it('a working database answers', async () => {
    const found = { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 60, createTime: T0 / 1000 };
    const l = new FallbackLinks({ findLink: async () => found, saveLink: async () => undefined, sweep: async () => undefined }, health().health);
    expect(await l.findLink(target, 0, Infinity, T0)).toEqual(found);
  });
});

describe('RequiredStableLinks: no guess, StateUnavailable', () => {
  /** A memory store whose first `failures` calls fail. */
  function flaky(failures: number, fail: () => unknown = permissionDenied) {
    const inner = new MemoryStableLinks();
    let calls = 0;
    const store = new Proxy(inner, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          calls++;
          if (failures > 0) {
            failures--;
            throw fail();
          }
          return value.apply(target, args);
        };
      },
    }) as StableLinkStore;
    return { inner, store, calls: () => calls };
  }

  it('one failure of a read, claim or ticket save is tried once more: the caller sees the answer', async () => {
    const { store, calls } = flaky(1);
    const required = new RequiredStableLinks(store, health().health);
    expect(await required.getStableLink('a')).toBeNull();
    expect(calls()).toBe(2);
  });

  it('a create is not tried again here (the adapter keeps one op id across its own attempts)', async () => {
    const { store, calls } = flaky(1);
    const required = new RequiredStableLinks(store, health().health);
    await expect(required.createStableLink(stableConfig('a'))).rejects.toBeInstanceOf(StateUnavailable);
    expect(calls()).toBe(1);
  });

  it('two failures: StateUnavailable, after exactly two tries', async () => {
    const { store, calls } = flaky(2);
    const required = new RequiredStableLinks(store, health().health);
    await expect(required.getStableLink('a')).rejects.toBeInstanceOf(StateUnavailable);
    expect(calls()).toBe(2);
  });

  it('a time-out is retried too, and every method throws StateUnavailable when the database is down', async () => {
    const { store } = flaky(Infinity, timeout);
    const required = new RequiredStableLinks(store, health().health);
    const ticket = { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 60, createTime: T0 / 1000 };
    for (const call of [
      () => required.createStableLink(stableConfig('a')),
      () => required.getStableLink('a'),
      () => required.listStableLinks(),
      () => required.updateStableLink('a', { name: 'x' }),
      () => required.claimRenewal('a', T0, 1000),
      () => required.saveTicket('a', 0, ticket),
    ])
      await expect(call()).rejects.toBeInstanceOf(StateUnavailable);
  });

  it('while the database is paused, no call is made at all', async () => {
    const { store, calls } = flaky(Infinity);
    const { health: h, clock } = health();
    const required = new RequiredStableLinks(store, h);
    await expect(required.getStableLink('a')).rejects.toBeInstanceOf(StateUnavailable);
    await expect(required.getStableLink('a')).rejects.toBeInstanceOf(StateUnavailable); // 4 failures: paused after the 3rd
    const before = calls();
    await expect(required.getStableLink('a')).rejects.toBeInstanceOf(StateUnavailable);
    expect(calls()).toBe(before);
    clock.advance(10_000);
    await expect(required.getStableLink('a')).rejects.toBeInstanceOf(StateUnavailable);
    expect(calls()).toBeGreaterThan(before);
  });
});

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
  for (const m of ['get', 'update', 'remove', 'add', 'count']) query[m] = () => (db.calls++, fail());
  query.doc = () => ({ set: () => (db.calls++, fail()) });
  return db;
}

describe('createState in database mode over a failing database', () => {
  function harness(fail: () => unknown, timeoutMs?: number) {
    const clock = new FakeClock(T0);
    const lines: string[] = [];
    const db = failingDb(fail);
    const state = createState({ mode: 'database', database: () => db, clock, log: (l) => lines.push(l), secret: 's', timeoutMs });
    return { clock, lines, db, state };
  }
  const throwDenied = () => {
    throw permissionDenied();
  };

  it('permission denied (-502003): limits from the share, reuse skipped, generations counted, stable links unavailable', async () => {
    const { lines, state } = harness(throwDenied);
    expect(state.mode).toBe('database');
    expect(await state.limits.admit(w, T0)).toEqual({ ok: true });
    expect(await state.limits.admit(w, T0 + 1)).toEqual({ ok: true });
    expect(await state.limits.admit(w, T0 + 2)).toEqual({ ok: false, retryAfterMs: 59_998 });
    expect(await state.links.findLink(target, 0, Infinity, T0)).toBeNull();
    await expect(
      state.links.saveLink(target, { link: 'weixin://dl/business/?t=A', expireTime: T0 / 1000 + 60, createTime: T0 / 1000 }),
    ).resolves.toBeUndefined();
    state.counters.countGeneration(T0);
    state.counters.countGeneration(T0);
    expect(await state.counters.generatedToday(T0)).toBe(2);
    await expect(state.stableLinks.listStableLinks()).rejects.toBeInstanceOf(StateUnavailable);
    await expect(state.counters.stableLinkDays('a', ['2026-11-25'])).rejects.toBeInstanceOf(StateUnavailable);
    expect(lines).toEqual([
      "[genScheme] state: database unavailable for limits (-502003 permission denied); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later",
    ]);
    expect(await state.sweep(T0)).toEqual({ failed: ['limits', 'links', 'openers'] });
  });

  it('anything thrown counts as a failure: a string, a rejected promise, an answer of the wrong shape', async () => {
    for (const fail of [
      () => {
        throw 'boom';
      },
      () => Promise.reject(new TypeError('x is not a function')),
      () => undefined, // an answer without the expected shape
    ]) {
      const { lines, state } = harness(fail);
      expect(await state.limits.admit(w, T0)).toEqual({ ok: true });
      expect(await state.links.findLink(target, 0, Infinity, T0)).toBeNull();
      expect(lines).toHaveLength(1);
    }
  });

  it('a hung database costs at most the time limit per call, then memory answers', async () => {
    const { clock, lines, state } = harness(() => new Promise(() => undefined), 800);
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    /** Fake ms until `admission` settles, advancing 100 ms at a time. */
    const settleTime = async (admission: Promise<unknown>) => {
      let settled = false;
      void admission.then(() => (settled = true));
      const from = clock.now();
      for (let i = 0; i < 100 && !settled; i++) {
        await flush();
        if (settled) break;
        expect(clock.pendingTimers).toBe(1); // one call at a time, each with its time limit
        clock.advance(100);
        await flush();
      }
      expect(settled).toBe(true);
      return clock.now() - from;
    };
    // A window this instance has not seen is created first (add, then the update): two calls.
    const first = state.limits.admit(w, T0);
    expect(await settleTime(first)).toBeLessThanOrEqual(2 * 800);
    expect(await first).toEqual({ ok: true });
    // A window it knows: the update alone.
    const again = state.limits.admit(w, T0 + 1);
    expect(await settleTime(again)).toBe(800);
    expect(await again).toEqual({ ok: true });
    expect(lines[0]).toMatch(/database slow for limits \(TIMEOUT no answer within 800 ms\)/);
  });

  it('the database adapter itself refuses limits above 1000 (its times live in one document)', async () => {
    const client = new DbClient(failingDb(throwDenied), new FakeClock(T0));
    await expect(new DatabaseLimits(client, new StateKeys(client, 's')).admit({ key: 'k', limit: 1001, windowMs: 1000 }, T0)).rejects.toThrow(RangeError);
  });
});

describe('the fallbacks over the real wx-server-sdk and a closed port', () => {
  let state: SharedState;
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
    state = createState({ mode: 'database', database: () => db, clock, log: (l) => lines.push(l) });
  });

  it('admit works from the share, findLink is null, counts are kept, one log line for 40 failing calls within a minute', async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      results.push((await state.limits.admit({ key: 'user:oFlood', limit: 50, windowMs: 60_000 }, clock.ms)).ok);
      expect(await state.links.findLink(target, 0, Infinity, clock.ms)).toBeNull();
      state.counters.countGeneration(clock.ms);
      await state.links.saveLink(target, { link: 'weixin://dl/business/?t=X', expireTime: clock.ms / 1000 + 3600, createTime: clock.ms / 1000 });
      clock.ms += 5_000;
    }
    expect(results).toEqual([true, true, true, true, true, false, false, false, false, false]); // 50 / 10
    expect(await state.counters.generatedToday(clock.ms)).toBe(10);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[genScheme\] state: database unavailable for \w+ \(-501001 .*\); limits fall back to this instance's share, reuse is skipped, counts are kept to be written later$/,
    );
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
    const memory = createState({
      mode: 'memory',
      database: () => {
        throw new Error('not wanted');
      },
      clock,
      log: () => undefined,
    });
    expect(memory.mode).toBe('memory');
    expect(await memory.limits.admit(w, T0)).toEqual({ ok: true });
    let asked = 0;
    const lines: string[] = [];
    const database = createState({
      mode: 'database',
      database: () => {
        asked++;
        throw new StateError('cloud.database() failed', -1);
      },
      clock,
      log: (l) => lines.push(l),
    });
    expect(asked).toBe(0);
    expect(database.mode).toBe('database');
    expect(await database.limits.admit(w, T0)).toEqual({ ok: true });
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(lines).toHaveLength(1);
  });

  it('database mode without a database is a configuration error', () => {
    expect(() => createState({ mode: 'database', clock: new FakeClock(T0), log: () => undefined })).toThrow(/needs a database/);
  });
});
