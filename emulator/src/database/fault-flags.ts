/**
 * The database faults of `npm run emulator` flags (`--db-fail`, `--db-slow`, `--db-late-reply`,
 * restricted by `--db-actions`), as plan faults: the command line and tests share one mechanism.
 */
import type { Fault } from '../types';
import { ALL_DATABASE } from './action-names';
import { DB_CODES } from './errors';

export interface DatabaseFaultFlags {
  /** Comma-separated actions, with or without the `database.` prefix (`modifyDocument,removeDocument`); default every database call. */
  actions?: string;
  /** Fail the first N selected calls (not applied). */
  fail?: number;
  /** The code they fail with; default SERVER_TIMEOUT (SDK -501002). */
  failCode?: string;
  /** Wait this long before applying a selected call. */
  slowMs?: number;
  /** Apply a selected call at once, answer this much later. */
  lateReplyMs?: number;
}

/** Failures first: a failing call is answered at once (the first matching fault wins). Unknown actions are left for validatePlan() to refuse. */
export function databaseFaultsFromFlags(flags: DatabaseFaultFlags): Fault[] {
  const names = (flags.actions ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const api = names.length ? names.map((a) => (a.startsWith('database.') ? a : `database.${a}`)) : ALL_DATABASE;
  const faults: Fault[] = [];
  if (flags.fail) {
    const code = flags.failCode ?? DB_CODES.serverTimeout;
    faults.push({ kind: 'cloudbaseError', api, code, message: `injected ${code}`, on: Array.from({ length: flags.fail }, (_, i) => i + 1) });
  }
  if (flags.slowMs) faults.push({ kind: 'slow', api, ms: flags.slowMs });
  if (flags.lateReplyMs) faults.push({ kind: 'lateReply', api, ms: flags.lateReplyMs });
  return faults;
}
