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

/** A fault of the plan with the number of calls it has selected since it was set or added. */
interface ActiveFault {
  fault: Fault;
  apis: Set<string>;
  selected: number;
}

export class FaultInjector {
  private plan: FaultPlan = {};
  private active: ActiveFault[] = [];

  constructor(private readonly rng: () => number) {}

  set(plan: FaultPlan): void {
    validatePlan(plan);
    this.plan = { latencyMs: plan.latencyMs, databaseLatencyMs: plan.databaseLatencyMs, faults: [] };
    this.active = [];
    this.append(plan.faults ?? []);
  }

  /** Mid-test changes: latencies given replace the current ones; faults given go last and count from now. */
  update(change: FaultPlan): void {
    validatePlan(change);
    if (change.latencyMs !== undefined) this.plan.latencyMs = change.latencyMs;
    if (change.databaseLatencyMs !== undefined) this.plan.databaseLatencyMs = change.databaseLatencyMs;
    this.append(change.faults ?? []);
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

  /** Counts the call for every fault that selects it, and returns the first of them that fires. */
  next(apiName: string): FaultAction | undefined {
    const group = isDatabaseApi(apiName) ? ALL_DATABASE : '*';
    const selecting = this.active.filter((a) => a.apis.has(apiName) || a.apis.has(group));
    for (const a of selecting) a.selected += 1;
    // The RNG is drawn only up to the winner, so a seeded `rate` repeats call for call.
    for (const { fault, selected } of selecting) {
      if (fault.on ? fault.on.includes(selected) : fault.rate !== undefined ? this.rng() < fault.rate : true) return fault;
    }
    return undefined;
  }

  private append(faults: Fault[]): void {
    for (const f of faults) {
      const fault = structuredClone(f);
      this.plan.faults = [...(this.plan.faults ?? []), fault];
      this.active.push({ fault, apis: new Set(apisOf(fault)), selected: 0 });
    }
  }
}

function apisOf(fault: Fault): string[] {
  return Array.isArray(fault.api) ? fault.api : [fault.api ?? DEFAULT_API];
}

const KINDS = new Set<string>(['busy', 'errcode', 'platformError', 'cloudbaseError', 'drop', 'emptyBody', 'nullBody', 'httpError', 'slow', 'lateReply']);
/** Kinds that make sense for a database call: its replies are JSON, not protobuf, and it has a write to time. */
const DATABASE_KINDS = new Set<string>(['cloudbaseError', 'drop', 'httpError', 'slow', 'lateReply']);
/** Kinds that only the database side serves. */
const DATABASE_ONLY_KINDS = new Set<string>(['httpError', 'slow', 'lateReply']);

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
    if (Array.isArray(f.api) && f.api.length === 0) throw new Error('an api list must name at least one api');
    const apis = apisOf(f);
    for (const api of apis) if (!FAULT_APIS.has(api)) throw new Error(`unknown api ${JSON.stringify(api)}; use one of ${[...FAULT_APIS].join(', ')}`);
    const database = isDatabaseApi(apis[0]);
    // One list, one side: openapi and database calls are counted apart.
    if (apis.some((api) => isDatabaseApi(api) !== database)) throw new Error(`an api list mixes openapi and database apis: ${apis.join(', ')}`);
    if (database && !DATABASE_KINDS.has(f.kind))
      throw new Error(`${f.kind} is an openapi fault; a database fault (api ${apis.join(', ')}) is one of ${[...DATABASE_KINDS].join(', ')}`);
    if (!database && DATABASE_ONLY_KINDS.has(f.kind)) throw new Error(`${f.kind} is a database fault: name a database api (e.g. "database")`);
    if ((f.kind === 'slow' || f.kind === 'lateReply') && !(Number.isFinite(f.ms) && f.ms >= 0)) throw new Error(`${f.kind} fault needs ms, a number ≥ 0`);
    if (f.kind === 'httpError' && f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599))
      throw new Error('httpError status must be 400…599');
    if (f.on !== undefined && !(Array.isArray(f.on) && f.on.length > 0 && f.on.every((n) => Number.isInteger(n) && n >= 1)))
      throw new Error('on must list 1-based call indices (at least one)');
    if (f.rate !== undefined && !(typeof f.rate === 'number' && f.rate >= 0 && f.rate <= 1)) throw new Error('rate must be within 0…1');
    if (f.kind === 'errcode' && !Number.isInteger(f.errcode)) throw new Error('errcode fault needs an integer errcode');
    if (f.kind === 'platformError' && !(Number.isInteger(f.errorCode) && f.errorCode !== 0)) throw new Error('platformError fault needs a non-zero errorCode');
    if (f.kind === 'cloudbaseError' && typeof f.code !== 'string') throw new Error('cloudbaseError fault needs a code such as PERMISSION_DENIED');
  }
}
