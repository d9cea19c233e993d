/**
 * The gateway's database side: `POST /admin` with a JSON body whose `action` is `database.*`.
 * Records the call, applies a fault or the database latency, then runs the action synchronously
 * and answers HTTP 200 JSON — the result's fields, or `{code, message, requestId}` on error.
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { FaultInjector } from '../faults';
import { readBody, sendJson } from '../http-util';
import type { EmulatorDatabase, FaultAction, RecordedDatabaseCall } from '../types';
import { ACTION_HANDLERS, type DatabaseRequest } from './actions';
import type { DatabaseAction } from './action-names';
import { DatabaseError, DB_CODES } from './errors';
import { CollectionFiles } from './persistence';
import { DocumentStore, newId } from './store';
import { Transactions } from './transactions';

/** Fields every SDK request carries that say nothing about the call. */
const ENVELOPE_FIELDS = ['action', 'envName', 'wxCloudApiToken', 'wxCloudbaseAccesstoken', 'tcb_sessionToken', 'crossAuthorizationToken'];

export interface DatabaseServiceOptions {
  now: () => number;
  faults: FaultInjector;
  log: (line: string) => void;
  dataDir?: string;
}

export class DatabaseService implements EmulatorDatabase {
  private readonly store: DocumentStore;
  private readonly transactions: Transactions;
  private readonly timers = new Set<NodeJS.Timeout>();
  private recorded: RecordedDatabaseCall[] = [];

  constructor(private readonly options: DatabaseServiceOptions) {
    this.store = new DocumentStore(options.dataDir ? new CollectionFiles(options.dataDir) : undefined);
    this.transactions = new Transactions(this.store);
  }

  get calls(): RecordedDatabaseCall[] {
    return this.recorded.map((c) => ({ ...c }));
  }

  /** `raw`: the body, when the gateway has read it already. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, raw?: Buffer): Promise<void> {
    let body: DatabaseRequest;
    try {
      body = JSON.parse((raw ?? (await readBody(req))).toString('utf8')) as DatabaseRequest;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body is not a JSON object');
    } catch (e) {
      return sendError(res, DB_CODES.invalidParam, `invalid JSON body: ${(e as Error).message}`);
    }
    const action = String(body.action ?? '');
    if (!(action in ACTION_HANDLERS)) return sendError(res, DB_CODES.invalidParam, `action "${action}" is not emulated`);

    const call: RecordedDatabaseCall = {
      seq: this.recorded.length + 1,
      action,
      env: String(body.envName ?? '') || url.searchParams.get('env') || '',
      time: this.options.now(),
      request: Object.fromEntries(Object.entries(body).filter(([k]) => !ENVELOPE_FIELDS.includes(k))),
      code: null,
    };
    if (typeof body.collectionName === 'string') call.collection = body.collectionName;
    if (typeof body.transactionId === 'string') call.transactionId = body.transactionId;
    this.recorded.push(call);

    const fault = this.options.faults.next(action);
    const latency = this.options.faults.databaseLatencyMs;
    if (latency > 0) await this.delay(latency);
    if (fault) this.injectFault(fault, call, res);
    else this.answer(action as DatabaseAction, body, call, res);
    this.options.log(describe(call));
  }

  /** Runs the action with no await between reading and writing: one request, one atomic step. */
  private answer(action: DatabaseAction, body: DatabaseRequest, call: RecordedDatabaseCall, res: ServerResponse): void {
    try {
      const reply = { requestId: requestId(), ...ACTION_HANDLERS[action](body, { store: this.store, transactions: this.transactions, nowMs: this.options.now(), env: call.env }) };
      call.reply = reply;
      sendJson(res, 200, reply);
    } catch (e) {
      const error = e instanceof DatabaseError ? e : new DatabaseError(DB_CODES.requestFailed, String((e as Error)?.message ?? e));
      call.code = error.code;
      call.message = error.message;
      sendError(res, error.code, error.message);
    }
  }

  private injectFault(fault: FaultAction, call: RecordedDatabaseCall, res: ServerResponse): void {
    call.fault = fault.kind;
    switch (fault.kind) {
      case 'cloudbaseError':
        call.code = fault.code;
        call.message = fault.message ?? `injected ${fault.code}`;
        return sendError(res, call.code, call.message);
      case 'httpError':
        // A JSON body: node-sdk parses the body before it looks at the status, so text would
        // surface as a SyntaxError instead of the -501001 a gateway failure gives.
        return sendJson(res, fault.status ?? 500, { code: 'INTERNAL_SERVER_ERROR', message: 'injected HTTP error', requestId: requestId() });
      case 'drop':
        res.socket?.destroy();
        return;
      default:
        // validatePlan() keeps openapi kinds away from database apis.
        throw new Error(`fault ${fault.kind} cannot apply to a database call`);
    }
  }

  // --- EmulatorDatabase: seeding and inspecting from tests ---

  collections(): string[] {
    return this.store.names();
  }

  collection(name: string): Array<Record<string, unknown>> | undefined {
    return this.store.has(name) ? structuredClone(this.store.docs(name)) : undefined;
  }

  seed(name: string, documents: Array<Record<string, unknown>> = []): void {
    this.store.create(name, structuredClone(documents).map((d) => (d._id === undefined ? { _id: newId(), ...d } : d)));
  }

  drop(name: string): boolean {
    return this.store.drop(name);
  }

  clear(): void {
    this.transactions.clear();
    this.store.clear();
  }

  /** Forgets calls and data (reset() of the emulator). */
  reset(): void {
    this.recorded = [];
    this.clear();
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private delay(ms: number): Promise<void> {
    return new Promise((done) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        done();
      }, ms);
      this.timers.add(t);
    });
  }
}

function requestId(): string {
  return randomBytes(8).toString('hex');
}

/** HTTP 200 + JSON, as CloudBase answers a database error (the SDK maps `code`). */
function sendError(res: ServerResponse, code: string, message: string): void {
  sendJson(res, 200, { code, message, requestId: requestId() });
}

function describe(call: RecordedDatabaseCall): string {
  const outcome = call.fault && call.code === null ? `fault ${call.fault}` : call.code ?? 'ok';
  const where = call.collection ? ` ${call.collection}` : '';
  const message = call.message ? ` (${call.message})` : '';
  return `#${call.seq} ${call.action}${where} → ${outcome}${message}`;
}
