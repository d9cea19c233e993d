/**
 * The shapes of count shards and where they are written (counters.ts says why shards), and the
 * small helpers the counters use.
 */
import { StateUnavailable, type StateClock } from './port';

export type CountName = 'generated' | 'visits' | 'opens';

/** One instance's shard: `n` counted by `instance` for `name` on `date` (and stable link `code`). */
export interface Shard {
  name: CountName;
  date: string;
  code?: string;
  instance: string;
  n: number;
}

/** Where shards and openers are written: the database (database/counters.ts), or nowhere (memory mode). */
export interface CountStore {
  /** Writes a shard with its absolute value: safe to repeat. */
  writeShard(shard: Shard): Promise<void>;
  /** Every instance's shards of `names` on `dates` (of `code`, when given). */
  readShards(names: readonly CountName[], dates: readonly string[], code?: string): Promise<Shard[]>;
  /** Every stable link's shards, all days. */
  readStableShards(): Promise<Shard[]>;
  /** Adds `visitor` to the openers of `code` on `date`: safe to repeat. */
  addOpener(code: string, date: string, visitor: string): Promise<void>;
  /** Distinct openers of `code` per date. */
  countOpeners(code: string, dates: readonly string[]): Promise<Map<string, number>>;
}

/** A read whose answer the caller shows: without the database there is nothing true to show. */
export async function required<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch {
    throw new StateUnavailable('counts need the database, which is unavailable');
  }
}

export function shardKey(name: CountName, date: string, code?: string): string {
  return JSON.stringify([name, date, code ?? null]);
}

export function withTimeout<T>(work: Promise<T>, ms: number, clock: StateClock): Promise<T> {
  return new Promise((resolve, reject) => {
    const cancel = clock.setTimer(ms, () => reject(new Error(`no answer within ${ms} ms`)));
    work.then(
      (value) => (cancel(), resolve(value)),
      (error) => (cancel(), reject(error)),
    );
  });
}

export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 120);
}
