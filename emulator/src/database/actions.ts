/**
 * One function per `database.*` action: decode the request (EJSON strings), evaluate with
 * mingo, change the store, and return the reply's fields (cloudbase-database-wire.md "Actions").
 * Each runs synchronously from decoding to writing, so a request is applied atomically.
 */
import { decodeEjson, encodeEjson, type Doc } from './codec';
import type { DatabaseAction } from './action-names';
import { aggregate, applyUpdate, find, matcher } from './engine';
import { DatabaseError, DB_CODES, invalidParam } from './errors';
import { idKey, newId, type DocumentStore, type UndoLog } from './store';
import type { Transactions } from './transactions';

export type DatabaseRequest = Record<string, unknown>;
export type DatabaseReply = Record<string, unknown>;

export interface ActionContext {
  store: DocumentStore;
  transactions: Transactions;
  /** Emulator clock, for db.serverDate(). */
  nowMs: number;
  /** envName, for MongoDB-like error messages. */
  env: string;
}

type ActionHandler = (request: DatabaseRequest, ctx: ActionContext) => DatabaseReply;

/** The SDK asks for at most 1000 documents and 100 when no limit is set. */
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

export const ACTION_HANDLERS: Record<DatabaseAction, ActionHandler> = {
  'database.addCollection': (request, { store }) => {
    const name = collectionName(request);
    if (store.has(name)) throw new DatabaseError(DB_CODES.collectionAlreadyExist, `Table exist: collection ${name} already exists`);
    store.create(name);
    return {};
  },

  'database.insertDocument': (request, ctx) => {
    const name = collectionName(request);
    if (!Array.isArray(request.data) || request.data.length === 0) throw invalidParam('data must be a non-empty array of EJSON documents');
    const docs = request.data.map((text, i) => withId(asDoc(decodeEjson(text, ctx.nowMs, `data[${i}]`), `data[${i}]`)));
    const seen = new Set<string>();
    for (const doc of docs) {
      const key = idKey(doc._id);
      if (seen.has(key) || ctx.store.get(name, doc._id)) throw duplicateKey(ctx.env, name, doc._id);
      seen.add(key);
    }
    writeDocs(ctx, request, name, { put: docs });
    return { data: { insertedIds: docs.map((d) => d._id) } };
  },

  'database.getDocument': (request, ctx) => {
    const name = collectionName(request);
    const isDoc = request.queryType === 'DOC';
    const list = find(ctx.store.docs(name), queryOf(request, ctx), {
      order: isDoc ? undefined : orderOf(request, ctx),
      offset: isDoc ? undefined : nonNegative(request.offset, 'offset'),
      limit: isDoc ? 1 : Math.min(nonNegative(request.limit, 'limit') ?? DEFAULT_LIMIT, MAX_LIMIT),
      projection: request.projection === undefined ? undefined : asDoc(decodeEjson(request.projection, ctx.nowMs, 'projection'), 'projection'),
    });
    return { data: { list: list.map(encodeEjson) } };
  },

  'database.calculateDocument': (request, ctx) => {
    const matches = matcher(queryOf(request, ctx));
    return { data: { total: ctx.store.docs(collectionName(request)).filter(matches).length } };
  },

  'database.modifyDocument': (request, ctx) => {
    const name = collectionName(request);
    const data = asDoc(decodeEjson(request.data, ctx.nowMs, 'data'), 'data');
    const query = queryOf(request, ctx);
    const matches = ctx.store.docs(name).filter(matcher(query));
    const targets = request.multi === true ? matches : matches.slice(0, 1);
    const replace = request.merge === false; // doc.set(): the whole document
    const changed: Doc[] = [];
    for (const doc of targets) {
      const next = replace ? replaced(doc, data) : applyUpdate(doc, operatorsOf(data));
      if (next) changed.push(next);
    }
    if (targets.length === 0 && request.upsert === true) {
      const seed: Doc = { _id: query._id ?? newId() };
      const created = replace ? { ...seed, ...data } : (applyUpdate(seed, operatorsOf(data)) ?? seed);
      writeDocs(ctx, request, name, { put: [created] });
      return { data: { updated: 0, upsert_id: created._id } };
    }
    if (changed.length) writeDocs(ctx, request, name, { put: changed });
    return { data: { updated: changed.length } };
  },

  'database.removeDocument': (request, ctx) => {
    const name = collectionName(request);
    const matches = ctx.store.docs(name).filter(matcher(queryOf(request, ctx)));
    const targets = request.multi === true ? matches : matches.slice(0, 1);
    if (targets.length) writeDocs(ctx, request, name, { remove: targets.map((d) => d._id) });
    return { data: { deleted: targets.length } };
  },

  'database.aggregateDocuments': (request, ctx) => {
    const name = collectionName(request);
    if (!Array.isArray(request.stages)) throw invalidParam('stages must be an array');
    const pipeline = request.stages.map((stage: { stageKey?: unknown; stageValue?: unknown }, i) => {
      if (typeof stage?.stageKey !== 'string' || !stage.stageKey.startsWith('$')) throw invalidParam(`stages[${i}].stageKey must name a stage such as $match`);
      return { [stage.stageKey]: decodeEjson(stage.stageValue, ctx.nowMs, `stages[${i}].stageValue`) };
    });
    const list = aggregate(ctx.store.docs(name), pipeline, (other) => (ctx.store.has(other) ? ctx.store.docs(other) : []));
    return { data: { list: list.map(encodeEjson) } };
  },

  'database.startTransaction': (_request, { transactions }) => ({ transactionId: transactions.start() }),

  'database.commitTransaction': (request, { transactions }) => {
    transactions.commit(transactionIdOf(request));
    return {};
  },

  'database.abortTransaction': (request, { transactions }) => {
    transactions.abort(transactionIdOf(request));
    return {};
  },
};

/** Writes through the request's transaction, if any: ownership checked first, then an undo log. */
function writeDocs(ctx: ActionContext, request: DatabaseRequest, name: string, changes: { put?: Doc[]; remove?: unknown[] }): void {
  let undo: UndoLog | undefined;
  if (request.transactionId !== undefined) {
    const transactionId = transactionIdOf(request);
    undo = ctx.transactions.undoLog(transactionId);
    ctx.transactions.checkOwnership(transactionId, name, [...(changes.put ?? []).map((d) => d._id), ...(changes.remove ?? [])].map(idKey));
  }
  ctx.store.write(name, changes, undo);
}

function collectionName(request: DatabaseRequest): string {
  const name = request.collectionName;
  if (typeof name !== 'string' || !name) throw invalidParam('collectionName is required');
  return name;
}

function transactionIdOf(request: DatabaseRequest): string {
  if (typeof request.transactionId !== 'string' || !request.transactionId) throw invalidParam('transactionId is required');
  return request.transactionId;
}

/** No `query` (a bare collection().get()) selects everything. */
function queryOf(request: DatabaseRequest, ctx: ActionContext): Doc {
  return request.query === undefined || request.query === '' ? {} : asDoc(decodeEjson(request.query, ctx.nowMs, 'query'), 'query');
}

function orderOf(request: DatabaseRequest, ctx: ActionContext): Record<string, 1 | -1> | undefined {
  if (request.order === undefined) return undefined;
  const order = asDoc(decodeEjson(request.order, ctx.nowMs, 'order'), 'order');
  for (const [field, direction] of Object.entries(order)) if (direction !== 1 && direction !== -1) throw invalidParam(`order of ${field} must be 1 or -1`);
  return order as Record<string, 1 | -1>;
}

function nonNegative(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0) throw invalidParam(`${field} must be an integer ≥ 0`);
  return value as number;
}

function asDoc(value: unknown, field: string): Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`${field} must be an object`);
  return value as Doc;
}

function withId(doc: Doc): Doc {
  return doc._id === undefined ? { _id: newId(), ...doc } : doc;
}

/** Plain fields next to operators are set, as `$set` would (the SDK itself always sends operators). */
function operatorsOf(data: Doc): Doc {
  const plain = Object.keys(data).filter((k) => !k.startsWith('$'));
  if (!plain.length) return data;
  const operators: Doc = Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith('$')));
  operators.$set = { ...(operators.$set as Doc | undefined), ...Object.fromEntries(plain.map((k) => [k, data[k]])) };
  return operators;
}

/** doc.set(): the new document keeps its `_id`; null when nothing would change. */
function replaced(doc: Doc, data: Doc): Doc | null {
  const next: Doc = { _id: doc._id, ...data };
  return encodeEjson(next) === encodeEjson(doc) ? null : next;
}

function duplicateKey(env: string, collection: string, id: unknown): DatabaseError {
  return new DatabaseError(
    DB_CODES.requestFailed,
    `E11000 duplicate key error collection: ${env}.${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
  );
}
