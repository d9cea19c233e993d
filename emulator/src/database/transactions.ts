/**
 * Transactions by undo log: writes inside a transaction apply at once; abort puts back each
 * document as it was before the transaction first wrote it. A document written by one open
 * transaction cannot be written by another (DATABASE_TRANSACTION_CONFLICT, which makes the SDK
 * re-run the callback). Writes outside any transaction are not isolated from open ones.
 */
import { randomBytes } from 'crypto';
import type { Doc } from './codec';
import { DatabaseError, DB_CODES } from './errors';
import type { DocumentStore, UndoLog } from './store';

class OpenTransaction implements UndoLog {
  /** `collection \0 idKey` → the document before this transaction's first write (undefined = absent). */
  readonly before = new Map<string, { collection: string; id: string; doc: Doc | undefined }>();

  constructor(
    readonly id: string,
    private readonly owners: Map<string, string>,
  ) {}

  remember(collection: string, id: string, doc: Doc | undefined): void {
    const key = `${collection}\0${id}`;
    if (this.before.has(key)) return;
    this.before.set(key, { collection, id, doc });
    this.owners.set(key, this.id);
  }
}

export class Transactions {
  private readonly open = new Map<string, OpenTransaction>();
  /** Which open transaction has written a document. */
  private readonly owners = new Map<string, string>();
  private counter = 0;

  constructor(private readonly store: DocumentStore) {}

  start(): string {
    const id = `tx-${++this.counter}-${randomBytes(4).toString('hex')}`;
    this.open.set(id, new OpenTransaction(id, this.owners));
    return id;
  }

  /** The undo log for a request's writes; throws if the id is unknown or already ended. */
  undoLog(transactionId: string): OpenTransaction {
    const tx = this.open.get(transactionId);
    if (!tx) throw new DatabaseError(DB_CODES.requestFailed, `transaction ${transactionId} does not exist or has ended`);
    return tx;
  }

  /** Refuses to let `transactionId` write documents another open transaction has written. */
  checkOwnership(transactionId: string, collection: string, ids: string[]): void {
    for (const id of ids) {
      const owner = this.owners.get(`${collection}\0${id}`);
      if (owner && owner !== transactionId)
        throw new DatabaseError(DB_CODES.transactionConflict, `document ${id} of ${collection} is being written by another transaction`);
    }
  }

  commit(transactionId: string): void {
    this.end(this.undoLog(transactionId));
  }

  abort(transactionId: string): void {
    const tx = this.undoLog(transactionId);
    for (const { collection, id, doc } of [...tx.before.values()].reverse()) this.store.restore(collection, id, doc);
    this.end(tx);
  }

  clear(): void {
    this.open.clear();
    this.owners.clear();
  }

  private end(tx: OpenTransaction): void {
    for (const key of tx.before.keys()) this.owners.delete(key);
    this.open.delete(tx.id);
  }
}
