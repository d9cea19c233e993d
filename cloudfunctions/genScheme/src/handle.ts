/**
 * A call's way through the function: set the deadline, parse the event, identify the caller,
 * run the action from the table, reply, log one line. Effects (openapi, clock, log) come in as
 * arguments; only index.ts touches wx-server-sdk. Never throws: every path ends in a reply.
 */
import type { Action, ErrorReply, GenSchemeReply, Warning } from '../../../miniprogram/shared/contract';
import type { Failure } from '../../../miniprogram/shared/failure';
import { isFailure, type ActionContext, type ActionDef } from './actions/action';
import { InstanceLinks } from './links/instance';
import { AdminTokenGuard } from './access/admin-token';
import { authorize, type PolicyState } from './access/authorize';
import { classify, type Caller, type WxContext } from './access/caller';
import { RateLimits } from './access/rate-limits';
import type { Clock } from './clock';
import { parseEvent } from './event';
import { errorReply } from './reply';
import type { Settings } from './settings';
import { randomBytes } from 'crypto';
import type { SharedState } from './state';
import { WeChat, type CallRecord, type RetryPolicy } from './wechat/call';
import { lookup } from './wechat/catalogue';
import { INTERNAL } from './wechat/codes';
import { errMsgOf } from './wechat/errors';
import type { OpenApi } from './wechat/openapi';
import { NO_STORAGE, type CloudStorage } from './wechat/storage';

/** What the runtime passes as the second argument of `main`. */
export interface RuntimeContext {
  /** The function's timeout, ms (CloudBase passes it; 3 s is its default). */
  time_limit_in_ms?: unknown;
  [key: string]: unknown;
}

export const DEFAULT_TIME_LIMIT_MS = 3000;
/** CloudBase functions run 1 s to 900 s: a value outside is a mistake, not a budget. */
export const TIME_LIMIT_RANGE_MS = { min: 1000, max: 900_000 } as const;

export function timeLimitOf(context: RuntimeContext | undefined): number {
  const limit = context?.time_limit_in_ms;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) return DEFAULT_TIME_LIMIT_MS;
  return Math.min(Math.max(limit, TIME_LIMIT_RANGE_MS.min), TIME_LIMIT_RANGE_MS.max);
}

export interface HandlerDeps {
  openapi: OpenApi;
  /** Cloud storage (`cloud.uploadFile`, `cloud.getTempFileURL`): where 小程序码 are kept. */
  storage?: CloudStorage;
  clock: Clock;
  actions: ReadonlyMap<Action, ActionDef>;
  settings: Settings;
  policy: PolicyState;
  /** GENSCHEME_ADMIN_TOKEN, when strong enough to be used. */
  adminToken?: string;
  /** Limits, today's count and stored links: this instance's memory or the shared database. */
  state: SharedState;
  /** One line per call, for the cloud console. */
  log: (line: string) => void;
  retry?: RetryPolicy;
}

/** The call's log line (never the token; the OPENID only hashed). */
interface CallLog extends CallRecord {
  action: Action | 'invalid';
  caller: string;
  reason: string;
  openid?: string;
  outcome: 'ok' | 'rejected' | 'denied' | 'failed';
  errcode: number;
  rule?: string;
  ms: number;
}

const OUTCOME = { input: 'rejected', policy: 'denied', wechat: 'failed', cloud: 'failed', genscheme: 'failed' } as const;

/** The trusted replies that carry the missing-secret warning: the ones an admin reads the state through. */
const SECRET_WARNED_ACTIONS: readonly Action[] = ['quota', 'listLinks', 'linkStats'];

export const STATE_SECRET_WARNING: Warning = {
  code: 'state.secretInDatabase',
  zh: '未设置 GENSCHEME_STATE_SECRET：用于哈希 OPENID 和 IP 的密钥与这些哈希一起保存在同一个云数据库（genscheme_meta）中，能读取数据库的人可以用穷举还原出 IP 和 OPENID。请在云函数的环境变量中设置 GENSCHEME_STATE_SECRET（一个随机长字符串）。',
  en: "GENSCHEME_STATE_SECRET is not set: the secret that hashes OPENIDs and IPs is kept in the same database as the hashes (genscheme_meta), so anyone who can read the database can recover IPs and OPENIDs by brute force. Set GENSCHEME_STATE_SECRET (a long random string) in the function's environment variables.",
};

export function createHandler(deps: HandlerDeps) {
  const { clock, actions, settings, policy, state, log } = deps;
  const wechat = new WeChat(deps.openapi, clock, state.limits, deps.retry, randomBytes(6).toString('hex'));
  const rateLimits = new RateLimits(policy.policy, state.limits);
  const tokenGuard = new AdminTokenGuard(deps.adminToken, state.limits);
  const links = new InstanceLinks(state.counters);
  // Trusted callers read what is wrong with the policy; untrusted ones only that something is.
  const policyWarning: Warning[] = policy.configErrors.length
    ? [
        {
          code: 'policy.invalid',
          zh: `策略配置有误，非受信任调用方被拒绝：${policy.configErrors.join('；')}`,
          en: `The policy configuration is wrong, so untrusted callers are refused: ${policy.configErrors.join('; ')}`,
        },
      ]
    : [];

  // Without GENSCHEME_STATE_SECRET the hashing secret is kept in the database beside the hashes:
  // trusted readers of the state's numbers are told, on every reply of the actions that show them.
  const secretWarning: Warning[] = state.mode === 'database' && !settings.stateSecret ? [STATE_SECRET_WARNING] : [];

  /** The caller, with the event's admin token judged; or the refusal of a caller guessing tokens. */
  async function identify(wxContext: WxContext, adminToken: string | undefined, now: number): Promise<{ caller: Caller } | { refused: Failure }> {
    const caller = classify(wxContext ?? {}, policy.policy.adminOpenids, settings.stateSecret);
    if (adminToken === undefined || caller.class === 'trusted') return { caller };
    const verdict = await tokenGuard.judge(adminToken, caller, now);
    if (verdict.trusted) return { caller: { ...caller, class: 'trusted', reason: 'admin-token' } };
    if (verdict.refused) return { refused: verdict.refused };
    return { caller: { ...caller, reason: 'admin-token-wrong' } };
  }

  async function run(event: unknown, deadline: number, wxContext: WxContext, record: CallLog): Promise<GenSchemeReply> {
    const parsed = parseEvent(event, actions);
    if ('failure' in parsed) {
      // The reply names a real action: the one asked for when it exists, else the default.
      const asked = (event as { action?: unknown } | null)?.action;
      return errorReply(parsed.failure, typeof asked === 'string' && actions.has(asked as Action) ? (asked as Action) : 'generate');
    }
    const { action, input, adminToken, names } = parsed;
    record.action = action.name;
    const identity = await identify(wxContext, adminToken, clock.now());
    if ('refused' in identity) {
      record.reason = 'admin-token-throttled';
      return errorReply(identity.refused, action.name);
    }
    const { caller } = identity;
    Object.assign(record, { caller: caller.class, reason: caller.reason }, caller.openidHash ? { openid: caller.openidHash } : {});
    const ctx: ActionContext = {
      caller,
      names,
      clock,
      deadline,
      settings,
      policy,
      wechat,
      record,
      state,
      links,
      storage: deps.storage ?? NO_STORAGE,
      permit: async (ask) => authorize(policy, caller, ask) ?? (await rateLimits.admit(caller, clock.now())),
    };
    const result = await action.run(input, ctx);
    const extraWarnings = caller.class === 'trusted' ? [...policyWarning, ...(SECRET_WARNED_ACTIONS.includes(action.name) ? secretWarning : [])] : [];
    if (isFailure(result)) {
      return errorReply(result.failure, action.name, { attempts: record.attempts, warnings: [...(result.warnings ?? []), ...extraWarnings] });
    }
    if (extraWarnings.length) result.warnings = [...result.warnings, ...extraWarnings];
    return result;
  }

  return async function handle(event: unknown, context: RuntimeContext | undefined, wxContext: WxContext): Promise<GenSchemeReply> {
    const started = clock.now();
    const deadline = started + timeLimitOf(context);
    // Counts an earlier invocation could not write go out now, in the background (an instance
    // frozen between invocations resumes here); with nothing unwritten this touches nothing.
    void state.counters.flush(started);
    const record: CallLog = { action: 'invalid', caller: '-', reason: '-', outcome: 'ok', errcode: 0, ms: 0, attempts: 0 };
    let reply: GenSchemeReply;
    try {
      reply = await run(event, deadline, wxContext, record);
    } catch (error) {
      // A bug of ours, or an event that throws when read: still a reply, and the log says what happened.
      reply = internalReply(error, record.action === 'invalid' ? 'generate' : record.action);
    }
    record.errcode = reply.errcode;
    if (reply.errcode !== 0) {
      const { source, rule } = reply as ErrorReply;
      record.outcome = OUTCOME[source] ?? 'failed';
      record.rule = rule;
    }
    record.ms = clock.now() - started;
    try {
      log(JSON.stringify({ genScheme: 1, ...record }));
    } catch {
      // Logging must never turn a reply into a failure.
    }
    return reply;
  };
}

/** The reply to something that was not supposed to happen; reading the thrown value never throws. */
export function internalReply(error: unknown, action: Action): ErrorReply {
  const row = lookup(INTERNAL);
  return errorReply(
    { errcode: INTERNAL, source: 'genscheme', rule: 'genscheme.internal', message: row.meaning, hint: row.fix, detail: errMsgOf(error) },
    action,
  );
}
