/**
 * Stable links in the CloudBase database (platform-rules §11): what the database adapter adds for
 * them. Collections, created on first use like the others (security rule `{ "read": false, "write": false }`):
 *  - genscheme_stable_links   { _id: code, code, name, kind, path, query, envVersion, cq, disabled,
 *                               createdAt, revision, ticketLink ('' = none), ticketExpireTime,
 *                               ticketCreateTime, claimUntil (ms), linkCode (its 小程序码, or absent) }
 *  - genscheme_stable_days    { _id: 'CODE:YYYY-MM-DD' (China day), code, date, visits, opens, openers }
 *  - genscheme_stable_openers { _id: HMAC(code, date, user), date } — added once per user and day
 * A visit is one `_.inc` on the day's document; an open is one add (the opener) and one `_.inc`.
 * No OPENID or IP is stored: openers are HMAC'd under the environment's secret.
 */
import type { Db } from './database';
import { STABLE_COLLECTIONS, chinaDay, targetChanged, type LinkCodeFile, type StableLinkChanges, type StableLinkConfig, type StableLinkDay, type StableLinkRecord, type StableLinkStore, type StoredLink } from './port';


/** A get() answers at most this many documents (the server SDK's ceiling). */
const PAGE = 1000;
/** wx-server-sdk's errCode for DATABASE_REQUEST_FAILED, which a duplicate _id answers (§11 ⚠️). */
const REQUEST_FAILED = -502001;

type Doc = Record<string, unknown>;

/** The database adapter's stable-link half; DatabaseState (database.ts) supplies the round trips. */
export abstract class DatabaseStableLinks implements StableLinkStore {
  protected abstract readonly db: Db;
  /** One database call with the time limit, creating the collection on first use. */
  protected abstract call(collection: string, fn: () => unknown): Promise<unknown>;
  protected abstract hmac(purpose: string, text: string): Promise<string>;

  async createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    const data = { _id: config.code, ...config, revision: 0, ticketLink: '', ticketExpireTime: 0, ticketCreateTime: 0, claimUntil: 0 };
    try {
      await this.call(STABLE_COLLECTIONS.stableLinks, () => this.links().add({ data }));
      return 'created';
    } catch (error) {
      // §11: the code for a duplicate _id is not documented; a read tells "taken" from an outage.
      if (await this.getStableLink(config.code)) return 'taken';
      throw error;
    }
  }

  async getStableLink(code: string): Promise<StableLinkRecord | null> {
    const found = await this.call(STABLE_COLLECTIONS.stableLinks, () => this.links().where({ _id: code }).limit(1).get());
    const doc = docsOf(found)[0];
    return doc ? toRecord(doc) : null;
  }

  async listStableLinks(): Promise<StableLinkRecord[]> {
    return (await this.everything(STABLE_COLLECTIONS.stableLinks)).map(toRecord);
  }

  async updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    const current = await this.getStableLink(code);
    if (!current) return null;
    const data: Doc = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    // A linkCode is written with all its fields, so merging it into the stored one replaces it.
    if (targetChanged(current, changes)) Object.assign(data, { revision: this.db.command.inc(1), ticketLink: '', ticketExpireTime: 0, ticketCreateTime: 0, claimUntil: 0 });
    if (Object.keys(data).length) await this.call(STABLE_COLLECTIONS.stableLinks, () => this.links().where({ _id: code }).update({ data }));
    return this.getStableLink(code);
  }

  async claimRenewal(code: string, nowMs: number, holdMs: number): Promise<boolean> {
    const _ = this.db.command;
    const result = await this.call(STABLE_COLLECTIONS.stableLinks, () => this.links().where({ _id: code, claimUntil: _.lt(nowMs) }).update({ data: { claimUntil: nowMs + holdMs } }));
    return updatedOf(result) > 0;
  }

  async saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    const data = { ticketLink: ticket.link, ticketExpireTime: ticket.expireTime, ticketCreateTime: ticket.createTime, claimUntil: 0 };
    const result = await this.call(STABLE_COLLECTIONS.stableLinks, () => this.links().where({ _id: code, revision }).update({ data }));
    return updatedOf(result) > 0;
  }

  async countVisit(code: string, nowMs: number): Promise<void> {
    await this.incrementDay(code, chinaDay(nowMs), { visits: 1 });
  }

  async countOpen(code: string, visitor: string | undefined, nowMs: number): Promise<boolean> {
    const date = chinaDay(nowMs);
    let newOpener = false;
    if (visitor !== undefined) {
      const id = await this.hmac('opener', JSON.stringify([code, date, visitor]));
      try {
        await this.call(STABLE_COLLECTIONS.stableOpeners, () => this.db.collection(STABLE_COLLECTIONS.stableOpeners).add({ data: { _id: id, date } }));
        newOpener = true;
      } catch (error) {
        // Already among the day's openers (a duplicate _id); anything else is an outage.
        if ((error as { errCode?: unknown }).errCode !== REQUEST_FAILED) throw error;
      }
    }
    await this.incrementDay(code, date, { opens: 1, openers: newOpener ? 1 : 0 });
    return true;
  }

  async stableLinkDays(code: string, dates: readonly string[]): Promise<StableLinkDay[]> {
    if (!dates.length) return [];
    const _ = this.db.command;
    const sorted = [...dates].sort();
    const found = await this.call(STABLE_COLLECTIONS.stableDays, () =>
      this.db.collection(STABLE_COLLECTIONS.stableDays).where({ code, date: _.and(_.gte(sorted[0]), _.lte(sorted[sorted.length - 1])) }).limit(PAGE).get(),
    );
    const byDate = new Map(docsOf(found).map((d) => [String(d.date), d]));
    return dates.map((date) => {
      const d = byDate.get(date);
      return { date, visits: num(d?.visits), opens: num(d?.opens), openers: num(d?.openers) };
    });
  }

  async stableLinkTotals(): Promise<Map<string, { visits: number; opens: number }>> {
    const totals = new Map<string, { visits: number; opens: number }>();
    for (const d of await this.everything(STABLE_COLLECTIONS.stableDays)) {
      const code = String(d.code);
      const sum = totals.get(code) ?? { visits: 0, opens: 0 };
      sum.visits += num(d.visits);
      sum.opens += num(d.opens);
      totals.set(code, sum);
    }
    return totals;
  }

  private links() {
    return this.db.collection(STABLE_COLLECTIONS.stableLinks);
  }

  /** `_.inc` on the day's document, created on first count (another instance may create it first). */
  private async incrementDay(code: string, date: string, by: Partial<Record<'visits' | 'opens' | 'openers', number>>): Promise<void> {
    const _ = this.db.command;
    const id = `${code}:${date}`;
    const days = () => this.db.collection(STABLE_COLLECTIONS.stableDays);
    const data = Object.fromEntries(Object.entries(by).filter(([, n]) => n).map(([k, n]) => [k, _.inc(n)]));
    const inc = () => days().where({ _id: id }).update({ data });
    if (updatedOf(await this.call(STABLE_COLLECTIONS.stableDays, inc)) > 0) return;
    const first = { visits: by.visits ?? 0, opens: by.opens ?? 0, openers: by.openers ?? 0 };
    try {
      await this.call(STABLE_COLLECTIONS.stableDays, () => days().add({ data: { _id: id, code, date, ...first } }));
    } catch (error) {
      if (updatedOf(await this.call(STABLE_COLLECTIONS.stableDays, inc)) > 0) return;
      throw error;
    }
  }

  /** Every document of a collection, a page at a time, in _id order (keyset paging). */
  private async everything(collection: string): Promise<Doc[]> {
    const _ = this.db.command;
    const all: Doc[] = [];
    let after = '';
    for (;;) {
      const page = docsOf(await this.call(collection, () => this.db.collection(collection).where({ _id: _.gt(after) }).orderBy('_id', 'asc').limit(PAGE).get()));
      all.push(...page);
      if (page.length < PAGE) return all;
      after = String(page[page.length - 1]._id);
    }
  }
}

function num(value: unknown): number {
  return Number(value) || 0;
}

function toRecord(d: Doc): StableLinkRecord {
  const ticketLink = typeof d.ticketLink === 'string' ? d.ticketLink : '';
  return {
    code: String(d._id),
    name: String(d.name ?? ''),
    kind: d.kind === 'urllink' ? 'urllink' : 'scheme',
    path: String(d.path ?? ''),
    query: String(d.query ?? ''),
    envVersion: String(d.envVersion ?? 'release'),
    cq: String(d.cq ?? ''),
    disabled: d.disabled === true,
    createdAt: String(d.createdAt ?? ''),
    revision: num(d.revision),
    ticket: ticketLink ? { link: ticketLink, expireTime: num(d.ticketExpireTime), createTime: num(d.ticketCreateTime) } : null,
    linkCode: toLinkCode(d.linkCode),
  };
}

function toLinkCode(value: unknown): LinkCodeFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Doc;
  if (typeof c.fileID !== 'string' || !c.fileID) return null;
  return {
    fileID: c.fileID, scene: String(c.scene ?? ''), page: String(c.page ?? ''), envVersion: String(c.envVersion ?? ''),
    width: num(c.width), lineColor: String(c.lineColor ?? ''), isHyaline: c.isHyaline === true, createdAt: String(c.createdAt ?? ''),
  };
}

function updatedOf(result: unknown): number {
  const updated = Number((result as { stats?: { updated?: unknown } } | undefined)?.stats?.updated);
  if (!Number.isFinite(updated)) throw new Error('update answered without stats.updated');
  return updated;
}

function docsOf(result: unknown): Doc[] {
  const data = (result as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new Error('query answered without a data list');
  return data as Doc[];
}

/** What DatabaseState lends the stable-link half: its database, its time-limited call, its keys. */
export interface DatabaseHost {
  db: Db;
  call(collection: string, fn: () => unknown): Promise<unknown>;
  hmac(purpose: string, text: string): Promise<string>;
}

/** The stable-link half, made on first use with what the database adapter lends it. */
export class HostedDatabaseStableLinks extends DatabaseStableLinks {
  constructor(private readonly host: DatabaseHost) {
    super();
  }

  protected get db(): Db {
    return this.host.db;
  }

  protected call(collection: string, fn: () => unknown): Promise<unknown> {
    return this.host.call(collection, fn);
  }

  protected hmac(purpose: string, text: string): Promise<string> {
    return this.host.hmac(purpose, text);
  }
}
