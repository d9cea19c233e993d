/**
 * Count shards and openers in the database (counters.ts says why shards): a shard is one
 * document per instance, count and day, written with `set` and its absolute value; an opener is
 * one document per user, link and day under an HMAC'd _id. Both are safe to write again.
 * The sweep folds past days' openers into one shard per link and day (absolute, the larger value
 * kept), then removes their records: the day's number stays, the per-user records go.
 */
import type { CountName, CountStore, Shard } from '../counters';
import { chinaDay } from '../port';
import { everything, type DbClient } from './client';
import { COLLECTIONS } from './collections';
import type { StateKeys } from './keys';

/** The instance name of the shard the sweep writes a past day's openers into. */
const SWEPT = 'sweep';

export class DatabaseCounts implements CountStore {
  constructor(
    private readonly client: DbClient,
    private readonly keys: StateKeys,
    /** Background writes may wait longer than a request's read. */
    private readonly writeTimeoutMs = 10_000,
  ) {}

  async writeShard(shard: Shard): Promise<void> {
    const id = [shard.name, shard.code ?? '', shard.date, shard.instance].join('|');
    await this.client.call(
      COLLECTIONS.counters,
      () =>
        this.counters()
          .doc(id)
          .set({ data: { ...shard, code: shard.code ?? '' } }),
      this.writeTimeoutMs,
    );
  }

  async readShards(names: readonly CountName[], dates: readonly string[], code?: string): Promise<Shard[]> {
    const _ = this.client.command;
    const where = { name: _.in([...names]), date: _.in([...dates]), ...(code === undefined ? {} : { code }) };
    return (await everything(this.client, COLLECTIONS.counters, where)).map(toShard);
  }

  async readStableShards(): Promise<Shard[]> {
    const _ = this.client.command;
    return (await everything(this.client, COLLECTIONS.counters, { name: _.in(['visits', 'opens']) })).map(toShard);
  }

  async addOpener(code: string, date: string, visitor: string): Promise<void> {
    const id = await this.keys.hmac('opener', JSON.stringify([code, date, visitor]));
    await this.client.call(
      COLLECTIONS.stableOpeners,
      () => this.client.collection(COLLECTIONS.stableOpeners).doc(id).set({ data: { code, date } }),
      this.writeTimeoutMs,
    );
  }

  async countOpeners(code: string, dates: readonly string[]): Promise<Map<string, number>> {
    const _ = this.client.command;
    const counts = new Map<string, number>();
    const swept = new Map<string, number>();
    const [records, shards] = await Promise.all([
      everything(this.client, COLLECTIONS.stableOpeners, { code, date: _.in([...dates]) }),
      everything(this.client, COLLECTIONS.counters, { name: 'openers', code, date: _.in([...dates]) }),
    ]);
    for (const r of records) counts.set(String(r.date), (counts.get(String(r.date)) ?? 0) + 1);
    // A swept day's number is in its shard; records left of a sweep that stopped half-way are in it already.
    for (const s of shards) swept.set(String(s.date), Number(s.n) || 0);
    for (const [date, n] of swept) counts.set(date, Math.max(n, counts.get(date) ?? 0));
    return counts;
  }

  /** Folds the openers of days before today into shards, then removes their records. */
  async sweep(nowMs: number): Promise<void> {
    const _ = this.client.command;
    const today = chinaDay(nowMs);
    const past = await everything(this.client, COLLECTIONS.stableOpeners, { date: _.lt(today) });
    const byDay = new Map<string, { code: string; date: string; n: number }>();
    for (const r of past) {
      const key = `${r.code}|${r.date}`;
      const entry = byDay.get(key) ?? { code: String(r.code), date: String(r.date), n: 0 };
      entry.n++;
      byDay.set(key, entry);
    }
    for (const { code, date } of byDay.values()) {
      const [counted] = (await this.countOpeners(code, [date])).values();
      const id = ['openers', code, date, SWEPT].join('|');
      await this.client.call(
        COLLECTIONS.counters,
        () =>
          this.counters()
            .doc(id)
            .set({ data: { name: 'openers', code, date, instance: SWEPT, n: counted ?? 0 } }),
        this.writeTimeoutMs,
      );
    }
    if (byDay.size)
      await this.client.call(
        COLLECTIONS.stableOpeners,
        () =>
          this.client
            .collection(COLLECTIONS.stableOpeners)
            .where({ date: _.lt(today) })
            .remove(),
        this.writeTimeoutMs,
      );
  }

  private counters() {
    return this.client.collection(COLLECTIONS.counters);
  }
}

function toShard(d: Record<string, unknown>): Shard {
  const code = typeof d.code === 'string' && d.code ? d.code : undefined;
  return { name: d.name as CountName, date: String(d.date), ...(code ? { code } : {}), instance: String(d.instance), n: Number(d.n) || 0 };
}
