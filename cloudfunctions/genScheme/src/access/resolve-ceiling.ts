/**
 * resolveLink's overall ceiling (GENSCHEME_RESOLVE_PER_MINUTE): what its name says — at most that
 * many resolves in each minute, every instance together, bursts allowed within it — and cheap on a
 * campaign's traffic: an instance takes the minute's allowance from the shared counter in blocks
 * (one database request per block, not per visitor) and hands them out from memory.
 *
 * A block an instance took and did not use before the minute turns is lost to that minute: the
 * ceiling errs low by at most one block per instance, never high.
 */
import type { LimitsPort, PeriodQuota } from '../state';

export const MINUTE_MS = 60_000;
/** Blocks are this share of the minute's limit (at least 1, at most MAX_BLOCK). */
const BLOCK_SHARE = 0.01;
const MAX_BLOCK = 100;

export class ResolveCeiling {
  private held = { period: -1, left: 0 };
  /** One block request at a time: visitors arriving meanwhile wait for it rather than each asking. */
  private pending: Promise<void> | null = null;

  constructor(private readonly limits: LimitsPort) {}

  /** Takes one resolve of the minute, or says how long until the next minute when it is used up. */
  async take(perMinute: number, nowMs: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
    const quota: PeriodQuota = { key: 'resolve-all', limit: perMinute, periodMs: MINUTE_MS };
    const period = Math.floor(nowMs / MINUTE_MS);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.held.period === period && this.held.left > 0) {
        this.held.left--;
        return { ok: true };
      }
      this.pending ??= this.refill(quota, period, nowMs).finally(() => (this.pending = null));
      await this.pending;
    }
    if (this.held.period === period && this.held.left > 0) {
      this.held.left--;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.max(1, (period + 1) * MINUTE_MS - nowMs) };
  }

  private async refill(quota: PeriodQuota, period: number, nowMs: number): Promise<void> {
    const block = Math.max(1, Math.min(MAX_BLOCK, Math.ceil(quota.limit * BLOCK_SHARE)));
    const granted = await this.limits.takeFromPeriod(quota, block, nowMs);
    const left = this.held.period === period ? this.held.left : 0;
    this.held = { period, left: left + granted };
  }
}
