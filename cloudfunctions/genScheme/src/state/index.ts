/**
 * The shared state (port.ts) and how the function gets one, built from its four ports:
 * `GENSCHEME_STATE=database` (default) — the CloudBase database, with the fallbacks of
 * fallback.ts when it is slow or failing; `memory` — this instance only.
 */
import { ShardedCounters } from './counters';
import { DbClient, type Db } from './database/client';
import { DatabaseCounts } from './database/counters';
import { StateKeys } from './database/keys';
import { DatabaseLimits } from './database/limits';
import { DatabaseLinks } from './database/links';
import { DatabaseStableLinks } from './database/stable-links';
import { DatabaseHealth, FallbackLimits, FallbackLinks, RequiredStableLinks } from './fallback';
import { MemoryLimits } from './memory/limits';
import { MemoryLinks } from './memory/links';
import { MemoryStableLinks } from './memory/stable-links';
import type { SharedState, StateClock, StateLog } from './port';

export * from './port';
export { COLLECTIONS } from './database/collections';
export { DbClient, StateError, errCodeOf, isTimeout, type Db } from './database/client';
export { MAX_DATABASE_LIMIT } from './database/limits';
export { ShardedCounters, BATCH_MS, type CountStore, type Shard } from './counters';
export { DatabaseHealth, FALLBACK_DIVISOR, OUTAGE_LOG_EVERY_MS } from './fallback';
export { MemoryLimits, MemoryLinks, MemoryStableLinks, DatabaseCounts, DatabaseLimits, DatabaseLinks, DatabaseStableLinks, StateKeys };

export type StateMode = 'database' | 'memory';

/** Reads GENSCHEME_STATE: unset or empty = 'database'; a bad value gives the text to log/reply. */
export function stateModeFrom(env: Record<string, string | undefined>): StateMode | { error: string } {
  const raw = (env.GENSCHEME_STATE ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'database') return 'database';
  if (raw === 'memory') return 'memory';
  return { error: `GENSCHEME_STATE must be "database" or "memory", not ${JSON.stringify(env.GENSCHEME_STATE)}` };
}

export interface CreateStateOptions {
  mode: StateMode;
  /** Called at most once, on first use: e.g. `() => cloud.database()`. Required for 'database'. */
  database?: () => Db;
  /** GENSCHEME_STATE_SECRET. */
  secret?: string;
  clock: StateClock;
  log: StateLog;
  /** Time limit of a database call on a request's path, ms (default DEFAULT_TIMEOUT_MS in database/client.ts). */
  timeoutMs?: number;
}

export function createState(options: CreateStateOptions): SharedState {
  const { clock, log } = options;
  if (options.mode === 'memory') return memoryState(clock);
  if (!options.database) throw new Error('[genScheme] state: mode "database" needs a database');
  const getDb = options.database;
  let db: Db | undefined;
  // cloud.database() is only asked for when the state is first used; if it throws, the fallbacks take over.
  const lazyDb: Db = {
    get command() {
      return (db ??= getDb()).command;
    },
    collection: (name) => (db ??= getDb()).collection(name),
    createCollection: (name) => (db ??= getDb()).createCollection(name),
  };
  const client = new DbClient(lazyDb, clock, options.timeoutMs);
  const keys = new StateKeys(client, options.secret || undefined);
  const health = new DatabaseHealth(clock, log);
  const counts = new DatabaseCounts(client, keys);
  const limits = new FallbackLimits(new DatabaseLimits(client, keys), new MemoryLimits(), health);
  const links = new FallbackLinks(new DatabaseLinks(client, keys), health);
  return {
    mode: 'database',
    limits,
    links,
    counters: new ShardedCounters(counts, clock, log),
    stableLinks: new RequiredStableLinks(new DatabaseStableLinks(client), health),
    sweep: (nowMs) => sweepAll({ limits: () => limits.sweep(nowMs), links: () => links.sweep(nowMs), openers: () => counts.sweep(nowMs) }),
  };
}

function memoryState(clock: StateClock): SharedState {
  const limits = new MemoryLimits();
  const links = new MemoryLinks();
  return {
    mode: 'memory',
    limits,
    links,
    counters: new ShardedCounters(null, clock),
    stableLinks: new MemoryStableLinks(),
    sweep: (nowMs) => sweepAll({ limits: () => limits.sweep(nowMs), links: () => links.sweep(nowMs) }),
  };
}

/** Runs every part's sweep; says which failed instead of throwing. */
async function sweepAll(parts: Record<string, () => Promise<void>>): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  for (const [name, sweep] of Object.entries(parts)) {
    try {
      await sweep();
    } catch {
      failed.push(name);
    }
  }
  return { failed };
}
