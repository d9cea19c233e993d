/** ShardedCounters (src/state/counters.ts) over a fake CountStore and a fake clock. */
import { BATCH_MS, ShardedCounters, StateUnavailable, type CountStore, type Shard } from '../../cloudfunctions/genScheme/src/state';
import { FakeClock } from '../support/fake-clock';
import { T0 } from './contract';

const DAY = '2026-11-25';
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A store in memory whose writes the test can fail, or apply and answer never. */
function fakeStore() {
  const shards = new Map<string, Shard>();
  const openers = new Set<string>();
  const store = {
    shards,
    openers,
    writes: 0,
    /** What the next writes do: 'ok', 'fail' (not applied), 'late' (applied, no answer). */
    plan: [] as Array<'ok' | 'fail' | 'late'>,
    readFails: false,
    async writeShard(shard: Shard): Promise<void> {
      store.writes++;
      const how = store.plan.shift() ?? 'ok';
      if (how === 'fail') throw Object.assign(new Error('permission denied'), { errCode: -502003 });
      shards.set([shard.name, shard.code ?? '', shard.date, shard.instance].join('|'), { ...shard });
      if (how === 'late') await new Promise(() => undefined);
    },
    async readShards(names: readonly string[], dates: readonly string[], code?: string): Promise<Shard[]> {
      if (store.readFails) throw new Error('read failed');
      return [...shards.values()]
        .filter((s) => names.includes(s.name) && dates.includes(s.date) && (code === undefined || s.code === code))
        .map((s) => ({ ...s }));
    },
    async readStableShards(): Promise<Shard[]> {
      if (store.readFails) throw new Error('read failed');
      return [...shards.values()].filter((s) => s.code);
    },
    async addOpener(code: string, date: string, visitor: string): Promise<void> {
      const how = store.plan.shift() ?? 'ok';
      if (how === 'fail') throw new Error('opener write failed');
      openers.add(JSON.stringify([code, date, visitor]));
      if (how === 'late') await new Promise(() => undefined);
    },
    async countOpeners(code: string, dates: readonly string[]): Promise<Map<string, number>> {
      if (store.readFails) throw new Error('read failed');
      const counts = new Map<string, number>();
      for (const o of openers) {
        const [c, d] = JSON.parse(o) as [string, string];
        if (c === code && dates.includes(d)) counts.set(d, (counts.get(d) ?? 0) + 1);
      }
      return counts;
    },
  };
  return store satisfies CountStore;
}
/** The total written for `name` on DAY, every instance together. */
const stored = (store: ReturnType<typeof fakeStore>, name = 'generated') =>
  [...store.shards.values()].filter((s) => s.name === name && s.date === DAY).reduce((n, s) => n + s.n, 0);

describe('ShardedCounters', () => {
  it('counting never waits: writes are batched, one per shard every BATCH_MS', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    for (let i = 0; i < 50; i++) counters.countGeneration(T0);
    expect(store.writes).toBe(0);
    expect(counters.unwritten).toBe(50);
    clock.advance(BATCH_MS);
    await settle();
    expect(store.writes).toBe(1);
    expect(stored(store)).toBe(50);
    expect(counters.unwritten).toBe(0);
  });

  it('a write that fails is kept and tried again later: the total stays exact', async () => {
    const clock = new FakeClock(T0);
    const lines: string[] = [];
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock, (l) => lines.push(l));
    store.plan = ['fail', 'fail'];
    for (let i = 0; i < 3; i++) counters.countGeneration(T0);
    clock.advance(BATCH_MS);
    await settle();
    expect(stored(store)).toBe(0);
    expect(counters.unwritten).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/3 counts not written yet .*trying again in 500 ms/);
    counters.countGeneration(T0 + 1);
    clock.advance(499);
    await settle();
    expect(store.writes).toBe(1);
    clock.advance(1);
    await settle();
    expect(store.writes).toBe(2); // failed again: the pause doubles
    expect(counters.unwritten).toBe(4);
    clock.advance(999);
    await settle();
    expect(store.writes).toBe(2);
    clock.advance(1);
    await settle();
    expect(stored(store)).toBe(4);
    expect(counters.unwritten).toBe(0);
    expect(lines).toHaveLength(1); // one line a minute
    counters.countGeneration(T0 + 2);
    clock.advance(BATCH_MS);
    await settle();
    expect(stored(store)).toBe(5);
  });

  it('a write answered late but applied is not counted twice (absolute values)', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    store.plan = ['late'];
    for (let i = 0; i < 4; i++) counters.countGeneration(T0);
    clock.advance(BATCH_MS);
    await settle();
    expect(stored(store)).toBe(4); // landed
    expect(counters.unwritten).toBe(4); // but not acknowledged
    counters.countGeneration(T0 + 1);
    clock.advance(10_000); // the write's time limit
    await settle();
    clock.advance(500); // the retry
    await settle();
    expect(store.writes).toBe(2);
    expect(stored(store)).toBe(5);
    expect(counters.unwritten).toBe(0);
    // Written again and again: still 5.
    counters.countGeneration(T0 + 2);
    clock.advance(BATCH_MS);
    await settle();
    expect(stored(store)).toBe(6);
    expect(store.shards.size).toBe(1);
  });

  it("generatedToday = this instance's own count (local, written or not) + the other instances' shards", async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    store.shards.set('other', { name: 'generated', date: DAY, instance: 'other', n: 7 });
    store.shards.set('yesterday', { name: 'generated', date: '2026-11-24', instance: 'other', n: 100 });
    for (let i = 0; i < 3; i++) counters.countGeneration(T0);
    clock.advance(BATCH_MS);
    await settle();
    expect(stored(store)).toBe(10);
    counters.countGeneration(T0); // not written yet
    expect(counters.unwritten).toBe(1);
    expect(await counters.generatedToday(T0)).toBe(4 + 7); // its own written shard is not added again
    // The store cannot be read: the others' count last read stands.
    store.readFails = true;
    store.shards.set('other', { name: 'generated', date: DAY, instance: 'other', n: 9 });
    counters.countGeneration(T0);
    expect(await counters.generatedToday(T0)).toBe(5 + 7);
    store.readFails = false;
    expect(await counters.generatedToday(T0)).toBe(5 + 9);
    // A new China day: the others' count of yesterday does not carry over, even unread.
    store.readFails = true;
    expect(await counters.generatedToday(Date.UTC(2026, 10, 25, 16, 0, 0))).toBe(0);
  });

  it('unwritten counts shards and openers until the store acknowledges them', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    counters.countVisit('a', T0);
    counters.countOpen('a', 'u1', T0);
    counters.countOpen('a', 'u1', T0); // the same opener: once
    counters.countOpen('a', undefined, T0);
    expect(counters.unwritten).toBe(1 + 3 + 1);
    await counters.flush(T0 + 1000);
    expect(counters.unwritten).toBe(0);
    expect(store.openers.size).toBe(1);
    expect(await counters.stableLinkDays('a', [DAY])).toEqual([{ date: DAY, visits: 1, opens: 3, openers: 1 }]);
  });

  it('a failed opener write is kept and written later: shown once written, never twice', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    counters.countOpen('a', 'u1', T0);
    store.plan = ['ok', 'fail']; // the opens shard, then the opener
    clock.advance(BATCH_MS);
    await settle();
    expect(store.openers.size).toBe(0);
    expect(counters.unwritten).toBe(1);
    // Unwritten, it is not shown: an unanswered write may have landed, and showing it too could count it twice.
    expect(await counters.stableLinkDays('a', [DAY])).toEqual([{ date: DAY, visits: 0, opens: 1, openers: 0 }]);
    clock.advance(500);
    await settle();
    expect(store.openers.size).toBe(1);
    expect(counters.unwritten).toBe(0);
    expect(await counters.stableLinkDays('a', [DAY])).toEqual([{ date: DAY, visits: 0, opens: 1, openers: 1 }]);
  });

  it('an opener write applied but answered late is still one opener', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    counters.countOpen('a', 'u1', T0);
    store.plan = ['ok', 'late']; // the opens shard, then the opener: applied, no answer
    clock.advance(BATCH_MS);
    await settle();
    clock.advance(10_000); // the write's time limit: it is kept to be written again
    await settle();
    expect(store.openers.size).toBe(1);
    expect(await counters.stableLinkDays('a', [DAY])).toEqual([{ date: DAY, visits: 0, opens: 1, openers: 1 }]);
  });

  it('flush waits until the writes are acknowledged, or until byMs at most', async () => {
    const clock = new FakeClock(T0);
    const store = fakeStore();
    const counters = new ShardedCounters(store, clock);
    store.plan = ['late'];
    counters.countGeneration(T0);
    let done = false;
    const flushing = counters.flush(T0 + 2000).then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    clock.advance(1999);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    await flushing;
    expect(counters.unwritten).toBe(1);
  });

  it('stable link figures that cannot be read say so: StateUnavailable, never a guess', async () => {
    const store = fakeStore();
    const counters = new ShardedCounters(store, new FakeClock(T0));
    store.readFails = true;
    await expect(counters.stableLinkDays('a', [DAY])).rejects.toBeInstanceOf(StateUnavailable);
    await expect(counters.stableLinkTotals()).rejects.toBeInstanceOf(StateUnavailable);
  });

  it('without a store (memory mode) nothing is scheduled', async () => {
    const clock = new FakeClock(T0);
    const counters = new ShardedCounters(null, clock);
    counters.countGeneration(T0);
    counters.countVisit('a', T0);
    expect(clock.pendingTimers).toBe(0);
    expect(await counters.generatedToday(T0)).toBe(1);
  });
});
