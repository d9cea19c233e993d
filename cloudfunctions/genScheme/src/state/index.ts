/**
 * The shared state port (see port.ts) and how the function gets one:
 * `GENSCHEME_STATE=database` (default) — the CloudBase database, with this instance's memory
 * taking over when it fails; `memory` — this instance only.
 */
import { createDatabaseState, type Db } from './database';
import { createMemoryState } from './memory';
import { resilient, type ResilientOptions } from './resilient';
import type { StateClock, StateLog, StatePort } from './port';

export * from './port';
export { COLLECTIONS, DatabaseState, MAX_DATABASE_LIMIT, StateError, createDatabaseState, errCodeOf, type Db, type DatabaseStateOptions } from './database';
export { MemoryState, createMemoryState } from './memory';
export { OUTAGE_LOG_EVERY_MS, ResilientState, resilient, type ResilientOptions } from './resilient';

export type StateMode = 'database' | 'memory';

/** Reads GENSCHEME_STATE: unset or empty = 'database'; a bad value gives the text to log/reply. */
export function stateModeFrom(env: Record<string, string | undefined>): StateMode | { error: string } {
  const raw = (env.GENSCHEME_STATE ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'database') return 'database';
  if (raw === 'memory') return 'memory';
  return { error: `GENSCHEME_STATE must be "database" or "memory", not ${JSON.stringify(env.GENSCHEME_STATE)}` };
}

export interface CreateStateOptions extends ResilientOptions {
  mode: StateMode;
  /** Called at most once, on first use: e.g. `() => cloud.database()`. Required for 'database'. */
  database?: () => Db;
  /** GENSCHEME_STATE_SECRET. */
  secret?: string;
  clock: StateClock;
  log: StateLog;
  /** Time limit of each database call, ms (default 800). */
  timeoutMs?: number;
}

export function createState(options: CreateStateOptions): StatePort {
  const memory = createMemoryState();
  if (options.mode === 'memory') return memory;
  if (!options.database) throw new Error('[genScheme] state: mode "database" needs a database');
  const getDb = options.database;
  let db: Db | undefined;
  // cloud.database() is only asked for when the state is first used; if it throws, resilient falls back.
  const lazyDb: Db = {
    get command() {
      return (db ??= getDb()).command;
    },
    collection: (name) => (db ??= getDb()).collection(name),
    createCollection: (name) => (db ??= getDb()).createCollection(name),
  };
  const database = createDatabaseState({ db: lazyDb, clock: options.clock, secret: options.secret || undefined, timeoutMs: options.timeoutMs });
  return resilient(database, memory, options.log, options.clock, options);
}
