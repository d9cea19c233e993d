/**
 * Query, sort, projection, update operators and aggregate stages, all evaluated by mingo
 * (cloudbase-database-wire.md "Evaluating queries locally"); loaded on the first database call
 * (~110 ms). Every function here is synchronous: a request's read and write never interleave
 * with another request's.
 */
import type * as Mingo from 'mingo';
import type { Doc } from './codec';
import { DatabaseError, DB_CODES } from './errors';

let mingo: typeof Mingo | undefined;
function loadMingo(): typeof Mingo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mingo ??= require('mingo') as typeof Mingo;
  return mingo;
}

/** No $where / $function: requests are data, never code to run. */
const OPTIONS = { scriptEnabled: false } as const;

/** mingo throws plain Errors for unknown operators or bad arguments; the real service answers a database error. */
function evaluating<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof DatabaseError) throw e;
    throw new DatabaseError(DB_CODES.requestFailed, `${what}: ${(e as Error).message}`);
  }
}

export function matcher(query: Doc): (doc: Doc) => boolean {
  const compiled = evaluating('query', () => new (loadMingo().Query)(query, OPTIONS));
  return (doc) => evaluating('query', () => compiled.test(doc));
}

export interface FindOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit?: number;
  projection?: Doc;
}

export function find(docs: Doc[], query: Doc, options: FindOptions): Doc[] {
  return evaluating('query', () => {
    let cursor = new (loadMingo().Query)(query, OPTIONS).find<Doc>(docs, options.projection);
    if (options.order && Object.keys(options.order).length) cursor = cursor.sort(options.order);
    if (options.offset) cursor = cursor.skip(options.offset);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.all();
  });
}

/**
 * Applies an operator document ($set, $inc, $push with $each/$slice, …) to a copy of `doc`.
 * Returns the copy when something changed, else null (so `updated` counts real changes only).
 */
export function applyUpdate(doc: Doc, modifier: Doc): Doc | null {
  checkOperandTypes(doc, modifier);
  const copy = structuredClone(doc);
  const changed = evaluating('update', () =>
    loadMingo().update(copy, modifier as Parameters<typeof Mingo.update>[1], undefined, undefined, { cloneMode: 'deep', queryOptions: OPTIONS }),
  );
  if (!changed.length) return null;
  if (!sameValue(copy._id, doc._id))
    throw new DatabaseError(DB_CODES.requestFailed, "Performing an update on the path '_id' would modify the immutable field '_id'");
  return copy;
}

export function aggregate(docs: Doc[], pipeline: Doc[], resolveCollection: (name: string) => Doc[]): Doc[] {
  // A deep copy in: some stages may write into their input objects.
  return evaluating(
    'aggregate',
    () =>
      loadMingo().aggregate(structuredClone(docs), pipeline, { ...OPTIONS, collectionResolver: (name) => structuredClone(resolveCollection(name)) }) as Doc[],
  );
}

/** Operators that need a number or an array where the field exists. */
const NEEDS: Record<string, { type: string; accepts: (value: unknown) => boolean }> = {
  $inc: { type: 'numeric', accepts: (v) => typeof v === 'number' },
  $mul: { type: 'numeric', accepts: (v) => typeof v === 'number' },
  $push: { type: 'array', accepts: Array.isArray },
  $addToSet: { type: 'array', accepts: Array.isArray },
  $pop: { type: 'array', accepts: Array.isArray },
  $pull: { type: 'array', accepts: Array.isArray },
  $pullAll: { type: 'array', accepts: Array.isArray },
};

/**
 * MongoDB refuses `$inc` on a string or `$push` onto a number; mingo skips them silently, which
 * would hide a bug the real database reports. A guard on the stored value's type, nothing more.
 */
function checkOperandTypes(doc: Doc, modifier: Doc): void {
  for (const [operator, fields] of Object.entries(modifier)) {
    const need = NEEDS[operator];
    if (!need || fields === null || typeof fields !== 'object') continue;
    for (const path of Object.keys(fields as Doc)) {
      if (path.includes('$')) continue; // positional paths: left to mingo
      const value = valueAt(doc, path);
      if (value !== undefined && value !== null && !need.accepts(value)) {
        throw new DatabaseError(
          DB_CODES.requestFailed,
          `Cannot apply ${operator} to a value of non-${need.type} type: field '${path}' holds ${JSON.stringify(value)}`,
        );
      }
    }
  }
}

function valueAt(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Doc)[key];
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
}
