/**
 * Stable links in the database (platform-rules §11), one document each:
 *   { _id: code, code, name, kind, path, query, envVersion, cq, disabled, createdAt,
 *     revision, version, op, ticketLink ('' = none), ticketExpireTime, ticketCreateTime, claimUntil, claimBy,
 *     linkCode (its 小程序码 in cloud storage, written whole; absent before the first linkCode) }
 * Every write is safe to repeat and says who made it (`op`, `claimBy`: a random id per write), so a
 * write whose answer did not come back — it may have landed — is read back before anything is
 * concluded: a create is never reported failed when it landed, and never leaves a second link.
 * Updates are conditional on the `version` read (a lost update cannot happen); tickets on the
 * `revision` they were made for.
 */
import { randomBytes } from 'crypto';
import {
  targetChanged,
  type LinkCodeFile,
  type StableLinkChanges,
  type StableLinkConfig,
  type StableLinkRecord,
  type StableLinkStore,
  type StoredLink,
  type SeenTicket,
} from '../port';
import { docsOf, everything, updatedCount, type DbClient } from './client';
import { COLLECTIONS } from './collections';

type Doc = Record<string, unknown>;

/**
 * A stable link's reads and writes wait this long (ms): longer than the limits' reads, since
 * without an answer there is nothing true to reply, and well inside the function's time limit.
 */
const STABLE_TIMEOUT_MS = 2_000;

/** How many times a conditional update is applied again on top of a concurrent one. */
const UPDATE_ATTEMPTS = 3;

export class DatabaseStableLinks implements StableLinkStore {
  constructor(private readonly client: DbClient) {}

  async createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'> {
    const op = newOp();
    const data = {
      _id: config.code,
      ...config,
      revision: 0,
      version: 0,
      op,
      ticketLink: '',
      ticketExpireTime: 0,
      ticketCreateTime: 0,
      claimUntil: 0,
      claimBy: '',
    };
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.client.call(COLLECTIONS.stableLinks, () => this.links().add({ data }), STABLE_TIMEOUT_MS);
        return 'created';
      } catch (error) {
        lastError = error;
        // A duplicate _id, a failure, or no answer (it may have landed): what is stored tells which.
        const stored = await this.readDoc(config.code);
        if (stored) return stored.op === op ? 'created' : 'taken';
        // Not there: add again (the same _id: if the first lands after all, one of the two is refused).
      }
    }
    throw lastError;
  }

  async getStableLink(code: string): Promise<StableLinkRecord | null> {
    const doc = await this.readDoc(code);
    return doc ? toRecord(doc) : null;
  }

  async listStableLinks(): Promise<StableLinkRecord[]> {
    return (await everything(this.client, COLLECTIONS.stableLinks, {}, STABLE_TIMEOUT_MS)).map(toRecord);
  }

  async updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null> {
    const _ = this.client.command;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const doc = await this.readDoc(code);
      if (!doc) return null;
      const current = toRecord(doc);
      const version = num(doc.version);
      const op = newOp();
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as StableLinkChanges;
      const retarget = targetChanged(current, changes);
      const data: Doc = { ...defined, version: version + 1, op };
      if (retarget) Object.assign(data, { revision: current.revision + 1, ticketLink: '', ticketExpireTime: 0, ticketCreateTime: 0, claimUntil: 0 });
      const after: StableLinkRecord = { ...current, ...defined, ...(retarget ? { revision: current.revision + 1, ticket: null } : {}) };
      // Documents from before versions had none: "no version" is version 0.
      const unchanged = doc.version === undefined ? { version: _.exists(false) } : { version };
      try {
        const result = await this.client.call(
          COLLECTIONS.stableLinks,
          () =>
            this.links()
              .where({ _id: code, ...unchanged })
              .update({ data }),
          STABLE_TIMEOUT_MS,
        );
        if (updatedCount(result) > 0) return after;
      } catch (error) {
        const stored = await this.readDoc(code);
        if (stored?.op === op) return after;
        if (stored && num(stored.version) === version) throw error; // not applied, and the database failed
      }
      // Another update came first: apply the changes again on top of it.
    }
    throw new Error(`updateLink: ${code} kept changing under ${UPDATE_ATTEMPTS} attempts`);
  }

  async claimRenewal(code: string, nowMs: number, holdMs: number, seen?: SeenTicket): Promise<boolean> {
    const _ = this.client.command;
    const claimBy = newOp();
    try {
      const result = await this.client.call(
        COLLECTIONS.stableLinks,
        () =>
          this.links()
            .where({ _id: code, claimUntil: _.lt(nowMs), ...(seen === undefined ? {} : { ticketLink: seen ?? '' }) })
            .update({ data: { claimUntil: nowMs + holdMs, claimBy } }),
        STABLE_TIMEOUT_MS,
      );
      return updatedCount(result) > 0;
    } catch (error) {
      const stored = await this.readDoc(code);
      if (stored?.claimBy === claimBy) return true;
      // Another instance holds the claim: ours did not take (a conditional update cannot take a held claim).
      if (stored && num(stored.claimUntil) >= nowMs) return false;
      throw error;
    }
  }

  async saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean> {
    const data = { ticketLink: ticket.link, ticketExpireTime: ticket.expireTime, ticketCreateTime: ticket.createTime, claimUntil: 0 };
    try {
      const result = await this.client.call(COLLECTIONS.stableLinks, () => this.links().where({ _id: code, revision }).update({ data }), STABLE_TIMEOUT_MS);
      if (updatedCount(result) > 0) return true;
    } catch {
      // Read back below: it may have landed.
    }
    // Nothing changed: saved already (a repeat changes no field), or the link moved on.
    const stored = await this.readDoc(code);
    if (!stored) return false;
    if (num(stored.revision) !== revision) return false;
    if (stored.ticketLink === ticket.link) return true;
    throw new Error(`saveTicket: ${code} not saved yet`);
  }

  private async readDoc(code: string): Promise<Doc | null> {
    const found = await this.client.call(COLLECTIONS.stableLinks, () => this.links().where({ _id: code }).limit(1).get(), STABLE_TIMEOUT_MS);
    return docsOf(found)[0] ?? null;
  }

  private links() {
    return this.client.collection(COLLECTIONS.stableLinks);
  }
}

function newOp(): string {
  return randomBytes(8).toString('hex');
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

/** The stored 小程序码 (written whole by linkCode), or null. */
function toLinkCode(value: unknown): LinkCodeFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Doc;
  if (typeof c.fileID !== 'string' || !c.fileID) return null;
  return {
    fileID: c.fileID,
    scene: String(c.scene ?? ''),
    page: String(c.page ?? ''),
    envVersion: String(c.envVersion ?? ''),
    width: num(c.width),
    lineColor: String(c.lineColor ?? ''),
    isHyaline: c.isHyaline === true,
    createdAt: String(c.createdAt ?? ''),
  };
}
