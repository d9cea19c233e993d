/**
 * genScheme's work, with the outside world passed in: the openapi client, the clock, the
 * caller's WeChat context, the page list and the configuration. Only index.ts touches
 * wx-server-sdk. The handler never throws: every path ends in a reply.
 */
import type { Action, ErrorReply, GenSchemeReply, GenerateReply, PlaintextReply, QueryReply, QuotaReply } from '../../../miniprogram/shared/contract';
import {
  GENERATE_CALLS_PER_SECOND,
  SCHEME_PREFIX,
  appendCq,
  buildPlaintextLink,
  checkEnvVersion,
  checkPath,
  checkPlaintext,
  normalisePath,
  problem,
  ticketOf,
  type EnvVersion,
} from '../../../miniprogram/shared/rules';
import { INTERNAL, NO_OPENLINK, POLICY_DENIED, PUBLIC_DISABLED, RATE_LIMITED, TIME_BUDGET } from './catalogue';
import type { Clock } from './clock';
import { ACTIONS, parseEvent, shownName, type GenerateInput, type PlaintextInput } from './event';
import { planGenerate } from './generate';
import { Pacer } from './limiter';
import { classify, Gate, type Ask, type Caller, type Denial, type WxContext } from './policy';
import { ownReply, problemReply, thrownReply } from './reply';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';

/** The slice of `cloud.openapi` genScheme uses (wx-server-sdk types it as `any`). */
export interface OpenApi {
  urlscheme: {
    generate(request: Record<string, unknown>): Promise<unknown>;
    query(request: Record<string, unknown>): Promise<unknown>;
  };
}

/** What the runtime passes as the second argument of `main`. */
export interface RuntimeContext {
  /** The function's timeout, ms (CloudBase passes it; 3 s is the default timeout). */
  time_limit_in_ms?: number;
  [key: string]: unknown;
}

export interface Settings {
  /** Pages of the mini program (main package and subpackages), from app.json at build time. */
  pages: readonly string[];
  /** GENSCHEME_ADMIN_TOKEN: grants trusted rights to an event carrying it. */
  adminToken?: string;
  /** GENSCHEME_APPID: for plaintext links when the caller's APPID is unknown. */
  appid?: string;
  /** GENSCHEME_H5_BASE_URL: the H5 jump page, e.g. https://<env>.tcloudbaseapp.com/jump.html */
  h5BaseUrl?: string;
  gate: Gate;
  retry?: RetryPolicy;
}

export interface Deps {
  openapi: OpenApi;
  clock: Clock;
  settings: Settings;
  /** One line per call, for the cloud console. */
  log: (line: string) => void;
}

export const DEFAULT_TIME_LIMIT_MS = 3000;
/**
 * Time kept after giving up on an unanswered call, to build and return the reply before the
 * runtime kills the function (the caller would then get a bare time-out instead of a reply).
 */
export const REPLY_RESERVE_MS = 150;

/** One structured log line per call (never the token, OPENID only hashed). */
interface CallLog {
  action: Action | 'invalid';
  caller: string;
  reason: string;
  openid?: string;
  outcome: 'ok' | 'rejected' | 'denied' | 'failed';
  errcode: number;
  rule?: string;
  ms: number;
  attempts: number;
  waitedMs?: number;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  // json-bigint hands big integers back as {s, e, c} objects (cloudbase-wire.md).
  if (value && typeof value === 'object' && 'c' in value && Array.isArray((value as { c: unknown }).c)) return Number(String(value));
  return NaN;
}

function h5UrlFor(base: string | undefined, params: Record<string, string>): string | undefined {
  if (!base) return undefined;
  // Slashes are legal in a URL's query and keep `path=pages/index/index` readable in an SMS.
  const qs = Object.entries(params).map(([k, v]) => `${k}=${k === 'path' ? encodeURIComponent(v).replace(/%2F/g, '/') : encodeURIComponent(v)}`).join('&');
  return `${base}${base.includes('?') ? '&' : '?'}${qs}`;
}

export function createHandler(deps: Deps) {
  const { openapi, clock, settings, log } = deps;
  const retryPolicy = settings.retry ?? DEFAULT_RETRY;
  // platform-rules §5: at most 100 generate calls per second per mini program. One instance
  // paces itself below that; several instances together can still exceed it (then 44990 is retried).
  const pace = new Pacer(GENERATE_CALLS_PER_SECOND, 1000);

  /** A denial as a reply; `names` maps its field to the spelling the caller used. */
  function denialReply(denial: Denial, action: Action, names?: Record<string, string>): ErrorReply {
    const code = denial.code.startsWith('rate') ? RATE_LIMITED : denial.code === 'public-disabled' ? PUBLIC_DISABLED : POLICY_DENIED;
    const field = denial.field && names ? shownName(names, denial.field) : denial.field;
    return ownReply(code, action, 'policy', { zh: denial.zh, en: denial.en }, { zh: denial.hintZh, en: denial.hintEn }, {
      rule: `policy.${denial.code}`,
      ...(field ? { field } : {}),
    });
  }

  /** What the policy and then the rate limits say about `ask`: a refusal, or null to go ahead. */
  function refusal(caller: Caller, ask: Ask, names?: Record<string, string>): ErrorReply | null {
    const denial = settings.gate.authorize(caller, ask) ?? settings.gate.admitRate(caller, clock.now());
    return denial && denialReply(denial, ask.action, names);
  }

  /**
   * Settles with `call`, or rejects with TIME_BUDGET when it has not answered `REPLY_RESERVE_MS`
   * before the deadline. The call itself cannot be cancelled; a late answer is ignored.
   */
  function beforeDeadline<T>(call: Promise<T>, deadline: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = clock.setTimer(Math.max(0, deadline - REPLY_RESERVE_MS - clock.now()), () =>
        reject(Object.assign(new Error('time budget'), { errCode: TIME_BUDGET, errMsg: `no answer from WeChat within the function's time limit (${REPLY_RESERVE_MS} ms kept to reply)` })),
      );
      call.then(
        (value) => (cancel(), resolve(value)),
        (error) => (cancel(), reject(error)),
      );
    });
  }

  /**
   * Calls WeChat with pacing (generate only) and retries inside the time budget; the log gets the
   * attempts, and for paced calls the time waited.
   */
  async function callWeChat<T>(fn: () => Promise<T>, deadline: number, paced: boolean, record: CallLog) {
    const attempt = async () => {
      if (!paced) return beforeDeadline(fn(), deadline);
      for (;;) {
        const slot = pace.acquire(clock.now());
        if (slot.ok) break;
        if (clock.now() + slot.retryAfterMs + retryPolicy.reserveMs > deadline) {
          throw Object.assign(new Error('paced'), { errCode: 44990, errMsg: 'genScheme held the call: this instance already sent 100 generate calls in the last second (44990)' });
        }
        await clock.sleep(slot.retryAfterMs);
      }
      try {
        return await beforeDeadline(fn(), deadline);
      } finally {
        pace.release(clock.now());
      }
    };
    const outcome = await withRetry(attempt, clock, deadline, retryPolicy);
    record.attempts = outcome.attempts;
    if (paced) record.waitedMs = outcome.waits.reduce((a, b) => a + b, 0);
    return outcome;
  }

  async function generate(input: GenerateInput, names: Record<string, string>, caller: Caller, deadline: number, record: CallLog): Promise<GenSchemeReply> {
    const nowSeconds = Math.floor(clock.now() / 1000);
    const planned = planGenerate(input, names, nowSeconds, settings.pages);
    if ('problem' in planned) return problemReply(planned.problem, 'generate');
    const { plan } = planned;
    const { path, query, envVersion } = plan.call.jumpWxa;
    const daysField = plan.call.expireType === 0 ? 'expireTime' : 'expireInterval';
    const refused = refusal(caller, { action: 'generate', path, envVersion, days: plan.days, daysField, queryLength: query.length }, names);
    if (refused) return refused;
    const outcome = await callWeChat(() => openapi.urlscheme.generate({ ...plan.call }), deadline, true, record);
    if (!outcome.ok) return thrownReply(outcome.error, 'generate', outcome.attempts, plan.warnings);
    const result = outcome.value as { openlink?: unknown } | undefined;
    const openlink = result && typeof result.openlink === 'string' ? result.openlink : '';
    const ticket = ticketOf(openlink);
    if (!ticket) {
      // cloudbase-wire.md: an empty 200 body comes back as "success" without a link.
      return ownReply(NO_OPENLINK, 'generate', 'wechat', {
        zh: '微信返回成功，但回复中没有有效的 openlink。', en: 'WeChat answered success, but the reply holds no valid openlink.',
      }, undefined, { attempts: outcome.attempts, warnings: plan.warnings });
    }
    const reply: GenerateReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'generate',
      openlink: plan.cq ? appendCq(openlink, plan.cq) : openlink,
      expireTime: plan.expireTime,
      expireAt: new Date(plan.expireTime * 1000).toISOString(),
      warnings: plan.warnings,
      attempts: outcome.attempts,
    };
    // The page and query ride along for the open tag inside WeChat's browser, which cannot open
    // a ticket and needs the page path (web/README.md); the home page needs none.
    const h5Url = h5UrlFor(settings.h5BaseUrl, {
      t: ticket,
      ...(plan.cq ? { cq: plan.cq } : {}),
      ...(path ? { path, ...(query ? { query } : {}) } : {}),
    });
    if (h5Url) reply.h5Url = h5Url;
    return reply;
  }

  async function query(scheme: string, caller: Caller, deadline: number, record: CallLog): Promise<GenSchemeReply> {
    const plaintext = scheme.startsWith(SCHEME_PREFIX) && /[?&]appid=/.test(scheme);
    if (!ticketOf(scheme) && !plaintext) {
      const shown = scheme.slice(0, 60);
      return problemReply(problem(
        40097, 'scheme', 'scheme.format',
        `scheme "${shown}" 不是 weixin://dl/business/ 链接。`,
        `scheme "${shown}" is not a weixin://dl/business/ link.`,
        '传入完整链接，例如 weixin://dl/business/?t=XXXX（可带 &cq=）。',
        'Pass the whole link, e.g. weixin://dl/business/?t=XXXX (an &cq= may follow).',
      ), 'query');
    }
    const refused = refusal(caller, { action: 'query' });
    if (refused) return refused;
    const outcome = await callWeChat(() => openapi.urlscheme.query({ scheme, queryType: 0 }), deadline, false, record);
    if (!outcome.ok) return thrownReply(outcome.error, 'query', outcome.attempts);
    const info = ((outcome.value as { schemeInfo?: Record<string, unknown> } | undefined)?.schemeInfo ?? {}) as Record<string, unknown>;
    const text = (key: string) => String(info[key] ?? '');
    // A time WeChat did not give as a number (or json-bigint object) reads as 0.
    const time = (key: string) => {
      const n = toNumber(info[key]);
      return Number.isFinite(n) ? n : 0;
    };
    const scope = settings.gate.mayRead(caller, { path: text('path'), envVersion: text('envVersion') });
    if (scope) return denialReply(scope, 'query');
    const expireTime = time('expireTime');
    const reply: QueryReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'query',
      scheme,
      appid: text('appid'),
      path: text('path'),
      query: text('query'),
      envVersion: text('envVersion'),
      createTime: time('createTime'),
      expireTime,
      expired: expireTime > 0 && expireTime <= Math.floor(clock.now() / 1000),
      warnings: [],
      attempts: outcome.attempts,
    };
    if (reply.expired) reply.warnings.push({ code: 'query.expired', zh: '该链接已过期。', en: 'This link has expired.' });
    return reply;
  }

  async function quota(caller: Caller, deadline: number, record: CallLog): Promise<GenSchemeReply> {
    const refused = refusal(caller, { action: 'quota' });
    if (refused) return refused;
    const outcome = await callWeChat(() => openapi.urlscheme.query({ queryType: 1 }), deadline, false, record);
    if (!outcome.ok) return thrownReply(outcome.error, 'quota', outcome.attempts);
    const info = (outcome.value as { quotaInfo?: { remainVisitQuota?: unknown } } | undefined)?.quotaInfo;
    const remain = toNumber(info?.remainVisitQuota);
    if (!Number.isFinite(remain)) {
      return ownReply(NO_OPENLINK, 'quota', 'wechat', { zh: '微信的回复中没有剩余次数。', en: 'WeChat\'s reply holds no remaining quota.' }, undefined, { attempts: outcome.attempts });
    }
    const reply: QuotaReply = { errcode: 0, errmsg: 'ok', action: 'quota', remainVisitQuota: remain, warnings: [], attempts: outcome.attempts };
    return reply;
  }

  function plaintextLink(input: PlaintextInput, names: Record<string, string>, caller: Caller): GenSchemeReply {
    const jump = input.jumpWxa ?? {};
    const path = jump.path ?? '';
    const envVersion = jump.envVersion ?? 'release';
    const pathProblem = checkPath(path, settings.pages, shownName(names, 'jumpWxa.path'));
    const envProblem = checkEnvVersion(envVersion, shownName(names, 'jumpWxa.envVersion'));
    const appid = settings.appid || caller.appid || '';
    const parts = { appid, path: normalisePath(path), query: jump.query ?? '', envVersion: envVersion as EnvVersion };
    const broken = pathProblem ?? envProblem ?? checkPlaintext(parts);
    if (broken) return problemReply(broken, 'plaintext');
    const refused = refusal(caller, { action: 'plaintext', path: parts.path, envVersion, queryLength: parts.query.length });
    if (refused) return refused;
    const reply: PlaintextReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'plaintext',
      openlink: buildPlaintextLink(parts),
      warnings: [{
        code: 'plaintext.declare',
        zh: `明文 Scheme 只对在小程序管理后台「设置 → 隐私与安全 → 明文 Scheme 拉起此小程序」中声明过的页面有效（${parts.path}）；未声明时打开会失败（85405）。`,
        en: `A plaintext scheme works only for pages declared in the MP admin (设置 → 隐私与安全 → 明文 Scheme 拉起此小程序): ${parts.path}; otherwise opening it fails (85405).`,
      }],
    };
    const h5Url = h5UrlFor(settings.h5BaseUrl, { path: parts.path, query: parts.query, env_version: envVersion });
    if (h5Url) reply.h5Url = h5Url;
    return reply;
  }

  return async function handle(event: unknown, context: RuntimeContext | undefined, wxContext: WxContext): Promise<GenSchemeReply> {
    const started = clock.now();
    const limit = typeof context?.time_limit_in_ms === 'number' && context.time_limit_in_ms > 0 ? context.time_limit_in_ms : DEFAULT_TIME_LIMIT_MS;
    const deadline = started + limit;
    const record: CallLog = { action: 'invalid', caller: '-', reason: '-', outcome: 'ok', errcode: 0, ms: 0, attempts: 0 };
    let reply: GenSchemeReply;
    try {
      const parsed = parseEvent(event);
      if ('problem' in parsed) {
        // The reply names a real action: the one asked for when it exists, else the default.
        const asked = (event as { action?: unknown } | null)?.action;
        reply = problemReply(parsed.problem, ACTIONS.includes(asked as Action) ? (asked as Action) : 'generate');
      } else {
        const { input, adminToken, names } = parsed.parsed;
        const caller = classify(wxContext ?? {}, adminToken, settings.adminToken, settings.gate.policy);
        record.action = input.action;
        record.caller = caller.class;
        record.reason = caller.reason;
        if (caller.openidHash) record.openid = caller.openidHash;
        switch (input.action) {
          case 'generate':
            reply = await generate(input, names, caller, deadline, record);
            break;
          case 'query':
            reply = await query(input.scheme, caller, deadline, record);
            break;
          case 'quota':
            reply = await quota(caller, deadline, record);
            break;
          case 'plaintext':
            reply = plaintextLink(input, names, caller);
            break;
        }
      }
    } catch (error) {
      // A bug of ours: still a reply, and the log says what happened.
      reply = thrownReply(Object.assign(new Error(String((error as Error)?.message ?? error)), { errCode: INTERNAL }), record.action === 'invalid' ? 'generate' : record.action, record.attempts);
    }
    record.errcode = reply.errcode;
    if (reply.errcode !== 0) {
      // The reply's source tells the outcome: the request broke a rule (input), the policy
      // refused it, or WeChat, CloudBase or genScheme failed.
      const { source, rule } = reply as ErrorReply;
      record.outcome = source === 'input' ? 'rejected' : source === 'policy' ? 'denied' : 'failed';
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
