/**
 * The adapters' stable-link half, made on first use: its code belongs to the stable-link
 * capability (stable-capability.ts), which a cold start loads only when a stable link is asked for.
 */
import type { StableLinkChanges, StableLinkConfig, StableLinkDay, StableLinkRecord, StableLinkStore, StoredLink } from './port';

export abstract class LazyStableLinks implements StableLinkStore {
  private store?: StableLinkStore;

  /** Builds the store (from the capability, loaded by then). */
  protected abstract makeStableLinks(): StableLinkStore;

  private stable(): StableLinkStore {
    return (this.store ??= this.makeStableLinks());
  }

  createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    return this.stable().createStableLink(config);
  }

  getStableLink(code: string): Promise<StableLinkRecord | null> {
    return this.stable().getStableLink(code);
  }

  listStableLinks(): Promise<StableLinkRecord[]> {
    return this.stable().listStableLinks();
  }

  updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    return this.stable().updateStableLink(code, changes);
  }

  claimRenewal(code: string, nowMs: number, holdMs: number): Promise<boolean> {
    return this.stable().claimRenewal(code, nowMs, holdMs);
  }

  saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    return this.stable().saveTicket(code, revision, ticket);
  }

  countVisit(code: string, nowMs: number): Promise<void> {
    return this.stable().countVisit(code, nowMs);
  }

  countOpen(code: string, visitor: string | undefined, nowMs: number): Promise<boolean> {
    return this.stable().countOpen(code, visitor, nowMs);
  }

  stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]> {
    return this.stable().stableLinkDays(code, dates);
  }

  stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>> {
    return this.stable().stableLinkTotals();
  }
}
