/**
 * Stable links in one instance's memory: the `memory` state mode (GENSCHEME_STATE=memory), for a
 * single instance and for tests. In database mode links never fall back here (port.ts).
 */
import { chinaDay, targetChanged, type StableLinkChanges, type StableLinkConfig, type StableLinkDay, type StableLinkRecord, type StableLinkStore, type StoredLink } from './port';

interface Entry {
  record: StableLinkRecord;
  claimUntil: number;
}

export class MemoryStableLinks implements StableLinkStore {
  private readonly stableLinks = new Map<string, Entry>();
  /** `code\nday` → counts. */
  private readonly stableDays = new Map<string, StableLinkDay>();
  /** `code\nday\nvisitor`: who opened a link on a day. */
  private readonly stableOpeners = new Set<string>();

  async createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    if (this.stableLinks.has(config.code)) return 'taken';
    this.stableLinks.set(config.code, { record: { ...config, ticket: null, linkCode: null, revision: 0 }, claimUntil: 0 });
    return 'created';
  }

  async getStableLink(code: string): Promise<StableLinkRecord | null> {
    const entry = this.stableLinks.get(code);
    return entry ? copy(entry.record) : null;
  }

  async listStableLinks(): Promise<StableLinkRecord[]> {
    return [...this.stableLinks.values()].map((e) => copy(e.record)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  async updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    const entry = this.stableLinks.get(code);
    if (!entry) return null;
    const retarget = targetChanged(entry.record, changes);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    entry.record = { ...entry.record, ...defined, ...(retarget ? { ticket: null, revision: entry.record.revision + 1 } : {}) };
    return copy(entry.record);
  }

  async claimRenewal(code: string, nowMs: number, holdMs: number): Promise<boolean> {
    const entry = this.stableLinks.get(code);
    if (!entry || entry.claimUntil >= nowMs) return false;
    entry.claimUntil = nowMs + holdMs;
    return true;
  }

  async saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    const entry = this.stableLinks.get(code);
    if (!entry || entry.record.revision !== revision) return false;
    entry.record.ticket = { ...ticket };
    entry.claimUntil = 0;
    return true;
  }

  async countVisit(code: string, nowMs: number): Promise<void> {
    this.dayRow(code, chinaDay(nowMs)).visits++;
  }

  async countOpen(code: string, visitor: string | undefined, nowMs: number): Promise<boolean> {
    const date = chinaDay(nowMs);
    const row = this.dayRow(code, date);
    row.opens++;
    if (visitor !== undefined) {
      const key = `${code}\n${date}\n${visitor}`;
      if (!this.stableOpeners.has(key)) {
        this.stableOpeners.add(key);
        row.openers++;
      }
    }
    return true;
  }

  async stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]> {
    return dates.map((date) => ({ ...(this.stableDays.get(`${code}\n${date}`) ?? { date, visits: 0, opens: 0, openers: 0 }) }));
  }

  async stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>> {
    const totals = new Map<string, { visits: number; opens: number }>();
    for (const [key, row] of this.stableDays) {
      const code = key.slice(0, key.indexOf('\n'));
      const sum = totals.get(code) ?? { visits: 0, opens: 0 };
      sum.visits += row.visits;
      sum.opens += row.opens;
      totals.set(code, sum);
    }
    return totals;
  }

  private dayRow(code: string, date: string): StableLinkDay {
    const key = `${code}\n${date}`;
    let row = this.stableDays.get(key);
    if (!row) {
      row = { date, visits: 0, opens: 0, openers: 0 };
      this.stableDays.set(key, row);
    }
    return row;
  }
}

function copy(record: StableLinkRecord): StableLinkRecord {
  return { ...record, ticket: record.ticket ? { ...record.ticket } : null, linkCode: record.linkCode ? { ...record.linkCode } : null };
}
