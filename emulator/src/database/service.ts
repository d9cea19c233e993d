/**
 * The gateway's database side: `POST /admin` with a JSON body whose `action` is `database.*`.
 * Records the call, waits the database latency (and a `slow` fault's), then fails it as a fault says
 * or runs the action synchronously and answers HTTP 200 JSON — the result's fields, or
 * `{code, message, requestId}` on error — at once, or `lateReply` ms after applying it.
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
    if (fault) call.fault = fault.kind;
    const before = this.options.faults.databaseLatencyMs + (fault?.kind === 'slow' ? fault.ms : 0);
    if (before > 0) await this.delay(before);
    if (fault && fault.kind !== 'slow' && fault.kind !== 'lateReply') {
      this.injectFailure(fault, call, res);
    } else {
      const answer = this.apply(action as DatabaseAction, body, call);
      // Applied already: other requests see the write while this client still waits.
      if (fault?.kind === 'lateReply' && fault.ms > 0) await this.delay(fault.ms);
      sendJson(res, 200, answer);
    }
    this.options.log(describe(call, fault));
  }

  /** Runs the action with no await between reading and writing: one request, one atomic step. Returns the JSON to answer. */
  private apply(action: DatabaseAction, body: DatabaseRequest, call: RecordedDatabaseCall): Record<string, unknown> {
    try {
      const reply = {
        requestId: requestId(),
        ...ACTION_HANDLERS[action](body, { store: this.store, transactions: this.transactions, nowMs: this.options.now(), env: call.env }),
      };
      call.reply = reply;
      return reply;
    } catch (e) {
      const error = e instanceof DatabaseError ? e : new DatabaseError(DB_CODES.requestFailed, String((e as Error)?.message ?? e));
      call.code = error.code;
      call.message = error.message;
      return errorReply(error.code, error.message);
    }
  }

  /** A fault that fails the request: nothing is applied. */
  private injectFailure(fault: FaultAction, call: RecordedDatabaseCall, res: ServerResponse): void {
    switch (fault.kind) {
      case 'cloudbaseError':
        call.code = fault.code;
        call.message = fault.message ?? `injected ${fault.code}`;
        return sendJson(res, 200, errorReply(call.code, call.message));
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
    this.store.create(
      name,
      structuredClone(documents).map((d) => (d._id === undefined ? { _id: newId(), ...d } : d)),
    );
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

/** The JSON of a database error, as CloudBase answers it with HTTP 200 (the SDK maps `code`). */
function errorReply(code: string, message: string): Record<string, unknown> {
  return { code, message, requestId: requestId() };
}

/** HTTP 200 + JSON, as CloudBase answers a database error (the SDK maps `code`). */
function sendError(res: ServerResponse, code: string, message: string): void {
  sendJson(res, 200, errorReply(code, message));
}

function describe(call: RecordedDatabaseCall, fault: FaultAction | undefined): string {
  const timing = fault?.kind === 'slow' || fault?.kind === 'lateReply' ? ` [${fault.kind} ${fault.ms} ms]` : '';
  const outcome = fault && !timing && call.code === null ? `fault ${fault.kind}` : (call.code ?? 'ok');
  const where = call.collection ? ` ${call.collection}` : '';
  const message = call.message ? ` (${call.message})` : '';
  return `#${call.seq} ${call.action}${where} → ${outcome}${message}${timing}`;
}
