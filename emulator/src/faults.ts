/** Fault injection: decides, call by call, whether the gateway misbehaves instead of answering. */
import { ALL_DATABASE, DATABASE_ACTIONS, isDatabaseApi } from './database/action-names';
import { API_NAMES } from './openapi';
import type { Fault, FaultAction, FaultPlan } from './types';

const DEFAULT_API = 'urlscheme.generate';
/**
 * The apis a fault may name: those the emulator answers (urlscheme.*, urllink.*), `*` for every
 * wx.openApi call, a database action, or `database` for every database call (counted apart from `*`).
 */
const FAULT_APIS = new Set<string>([...API_NAMES, '*', ALL_DATABASE, ...DATABASE_ACTIONS]);

export class FaultInjector {
  private plan: FaultPlan = {};
  /** Calls seen since the plan was set, per api, and '*' for all of them. */
  private counts = new Map<string, number>();

  constructor(private readonly rng: () => number) {}

  set(plan: FaultPlan): void {
    validatePlan(plan);
    this.plan = { latencyMs: plan.latencyMs, databaseLatencyMs: plan.databaseLatencyMs, faults: (plan.faults ?? []).map((f) => ({ ...f })) };
    this.counts.clear();
  }

  clear(): void {
    this.set({});
  }

  get current(): FaultPlan {
    return JSON.parse(JSON.stringify(this.plan)) as FaultPlan;
  }

  get latencyMs(): number {
    return this.plan.latencyMs ?? 0;
  }

  get databaseLatencyMs(): number {
    return this.plan.databaseLatencyMs ?? 0;
  }

  /** Counts the call and returns the first fault that selects it. */
  next(apiName: string): FaultAction | undefined {
    const index = this.bump(apiName);
    const group = isDatabaseApi(apiName) ? ALL_DATABASE : '*';
    const all = this.bump(group);
    for (const fault of this.plan.faults ?? []) {
      const api = fault.api ?? DEFAULT_API;
      if (api !== group && api !== apiName) continue;
      const n = api === group ? all : index;
      if (fault.on ? fault.on.includes(n) : fault.rate !== undefined ? this.rng() < fault.rate : true) return fault;
    }
    return undefined;
  }

  private bump(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}

const KINDS = new Set<string>(['busy', 'errcode', 'platformError', 'cloudbaseError', 'drop', 'emptyBody', 'nullBody', 'httpError']);
/** Kinds that make sense for a database call: its replies are JSON, not protobuf. */
const DATABASE_KINDS = new Set<string>(['cloudbaseError', 'drop', 'httpError']);

/** Rejects a plan with a typo rather than silently injecting nothing (plans also arrive as JSON over HTTP). */
export function validatePlan(plan: FaultPlan): void {
  if (typeof plan !== 'object' || plan === null) throw new Error('fault plan must be an object');
  for (const key of ['latencyMs', 'databaseLatencyMs'] as const) {
    const ms = plan[key];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) throw new Error(`${key} must be a number ≥ 0`);
  }
  if (plan.faults !== undefined && !Array.isArray(plan.faults)) throw new Error('faults must be an array');
  for (const f of plan.faults ?? ([] as Fault[])) {
    if (!f || !KINDS.has(f.kind)) throw new Error(`unknown fault kind ${JSON.stringify(f?.kind)}; use one of ${[...KINDS].join(', ')}`);
    if (f.api !== undefined && !FAULT_APIS.has(f.api)) throw new Error(`unknown api ${JSON.stringify(f.api)}; use one of ${[...FAULT_APIS].join(', ')}`);
    const database = isDatabaseApi(f.api ?? DEFAULT_API);
    if (database && !DATABASE_KINDS.has(f.kind)) throw new Error(`${f.kind} is an openapi fault; a database fault (api ${f.api}) is one of ${[...DATABASE_KINDS].join(', ')}`);
    if (!database && f.kind === 'httpError') throw new Error('httpError is a database fault: name a database api (e.g. "database")');
    if (f.kind === 'httpError' && f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) throw new Error('httpError status must be 400…599');
    if (f.on !== undefined && !(Array.isArray(f.on) && f.on.length > 0 && f.on.every((n) => Number.isInteger(n) && n >= 1))) throw new Error('on must list 1-based call indices (at least one)');
    if (f.rate !== undefined && !(typeof f.rate === 'number' && f.rate >= 0 && f.rate <= 1)) throw new Error('rate must be within 0…1');
    if (f.kind === 'errcode' && !Number.isInteger(f.errcode)) throw new Error('errcode fault needs an integer errcode');
    if (f.kind === 'platformError' && !(Number.isInteger(f.errorCode) && f.errorCode !== 0)) throw new Error('platformError fault needs a non-zero errorCode');
    if (f.kind === 'cloudbaseError' && typeof f.code !== 'string') throw new Error('cloudbaseError fault needs a code such as PERMISSION_DENIED');
  }
}
