/**
 * The database adapter: the state lives in the CloudBase database of the function's own
 * environment, shared by every instance. It leans only on what the database promises
 * (platform-rules §11, cloudbase-database-wire.md): a single-document update is atomic and
 * says how many documents it changed; read-then-write is not atomic; collections are not
 * created on first write (-502005), so this adapter creates its own on first use.
 *
 * Collections (none readable by clients: security rule `{ "read": false, "write": false }`):
 *  - genscheme_limits   { _id: HMAC(window), times: number[] (ms, ascending, ≤ limit), until: ms }
 *  - genscheme_counters { _id: 'generated:YYYY-MM-DD' (China day), day, n }
 *  - genscheme_links    { _id: HMAC(target, link), target: HMAC(target), link, expireTime, createTime }
 *                       index: { target: 1, expireTime: -1 }
 *  - genscheme_meta     { _id: 'secret', value } — only when GENSCHEME_STATE_SECRET is not given
 *  - genscheme_stable_links, genscheme_stable_days, genscheme_stable_openers: stable links (stable-database.ts)
 * No OPENID, IP, path or query is stored in the clear: every key is an HMAC-SHA256 under a
 * per-environment secret.
 */
import { createHmac, randomBytes } from 'crypto';
import { loadStableCapability } from '../load-stable-capability';
import { LazyStableLinks } from './lazy-stable-links';
import { STABLE_COLLECTIONS, chinaDay, targetText, windowText, type StableLinkStore, type Admission, type SlidingWindow, type StateClock, type WindowUse, windowUse, type StatePort, type StoredLink, type Target } from './port';

// The few calls used, typed loosely enough that wx-server-sdk's `cloud.database()` fits
// (its typings return `Promise<…> | void | string`, so results are `unknown` and checked here).
export interface DbQuery {
  where(condition: object): DbQuery;
  orderBy(fieldPath: string, order: string): DbQuery;
  limit(max: number): DbQuery;
  get(): unknown;
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

export const COLLECTIONS = {
  limits: 'genscheme_limits',
  counters: 'genscheme_counters',
  links: 'genscheme_links',
  meta: 'genscheme_meta',
  ...STABLE_COLLECTIONS,
} as const;

/**
 * The array of one window's admission times lives in one document and is rewritten on every
 * admission: at 1000 numbers that is ~10 KB per update, well inside a document's size limit
 * and a round trip's budget. Bigger limits belong to a counter, not a sliding window.
 */
export const MAX_DATABASE_LIMIT = 1000;

/** The database's "collection does not exist" (DATABASE_COLLECTION_NOT_EXIST). */
const COLLECTION_MISSING = -502005;

/** A database call that failed or ran out of time; `errCode` as wx-server-sdk gives it, or 'TIMEOUT'. */
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

export interface DatabaseStateOptions {
  db: Db;
  clock: StateClock;
  /** GENSCHEME_STATE_SECRET; without it one is generated once per environment and kept in genscheme_meta. */
  secret?: string;
  /** Time limit of each database call (ms): a hung database must not eat the function's time budget. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 800;

type WindowDoc = { _id: string; times?: number[] };

export class DatabaseState extends LazyStableLinks implements StatePort {
  readonly mode = 'database' as const;
  protected readonly db: Db;
  private readonly clock: StateClock;
  private readonly timeoutMs: number;
  private secret: Promise<string> | null;

  constructor(options: DatabaseStateOptions) {
    super();
    this.db = options.db;
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.secret = options.secret ? Promise.resolve(options.secret) : null;
  }
  /** The stable-link half, lent this adapter's database, time-limited call and keys. */
  protected makeStableLinks(): StableLinkStore {
    return loadStableCapability().databaseStableLinks({ db: this.db, call: (collection, fn) => this.call(collection, fn), hmac: (purpose, text) => this.hmac(purpose, text) });
  }


  /**
   * One conditional update admits: push `now` (keeping the last `limit` times) only where the
   * array is not full yet or its oldest kept time has left the window. Any window of windowMs
   * then holds at most `limit` admissions, whatever the number of instances.
   */
  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    const { limit, windowMs } = window;
    if (limit > MAX_DATABASE_LIMIT || !Number.isInteger(limit)) throw new RangeError(`[genScheme] state: limit ${limit} is not an integer ≤ ${MAX_DATABASE_LIMIT} (a database window keeps its times in one document)`);
    if (limit <= 0) return { ok: false, retryAfterMs: Math.max(1, windowMs) };
    const id = await this.hmac('window', windowText(window));
    const _ = this.db.command;
    const limits = () => this.db.collection(COLLECTIONS.limits);
    const push = () =>
      limits()
        .where(_.and({ _id: id }, _.or({ [`times.${limit - 1}`]: _.exists(false) }, { 'times.0': _.lte(nowMs - windowMs) })))
        // sort keeps the array ascending even when instances' clocks or requests cross.
        .update({ data: { times: _.push({ each: [nowMs], sort: 1, slice: -limit }), until: nowMs + windowMs } });
    for (let attempt = 0; attempt < 3; attempt++) {
      if (updatedCount(await this.call(COLLECTIONS.limits, push)) > 0) return { ok: true };
      if (attempt === 0) {
        // Not admitted: the window is full, or does not exist yet. Creating it with this admission
        // in it answers the second case in one more round trip; a failed add means it exists.
        const created = await this.call(COLLECTIONS.limits, () => limits().add({ data: { _id: id, times: [nowMs], until: nowMs + windowMs } })).then(
          () => true,
          () => false,
        );
        if (created) return { ok: true };
      }
      const found = (await this.call(COLLECTIONS.limits, () => limits().where({ _id: id }).limit(1).get())) as WindowDoc[];
      const doc = docs(found)[0] as WindowDoc | undefined;
      if (!doc) continue;
      const times = Array.isArray(doc.times) ? doc.times.map(Number) : [];
      if (times.length >= limit) {
        const wait = times[times.length - limit] + windowMs - nowMs;
        if (wait > 0) return { ok: false, retryAfterMs: wait };
      }
      // A slot freed between the update and the read: try again.
    }
    return { ok: false, retryAfterMs: 1 };
  }

  /** One read of the window's document; nothing is taken. */
  async peek(window: SlidingWindow, nowMs: number): Promise<WindowUse> {
    const id = await this.hmac('window', windowText(window));
    const found = await this.call(COLLECTIONS.limits, () => this.db.collection(COLLECTIONS.limits).where({ _id: id }).limit(1).get());
    const doc = docs(found)[0] as WindowDoc | undefined;
    const times = (Array.isArray(doc?.times) ? doc.times.map(Number) : []).filter((t) => t > nowMs - window.windowMs).sort((a, b) => a - b);
    return windowUse(times, window, nowMs);
  }

  /** `_.inc` on the day's document: a safe shared counter across instances. */
  async countGeneration(nowMs: number): Promise<void> {
    const day = chinaDay(nowMs);
    const id = `generated:${day}`;
    const counters = () => this.db.collection(COLLECTIONS.counters);
    const inc = () => counters().where({ _id: id }).update({ data: { n: this.db.command.inc(1) } });
    if (updatedCount(await this.call(COLLECTIONS.counters, inc)) > 0) return;
    try {
      await this.call(COLLECTIONS.counters, () => counters().add({ data: { _id: id, day, n: 1 } }));
      return;
    } catch (error) {
      // Another instance created the day's document first: count on it.
      if (updatedCount(await this.call(COLLECTIONS.counters, inc)) > 0) return;
      throw error;
    }
  }

  async generatedToday(nowMs: number): Promise<number> {
    const id = `generated:${chinaDay(nowMs)}`;
    const found = await this.call(COLLECTIONS.counters, () => this.db.collection(COLLECTIONS.counters).where({ _id: id }).limit(1).get());
    const doc = docs(found)[0] as { n?: unknown } | undefined;
    return doc ? Number(doc.n) || 0 : 0;
  }

  async findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null> {
    // Live = expires after now; never outside [minExpire, maxExpire].
    const from = Math.max(minExpire, Math.floor(nowMs / 1000) + 1);
    if (from > maxExpire) return null;
    const key = await this.hmac('target', targetText(target));
    const _ = this.db.command;
    const found = await this.call(COLLECTIONS.links, () =>
      this.db
        .collection(COLLECTIONS.links)
        .where({ target: key, expireTime: _.and(_.gte(from), _.lte(maxExpire)) })
        .orderBy('expireTime', 'desc')
        .limit(1)
        .get(),
    );
    const doc = docs(found)[0] as Partial<StoredLink> | undefined;
    if (!doc || typeof doc.link !== 'string') return null;
    const expireTime = Number(doc.expireTime);
    // The database answered the query; still never hand out a link outside the bounds.
    if (!(expireTime >= from && expireTime <= maxExpire)) return null;
    return { link: doc.link, expireTime, createTime: Number(doc.createTime) };
  }

  /** A deterministic _id and set(): saving the same link twice keeps one document. */
  async saveLink(target: Target, link: StoredLink): Promise<void> {
    const text = targetText(target);
    const [key, id] = await Promise.all([this.hmac('target', text), this.hmac('link', JSON.stringify([text, link.link]))]);
    await this.call(COLLECTIONS.links, () =>
      this.db
        .collection(COLLECTIONS.links)
        .doc(id)
        .set({ data: { target: key, link: link.link, expireTime: link.expireTime, createTime: link.createTime } }),
    );
  }

  /**
   * Removes windows idle past their window and expired links. Not on any request's path: for a
   * timer trigger or an occasional admin call; nothing breaks if it never runs, only storage grows.
   */
  async sweep(nowMs: number): Promise<void> {
    const _ = this.db.command;
    await this.call(COLLECTIONS.limits, () => this.db.collection(COLLECTIONS.limits).where({ until: _.lt(nowMs) }).remove());
    await this.call(COLLECTIONS.links, () => this.db.collection(COLLECTIONS.links).where({ expireTime: _.lte(Math.floor(nowMs / 1000)) }).remove());
    // An opener's record only tells a second open the same day from a first; the day's document keeps the count.
    await this.call(STABLE_COLLECTIONS.stableOpeners, () => this.db.collection(STABLE_COLLECTIONS.stableOpeners).where({ date: _.lt(chinaDay(nowMs)) }).remove());
  }

  /** HMAC-SHA256 of `text` under the environment's secret, so no raw key reaches the database. */
  protected async hmac(purpose: string, text: string): Promise<string> {
    const secret = await this.loadSecret();
    return createHmac('sha256', secret).update(`${purpose}\n${text}`).digest('hex');
  }

  /** The secret, once per instance: generated once per environment; on a race, the first add wins. */
  private loadSecret(): Promise<string> {
    if (!this.secret) {
      this.secret = this.readOrCreateSecret();
      // A failure is not cached: the next call asks again.
      this.secret.catch(() => {
        this.secret = null;
      });
    }
    return this.secret;
  }

  private async readOrCreateSecret(): Promise<string> {
    const meta = () => this.db.collection(COLLECTIONS.meta);
    const read = async () => {
      const doc = docs(await this.call(COLLECTIONS.meta, () => meta().where({ _id: 'secret' }).limit(1).get()))[0] as { value?: unknown } | undefined;
      return typeof doc?.value === 'string' && doc.value ? doc.value : null;
    };
    const existing = await read();
    if (existing) return existing;
    const value = randomBytes(32).toString('hex');
    try {
      await this.call(COLLECTIONS.meta, () => meta().add({ data: { _id: 'secret', value } }));
      return value;
    } catch (error) {
      const winner = await read();
      if (winner) return winner;
      throw error;
    }
  }

  /**
   * Runs one database call with the time limit; on -502005 creates the collection (tolerating
   * "already exists") and retries once — not createCollection on every cold start.
   */
  protected async call(collection: string, fn: () => unknown): Promise<unknown> {
    try {
      return await this.timed(fn);
    } catch (error) {
      if (errCodeOf(error) !== COLLECTION_MISSING) throw error;
      await this.timed(() => this.db.createCollection(collection)).catch(() => undefined);
      return this.timed(fn);
    }
  }

  private timed(fn: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const cancel = this.clock.setTimer(this.timeoutMs, () => reject(new StateError(`no answer within ${this.timeoutMs} ms`, 'TIMEOUT')));
      Promise.resolve()
        .then(fn)
        .then(
          (value) => {
            cancel();
            resolve(value);
          },
          (error) => {
            cancel();
            reject(error);
          },
        );
    });
  }
}

export function createDatabaseState(options: DatabaseStateOptions): DatabaseState {
  return new DatabaseState(options);
}

/** The errCode wx-server-sdk puts on a database error (-502005, -502003, -501001, …), or 'TIMEOUT'. */
export function errCodeOf(error: unknown): number | string | undefined {
  if (error && typeof error === 'object' && 'errCode' in error) {
    const code = (error as { errCode: unknown }).errCode;
    if (typeof code === 'number' || typeof code === 'string') return code;
  }
  return undefined;
}

function updatedCount(result: unknown): number {
  const stats = (result as { stats?: { updated?: unknown } } | undefined)?.stats;
  const updated = Number(stats?.updated);
  if (!Number.isFinite(updated)) throw new StateError('update answered without stats.updated', 'BAD_REPLY');
  return updated;
}

function docs(result: unknown): Record<string, unknown>[] {
  const data = (result as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new StateError('query answered without a data list', 'BAD_REPLY');
  return data as Record<string, unknown>[];
}
