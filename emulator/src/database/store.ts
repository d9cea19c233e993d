/**
 * The emulated database: collections of documents keyed by `_id`, in insertion order.
 * Collections exist only once created (as on CloudBase, where writing to a missing collection
 * fails). Every method is synchronous; with `files`, each change is written to disk before
 * the method returns.
 */
import { randomBytes } from 'crypto';
import type { Doc } from './codec';
import { collectionNotExist } from './errors';
import type { CollectionFiles } from './persistence';

/** Remembers a document's state before a transaction first wrote it, so abort can restore it. */
export interface UndoLog {
  remember(collection: string, id: string, before: Doc | undefined): void;
}

export class DocumentStore {
  private readonly collections = new Map<string, Map<string, Doc>>();

  constructor(private readonly files?: CollectionFiles) {
    for (const [name, docs] of files?.loadAll() ?? []) this.collections.set(name, new Map(docs.map((d) => [idKey(d._id), d])));
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  has(name: string): boolean {
    return this.collections.has(name);
  }

  /** Live documents of a collection (do not modify them); throws DATABASE_COLLECTION_NOT_EXIST. */
  docs(name: string): Doc[] {
    return [...this.collection(name).values()];
  }

  get(name: string, id: unknown): Doc | undefined {
    return this.collection(name).get(idKey(id));
  }

  create(name: string, docs: Doc[] = []): void {
    this.collections.set(name, new Map(docs.map((d) => [idKey(d._id), d])));
    this.files?.save(name, docs);
  }

  drop(name: string): boolean {
    const existed = this.collections.delete(name);
    this.files?.remove(name);
    return existed;
  }

  clear(): void {
    this.collections.clear();
    this.files?.removeAll();
  }

  /** Writes documents (insert or replace) and removes ids, in one step, then persists once. */
  write(name: string, changes: { put?: Doc[]; remove?: unknown[] }, undo?: UndoLog): void {
    const docs = this.collection(name);
    for (const doc of changes.put ?? []) {
      undo?.remember(name, idKey(doc._id), docs.get(idKey(doc._id)));
      docs.set(idKey(doc._id), doc);
    }
    for (const id of changes.remove ?? []) {
      undo?.remember(name, idKey(id), docs.get(idKey(id)));
      docs.delete(idKey(id));
    }
    this.files?.save(name, [...docs.values()]);
  }

  /** Puts back a document as it was before a transaction (undefined = it did not exist). */
  restore(name: string, id: string, before: Doc | undefined): void {
    const docs = this.collections.get(name);
    if (!docs) return;
    if (before) docs.set(id, before);
    else docs.delete(id);
    this.files?.save(name, [...docs.values()]);
  }

  private collection(name: string): Map<string, Doc> {
    const docs = this.collections.get(name);
    if (!docs) throw collectionNotExist(name);
    return docs;
  }
}

/** `_id`s are usually strings; other types get a tagged key so 1 and "1" stay apart. */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? id : `\0${JSON.stringify(id)}`;
}

/** CloudBase-like ids: 32 hex characters. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}
