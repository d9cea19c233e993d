/**
 * Sliding windows in the database, shared by every instance. One document per window holds its
 * last `limit` admission times, ascending, and is created full (`limit` zeros), so "k slots are
 * free" is one condition — the k-th oldest time has left the window — and one conditional update
 * takes k slots at once (platform-rules §11: a single-document update is atomic). Any window of
 * `windowMs` then holds at most `limit` admissions, whatever the number of instances.
 */
import {
  HEARTBEAT_TTL_MS,
  windowText,
  windowUse,
  type Admission,
  type Lease,
  type LimitsPort,
  type PeriodQuota,
  type SlidingWindow,
  type WindowUse,
} from '../port';
import { docsOf, totalOf, updatedCount, type DbClient } from './client';
import { COLLECTIONS } from './collections';
import type { StateKeys } from './keys';

/**
 * A window's times live in one document rewritten on every admission: at 1000 numbers that is
 * ~10 KB per update, well inside a document's size limit. Bigger limits belong to a counter.
 */
export const MAX_DATABASE_LIMIT = 1000;

/** Time limit of a call nobody waits for (ms). */
const BACKGROUND_TIMEOUT_MS = 5_000;

type WindowDoc = { _id: string; times?: unknown[] };

/** Windows this instance made or used lately, kept to pick the cheaper first request (bounded). */
const KNOWN_WINDOWS = 10_000;

export class DatabaseLimits implements LimitsPort {
  readonly shared = true;
  /**
   * Window ids this instance has seen exist. A window not seen here is most likely new (a campaign's
   * visitors are mostly first-timers), so it is created first: one request instead of three.
   */
  private readonly known = new Set<string>();

  constructor(
    private readonly client: DbClient,
    private readonly keys: StateKeys,
  ) {}

  async admit(window: SlidingWindow, nowMs: number): Promise<Admission> {
    const lease = await this.lease(window, 1, nowMs);
    return lease.granted ? { ok: true } : { ok: false, retryAfterMs: lease.retryAfterMs };
  }

  async lease(window: SlidingWindow, count: number, nowMs: number): Promise<Lease> {
    const { limit, windowMs } = window;
    if (limit > MAX_DATABASE_LIMIT || !Number.isInteger(limit))
      throw new RangeError(`[genScheme] state: limit ${limit} is not an integer ≤ ${MAX_DATABASE_LIMIT} (a database window keeps its times in one document)`);
    if (limit <= 0 || count <= 0) return { granted: 0, retryAfterMs: Math.max(1, windowMs) };
    const id = await this.keys.hmac('window', windowText(window));
    const limits = () => this.client.collection(COLLECTIONS.limits);
    let want = Math.min(count, limit);
    if (!this.known.has(id)) {
      this.remember(id);
      const times = fullWindow(limit, Array<number>(want).fill(nowMs));
      // A failed add means it exists (or the database failed: the update below says which).
      const created = await this.client
        .call(COLLECTIONS.limits, () => limits().add({ data: { _id: id, times, until: nowMs + windowMs } }))
        .then(
          () => true,
          () => false,
        );
      if (created) return { granted: want, retryAfterMs: 0 };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      if (updatedCount(await this.client.call(COLLECTIONS.limits, () => this.take(id, window, want, nowMs))) > 0) return { granted: want, retryAfterMs: 0 };
      const doc = docsOf(await this.client.call(COLLECTIONS.limits, () => limits().where({ _id: id }).limit(1).get()))[0] as WindowDoc | undefined;
      if (!doc) {
        // First use: create it full, with this lease's times in it; a failed add means another instance made it.
        const times = fullWindow(limit, Array<number>(want).fill(nowMs));
        const created = await this.client
          .call(COLLECTIONS.limits, () => limits().add({ data: { _id: id, times, until: nowMs + windowMs } }))
          .then(
            () => true,
            () => false,
          );
        if (created) return { granted: want, retryAfterMs: 0 };
        continue;
      }
      const times = (Array.isArray(doc.times) ? doc.times.map(Number) : []).slice(-limit);
      const free = limit - times.length + times.filter((t) => t <= nowMs - windowMs).length;
      if (free <= 0) return { granted: 0, retryAfterMs: Math.max(1, times[times.length - limit] + windowMs - nowMs) };
      // Fewer free than asked, or a slot freed between the update and the read: ask for what is there.
      want = Math.min(want, free);
    }
    return { granted: 0, retryAfterMs: 1 };
  }

  /** One read of the window's document; nothing is taken. */
  async peek(window: SlidingWindow, nowMs: number): Promise<WindowUse> {
    const id = await this.keys.hmac('window', windowText(window));
    const found = await this.client.call(COLLECTIONS.limits, () => this.client.collection(COLLECTIONS.limits).where({ _id: id }).limit(1).get());
    const doc = docsOf(found)[0] as WindowDoc | undefined;
    if (doc) this.remember(id);
    const times = (Array.isArray(doc?.times) ? doc.times.map(Number) : []).filter((t) => t > nowMs - window.windowMs).sort((a, b) => a - b);
    return windowUse(times, window, nowMs);
  }

  /** One unconditional push (kept sorted, the last `limit` kept); a missing window is created full. */
  async record(window: SlidingWindow, times: readonly number[]): Promise<void> {
    if (!times.length || window.limit <= 0) return;
    const { limit, windowMs } = window;
    const id = await this.keys.hmac('window', windowText(window));
    const _ = this.client.command;
    const limits = () => this.client.collection(COLLECTIONS.limits);
    const until = Math.max(...times) + windowMs;
    const pushed = await this.client.call(
      COLLECTIONS.limits,
      () =>
        limits()
          .where({ _id: id })
          .update({ data: { times: _.push({ each: [...times], sort: 1, slice: -limit }), until } }),
      BACKGROUND_TIMEOUT_MS,
    );
    if (updatedCount(pushed) > 0) return;
    const full = fullWindow(
      limit,
      [...times].sort((a, b) => a - b),
    );
    await this.client.call(COLLECTIONS.limits, () => limits().add({ data: { _id: id, times: full, until } }), BACKGROUND_TIMEOUT_MS).catch(() => undefined);
  }

  /**
   * A period's counter is one document per key and period, `{ n, until }`: one conditional
   * `_.inc` takes `count` while `n + count ≤ limit`; when fewer are left, what is left is taken.
   */
  async takeFromPeriod(quota: PeriodQuota, count: number, nowMs: number): Promise<number> {
    if (quota.limit <= 0 || count <= 0) return 0;
    const period = Math.floor(nowMs / quota.periodMs);
    const id = await this.keys.hmac('period', JSON.stringify([quota.key, quota.limit, quota.periodMs, period]));
    const _ = this.client.command;
    const limits = () => this.client.collection(COLLECTIONS.limits);
    const until = (period + 1) * quota.periodMs;
    let want = Math.min(count, quota.limit);
    for (let attempt = 0; attempt < 3 && want > 0; attempt++) {
      const taken = updatedCount(
        await this.client.call(COLLECTIONS.limits, () =>
          limits()
            .where({ _id: id, n: _.lte(quota.limit - want) })
            .update({ data: { n: _.inc(want) } }),
        ),
      );
      if (taken > 0) return want;
      const doc = docsOf(await this.client.call(COLLECTIONS.limits, () => limits().where({ _id: id }).limit(1).get()))[0] as { n?: unknown } | undefined;
      if (!doc) {
        const created = await this.client
          .call(COLLECTIONS.limits, () => limits().add({ data: { _id: id, n: want, until } }))
          .then(
            () => true,
            () => false,
          );
        if (created) return want;
        continue;
      }
      want = Math.min(want, quota.limit - (Number(doc.n) || 0));
    }
    return 0;
  }

  private remember(id: string): void {
    if (this.known.size >= KNOWN_WINDOWS) this.known.clear();
    this.known.add(id);
  }

  /** The conditional update that takes `k` slots at `nowMs`. */
  private take(id: string, { limit, windowMs }: SlidingWindow, k: number, nowMs: number): unknown {
    const _ = this.client.command;
    const cutoff = nowMs - windowMs;
    return (
      this.client
        .collection(COLLECTIONS.limits)
        .where(_.and({ _id: id }, _.or({ [`times.${limit - k}`]: _.exists(false) }, { [`times.${k - 1}`]: _.lte(cutoff) })))
        // sort keeps the array ascending even when instances' clocks or requests cross.
        .update({ data: { times: _.push({ each: Array<number>(k).fill(nowMs), sort: 1, slice: -limit }), until: nowMs + windowMs } })
    );
  }

  /** Never on a request's path (pacing does not wait for it), so a slow database may take its time. */
  async heartbeat(instanceId: string, nowMs: number): Promise<number> {
    const until = nowMs + HEARTBEAT_TTL_MS;
    await this.client.call(
      COLLECTIONS.limits,
      () =>
        this.client
          .collection(COLLECTIONS.limits)
          .doc(`instance:${instanceId}`)
          .set({ data: { kind: 'instance', until } }),
      BACKGROUND_TIMEOUT_MS,
    );
    const found = await this.client.call(
      COLLECTIONS.limits,
      () =>
        this.client
          .collection(COLLECTIONS.limits)
          .where({ kind: 'instance', until: this.client.command.gt(nowMs) })
          .count(),
      BACKGROUND_TIMEOUT_MS,
    );
    return Math.max(1, totalOf(found));
  }

  async sweep(nowMs: number): Promise<void> {
    await this.client.call(COLLECTIONS.limits, () =>
      this.client
        .collection(COLLECTIONS.limits)
        .where({ until: this.client.command.lt(nowMs) })
        .remove(),
    );
  }
}

/** A window's times as first stored: `limit` entries, zeros (long out of the window) before `times` (ascending). */
function fullWindow(limit: number, times: readonly number[]): number[] {
  return [...Array<number>(Math.max(0, limit - times.length)).fill(0), ...times].slice(-limit);
}
