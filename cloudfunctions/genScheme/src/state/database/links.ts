/**
 * Links issued earlier, kept for reuse (README "Shared state"): one document per link under a
 * deterministic _id, so saving the same link twice — or once more after a late answer — keeps one.
 */
import { targetText, type LinkStorePort, type StoredLink, type Target } from '../port';
import { docsOf, type DbClient } from './client';
import { COLLECTIONS } from './collections';
import type { StateKeys } from './keys';

export class DatabaseLinks implements LinkStorePort {
  constructor(
    private readonly client: DbClient,
    private readonly keys: StateKeys,
  ) {}

  async findLink(target: Target, minExpire: number, maxExpire: number, nowMs: number): Promise<StoredLink | null> {
    // Live = expires after now; never outside [minExpire, maxExpire].
    const from = Math.max(minExpire, Math.floor(nowMs / 1000) + 1);
    if (from > maxExpire) return null;
    const key = await this.keys.hmac('target', targetText(target));
    const _ = this.client.command;
    const found = await this.client.call(COLLECTIONS.links, () =>
      this.client
        .collection(COLLECTIONS.links)
        .where({ target: key, expireTime: _.and(_.gte(from), _.lte(maxExpire)) })
        .orderBy('expireTime', 'desc')
        .limit(1)
        .get(),
    );
    const doc = docsOf(found)[0] as Partial<StoredLink> | undefined;
    if (!doc || typeof doc.link !== 'string') return null;
    const expireTime = Number(doc.expireTime);
    // The database answered the query; still never hand out a link outside the bounds.
    if (!(expireTime >= from && expireTime <= maxExpire)) return null;
    return { link: doc.link, expireTime, createTime: Number(doc.createTime) };
  }

  async saveLink(target: Target, link: StoredLink): Promise<void> {
    const text = targetText(target);
    const [key, id] = await Promise.all([this.keys.hmac('target', text), this.keys.hmac('link', JSON.stringify([text, link.link]))]);
    await this.client.call(COLLECTIONS.links, () =>
      this.client
        .collection(COLLECTIONS.links)
        .doc(id)
        .set({ data: { target: key, link: link.link, expireTime: link.expireTime, createTime: link.createTime } }),
    );
  }

  async sweep(nowMs: number): Promise<void> {
    await this.client.call(COLLECTIONS.links, () =>
      this.client
        .collection(COLLECTIONS.links)
        .where({ expireTime: this.client.command.lte(Math.floor(nowMs / 1000)) })
        .remove(),
    );
  }
}
