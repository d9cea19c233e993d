/**
 * What one instance keeps about links from call to call, in memory: work under way (identical
 * requests at the same moment share it), the links it found or made lately, the stable links it
 * read lately, and today's generation count, read at most once a second. The handler makes one per
 * instance; actions reach it as `ctx.links`.
 */
import type { CountersPort } from '../state';
import { RecentLinks } from './reuse';
import { StableLinkCache } from './stable';

export class InstanceLinks {
  /** Work under way in this instance, by key (`issue:…`, `stable:…`). */
  readonly inflight = new Map<string, Promise<unknown>>();
  /** Links this instance found or made lately (reuse without a database read). */
  readonly recent = new RecentLinks();
  /** Stable links this instance read in the last 5 s. */
  readonly stable = new StableLinkCache();
  private today: { at: number; count: Promise<number> } | undefined;

  constructor(private readonly counters: Pick<CountersPort, 'generatedToday'>) {}

  /**
   * Today's generations (the daily cap is checked against it). A burst must not send one counter
   * read per request: one a second per instance is enough for a cap that only refuses early
   * (WeChat's own 44993 stays the hard limit, platform-rules §5).
   */
  generatedToday(nowMs: number): Promise<number> {
    if (!this.today || nowMs - this.today.at >= 1000) this.today = { at: nowMs, count: this.counters.generatedToday(nowMs) };
    return this.today.count;
  }
}
