/**
 * The small database client every database adapter shares: the few calls of `cloud.database()`
 * we use (typed loosely enough that wx-server-sdk's typings fit), one call with a time limit, and
 * collection creation on first use. It leans only on what the database promises (platform-rules
 * §11, cloudbase-database-wire.md): a single-document update is atomic and says how many documents
 * it changed; read-then-write is not atomic; collections are not created on first write (-502005).
 *
 * A time-out here means "no answer yet", never "not applied": the request may still land. So a
 * caller that retries a write must make it safe to repeat (absolute values, conditions, op ids),
 * and a caller that must know reads back (see stable-links.ts).
 */
export interface DbQuery {
  where(condition: object): DbQuery;
  orderBy(fieldPath: string, order: string): DbQuery;
  limit(max: number): DbQuery;
  get(): unknown;
  count(): unknown;
  update(options: { data: object }): unknown;
  remove(): unknown;
}
export interface DbCollection extends DbQuery {
  doc(id: string): { set(options: { data: object }): unknown };
  add(options: { data: object }): unknown;
}
export interface DbCommand {
  exists(value: boolean): object;
  gt(value: number | string): object;
  gte(value: number | string): object;
  lt(value: number | string): object;
  lte(value: number | string): object;
  in(values: Array<number | string>): object;
  and(...expressions: object[]): object;
  or(...expressions: object[]): object;
  inc(value: number): unknown;
  push(...values: object[]): unknown;
}
export interface Db {
  readonly command: DbCommand;
  collection(name: string): DbCollection;
  createCollection(name: string): unknown;
}

/** The database's "collection does not exist" (DATABASE_COLLECTION_NOT_EXIST). */
const COLLECTION_MISSING = -502005;
/** wx-server-sdk's errCode for DATABASE_REQUEST_FAILED, which a duplicate _id answers (§11 ⚠️). */
export const REQUEST_FAILED = -502001;

/** A database call that failed or had no answer in time; `errCode` as wx-server-sdk gives it, or 'TIMEOUT'. */
export class StateError extends Error {
  override readonly name = 'StateError';
  constructor(
    message: string,
    readonly errCode: number | string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The time the adapters need, injected: no Date.now() inside the algorithms. */
export interface StateClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Must not keep the process alive. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * Default wait for an answer on a request's path: longer is treated as "not now" (limits then fall
 * back to this instance's share). Long enough that a merely busy database still decides.
 */
export const DEFAULT_TIMEOUT_MS = 1_500;

export class DbClient {
  constructor(
    readonly db: Db,
    readonly clock: StateClock,
    /** Time limit of a call unless the caller gives its own (ms). */
    readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  get command(): DbCommand {
    return this.db.command;
  }

  collection(name: string): DbCollection {
    return this.db.collection(name);
  }

  /**
   * Runs one call with a time limit; on -502005 creates the collection (tolerating "already
   * exists") and runs it once more — not createCollection on every cold start.
   */
  async call(collection: string, fn: () => unknown, timeoutMs = this.timeoutMs): Promise<unknown> {
    try {
      return await this.timed(fn, timeoutMs);
    } catch (error) {
      if (errCodeOf(error) !== COLLECTION_MISSING) throw error;
      await this.timed(() => this.db.createCollection(collection), timeoutMs).catch(() => undefined);
      return this.timed(fn, timeoutMs);
    }
  }

  private timed(fn: () => unknown, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const cancel = this.clock.setTimer(timeoutMs, () => reject(new StateError(`no answer within ${timeoutMs} ms`, 'TIMEOUT')));
      Promise.resolve()
        .then(fn)
        .then(
          (value) => (cancel(), resolve(value)),
          (error) => (cancel(), reject(error)),
        );
    });
  }
}

/** The errCode wx-server-sdk puts on a database error (-502005, -502003, -501001, …), or 'TIMEOUT'. */
export function errCodeOf(error: unknown): number | string | undefined {
  if (error && typeof error === 'object' && 'errCode' in error) {
    const code = (error as { errCode: unknown }).errCode;
    if (typeof code === 'number' || typeof code === 'string') return code;
  }
  return undefined;
}

/** True when the call had no answer in time: it may still have been applied. */
export function isTimeout(error: unknown): boolean {
  return errCodeOf(error) === 'TIMEOUT';
}

export function updatedCount(result: unknown): number {
  const updated = Number((result as { stats?: { updated?: unknown } } | undefined)?.stats?.updated);
  if (!Number.isFinite(updated)) throw new StateError('update answered without stats.updated', 'BAD_REPLY');
  return updated;
}

export function docsOf(result: unknown): Record<string, unknown>[] {
  const data = (result as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new StateError('query answered without a data list', 'BAD_REPLY');
  return data as Record<string, unknown>[];
}

export function totalOf(result: unknown): number {
  const total = Number((result as { total?: unknown } | undefined)?.total);
  if (!Number.isFinite(total)) throw new StateError('count answered without a total', 'BAD_REPLY');
  return total;
}

/** A get() answers at most this many documents (the server SDK's ceiling). */
export const PAGE = 1000;

/** Every document matching `where`, a page at a time, in _id order (keyset paging). */
export async function everything(
  client: DbClient,
  collection: string,
  where: Record<string, unknown> = {},
  timeoutMs?: number,
): Promise<Record<string, unknown>[]> {
  const _ = client.command;
  const all: Record<string, unknown>[] = [];
  let after = '';
  for (;;) {
    const found = await client.call(
      collection,
      () =>
        client
          .collection(collection)
          .where({ ...where, _id: _.gt(after) })
          .orderBy('_id', 'asc')
          .limit(PAGE)
          .get(),
      timeoutMs,
    );
    const page = docsOf(found);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = String(page[page.length - 1]._id);
  }
}
