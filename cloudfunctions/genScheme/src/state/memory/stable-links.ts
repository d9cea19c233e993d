/**
 * Stable links in one instance's memory: the `memory` state mode (GENSCHEME_STATE=memory), for a
 * single instance and for tests. In database mode links never fall back here (port.ts).
 */
import {
  targetChanged,
  type StableLinkChanges,
  type StableLinkConfig,
  type StableLinkRecord,
  type StableLinkStore,
  type StoredLink,
  type SeenTicket,
} from '../port';

interface Entry {
  record: StableLinkRecord;
  claimUntil: number;
}

export class MemoryStableLinks implements StableLinkStore {
  private readonly stableLinks = new Map<string, Entry>();

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

  async claimRenewal(code: string, nowMs: number, holdMs: number, seen?: SeenTicket): Promise<boolean> {
    const entry = this.stableLinks.get(code);
    if (!entry || entry.claimUntil >= nowMs) return false;
    if (seen !== undefined && (entry.record.ticket?.link ?? null) !== seen) return false;
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
}

function copy(record: StableLinkRecord): StableLinkRecord {
  return { ...record, ticket: record.ticket ? { ...record.ticket } : null, linkCode: record.linkCode ? { ...record.linkCode } : null };
}
