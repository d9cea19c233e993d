/**
 * Keys the database never sees in the clear: every OPENID, IP, target or window name is stored as
 * an HMAC-SHA256 under a per-environment secret — GENSCHEME_STATE_SECRET when given, else one made
 * once per environment and kept in genscheme_meta (on a race, the first add wins).
 */
import { createHmac, randomBytes } from 'crypto';
import { docsOf, type DbClient } from './client';
import { COLLECTIONS } from './collections';

export class StateKeys {
  private secret: Promise<string> | null;

  constructor(
    private readonly client: DbClient,
    secret?: string,
  ) {
    this.secret = secret ? Promise.resolve(secret) : null;
  }

  /** HMAC-SHA256 of `text` for `purpose`, hex. */
  async hmac(purpose: string, text: string): Promise<string> {
    const secret = await this.load();
    return createHmac('sha256', secret).update(`${purpose}\n${text}`).digest('hex');
  }

  /** The secret, once per instance; a failure is not cached: the next call asks again. */
  private load(): Promise<string> {
    if (!this.secret) {
      this.secret = this.readOrCreate();
      this.secret.catch(() => {
        this.secret = null;
      });
    }
    return this.secret;
  }

  private async readOrCreate(): Promise<string> {
    const meta = () => this.client.collection(COLLECTIONS.meta);
    const read = async () => {
      const doc = docsOf(await this.client.call(COLLECTIONS.meta, () => meta().where({ _id: 'secret' }).limit(1).get()))[0] as { value?: unknown } | undefined;
      return typeof doc?.value === 'string' && doc.value ? doc.value : null;
    };
    const existing = await read();
    if (existing) return existing;
    const value = randomBytes(32).toString('hex');
    try {
      await this.client.call(COLLECTIONS.meta, () => meta().add({ data: { _id: 'secret', value } }));
      return value;
    } catch (error) {
      // Another instance added it first, or our add landed but answered late: read what is there.
      const winner = await read();
      if (winner) return winner;
      throw error;
    }
  }
}
