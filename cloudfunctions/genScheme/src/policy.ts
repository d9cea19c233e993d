/**
 * Who may create what. Any mini-program user can call a cloud function, and so can a web page
 * once the environment allows anonymous access; without a policy one script could burn the
 * 500,000-a-day generation cap (platform-rules §5) or mint develop/trial links.
 *
 * Caller classes, from cloud.getWXContext() (platform-rules §7):
 *  - trusted: last hop of SOURCE is `scf` (another function of this environment) or `wx_trigger`
 *    (a timer); an OPENID on the admin list; or the admin token in the event.
 *  - user:    a mini-program user (OPENID present, not an admin).
 *  - public:  everyone else. No OPENID never means trusted: web, HTTP and console calls lack one.
 */
import { createHash, timingSafeEqual } from 'crypto';
import * as z from 'zod/mini';
import type { Action, EnvVersion } from '../../../miniprogram/shared/contract';
import { ENV_VERSIONS, EXPIRE_INTERVAL_MAX_DAYS, QUERY_MAX_LENGTH } from '../../../miniprogram/shared/rules';
import { ACTIONS } from './event';
import { WindowLimiter } from './limiter';

export type CallerClass = 'trusted' | 'user' | 'public';

export interface WxContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  SOURCE?: string;
  CLIENTIP?: string;
  CLIENTIPV6?: string;
  ENV?: string;
}

export interface Caller {
  class: CallerClass;
  /** Why this class, for the log: `source:scf`, `admin-openid`, `admin-token`, `openid`, `no-openid`. */
  reason: string;
  /** OPENID shortened to a hash: enough to tell callers apart in logs, useless to anyone else. */
  openidHash?: string;
  ip?: string;
  source: string;
  appid?: string;
}

/** What a user or public caller may do. Trusted callers get the platform's full range. */
export interface ClassRules {
  actions: Action[];
  /** Pages this class may link to; `["*"]` = every page of app.json. */
  pages: string[];
  envVersions: EnvVersion[];
  /** Longest validity in days (platform: 30). */
  maxDays: number;
  /** Longest query (platform: 1024). */
  maxQueryLength: number;
}

export interface Policy {
  user: ClassRules & { perUserPerMinute: number };
  public: ClassRules & { enabled: boolean; perIpPerMinute: number; sharedPerMinute: number };
  adminOpenids: string[];
}

/** Every page, release links only, the platform's longest validity and query. */
const platformLimits = () => ({
  pages: ['*'],
  envVersions: ['release'] as EnvVersion[],
  maxDays: EXPIRE_INTERVAL_MAX_DAYS,
  maxQueryLength: QUERY_MAX_LENGTH,
});

/** Safe defaults: release links only; users 20/min each; public callers 5/min per IP, 60/min together. */
export const DEFAULT_POLICY: Policy = {
  user: { actions: ['generate', 'plaintext', 'query', 'quota'], ...platformLimits(), perUserPerMinute: 20 },
  public: { enabled: true, actions: ['generate', 'plaintext'], ...platformLimits(), perIpPerMinute: 5, sharedPerMinute: 60 },
  adminOpenids: [],
};

// zod checks the shape; values are checked below with messages that name the platform limit.
// (Plain arrays and numbers keep the bundle small: zod's enum/union/checks cost ~5 KB.)
// Built on first use: an instance without policy.json or GENSCHEME_POLICY never needs it, and
// building zod schemas is most of a module's load time.
let policySchema: z.ZodMiniType<PolicyFile> | undefined;
function buildPolicySchema() {
  const list = z.optional(z.array(z.string()));
  const num = z.optional(z.number());
  const classSchema = { actions: list, pages: list, envVersions: list, maxDays: num, maxQueryLength: num };
  return z.strictObject({
    user: z.optional(z.strictObject({ ...classSchema, perUserPerMinute: num })),
    public: z.optional(z.strictObject({ ...classSchema, enabled: z.optional(z.boolean()), perIpPerMinute: num, sharedPerMinute: num })),
    adminOpenids: list,
  });
}
type PolicyFile = z.infer<ReturnType<typeof buildPolicySchema>>;


/** Value checks a shape cannot express. A policy may only lower the platform's limits. */
function valueErrors(cls: 'user' | 'public', rules: Record<string, unknown>, pages: readonly string[]): string[] {
  const errors: string[] = [];
  const at = (key: string) => `policy ${cls}.${key}`;
  const outside = (key: string, allowed: readonly string[]) => {
    const bad = ((rules[key] as string[] | undefined) ?? []).filter((v) => !allowed.includes(v));
    if (bad.length) errors.push(`${at(key)}: ${bad.join(', ')} not one of ${allowed.join(', ')}`);
  };
  outside('actions', ACTIONS);
  outside('envVersions', ENV_VERSIONS);
  const listed = rules.pages as string[] | undefined;
  if (listed && !(listed.length === 1 && listed[0] === '*')) {
    const unknown = listed.filter((p) => !pages.includes(p.replace(/^\//, '')));
    if (unknown.length) errors.push(`${at('pages')}: not pages of app.json: ${unknown.join(', ')} (["*"] = every page)`);
  }
  const range = (key: string, min: number, max: number, why: string) => {
    const v = rules[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) errors.push(`${at(key)}: ${String(v)} must be a whole number from ${min} to ${max}${why}`);
  };
  range('maxDays', 1, EXPIRE_INTERVAL_MAX_DAYS, ' (platform-rules §1: 30 days at most)');
  range('maxQueryLength', 0, QUERY_MAX_LENGTH, ' (platform-rules §1: 1024 characters at most)');
  for (const key of ['perUserPerMinute', 'perIpPerMinute', 'sharedPerMinute']) range(key, 0, 100_000, '');
  return errors;
}

/**
 * Builds the policy from the optional policy file and the environment (environment wins):
 * GENSCHEME_POLICY (JSON, same shape as policy.json), GENSCHEME_ADMIN_OPENIDS (comma list),
 * GENSCHEME_PUBLIC (`off`/`on`). Returns the problems found so start-up can log them; a wrong
 * policy fails closed (see createGate).
 */
export function loadPolicy(fileJson: unknown, env: Record<string, string | undefined>, pages: readonly string[]): { policy: Policy; errors: string[] } {
  const errors: string[] = [];
  const layers: unknown[] = [];
  if (fileJson !== undefined) layers.push(fileJson);
  if (env.GENSCHEME_POLICY) {
    try {
      layers.push(JSON.parse(env.GENSCHEME_POLICY));
    } catch (e) {
      errors.push(`GENSCHEME_POLICY is not valid JSON: ${(e as Error).message}`);
    }
  }
  const policy: Policy = {
    user: { ...DEFAULT_POLICY.user },
    public: { ...DEFAULT_POLICY.public },
    adminOpenids: [...DEFAULT_POLICY.adminOpenids],
  };
  for (const layer of layers) {
    const parsed = (policySchema ??= buildPolicySchema()).safeParse(layer);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) {
        const at = issue.path.join('.') || '(root)';
        const what = issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue.code.replace(/_/g, ' ');
        errors.push(`policy ${at}: ${what}`);
      }
      continue;
    }
    const p = parsed.data;
    const wrong = [...(p.user ? valueErrors('user', p.user, pages) : []), ...(p.public ? valueErrors('public', p.public, pages) : [])];
    if (wrong.length) {
      errors.push(...wrong);
      continue;
    }
    if (p.user) Object.assign(policy.user, stripUndefined(p.user));
    if (p.public) Object.assign(policy.public, stripUndefined(p.public));
    if (p.adminOpenids) policy.adminOpenids = p.adminOpenids;
  }
  if (env.GENSCHEME_ADMIN_OPENIDS) policy.adminOpenids = env.GENSCHEME_ADMIN_OPENIDS.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.GENSCHEME_PUBLIC !== undefined) {
    const v = env.GENSCHEME_PUBLIC.trim().toLowerCase();
    if (v === 'off' || v === 'false' || v === '0') policy.public.enabled = false;
    else if (v === 'on' || v === 'true' || v === '1') policy.public.enabled = true;
    else errors.push(`GENSCHEME_PUBLIC must be on or off, not "${env.GENSCHEME_PUBLIC}"`);
  }
  return { policy, errors };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const sha256 = (text: string) => createHash('sha256').update(text);

export function hashOpenid(openid: string): string {
  return sha256(`genScheme:${openid}`).digest('hex').slice(0, 12);
}

/** Constant-time comparison of the event's admin token with the configured one. */
export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(sha256(given).digest(), sha256(expected).digest());
}

/** The last hop of SOURCE decides: `wx_client,scf` is a call relayed by another function of ours. */
export function lastHop(source: string | undefined): string {
  const hops = (source ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return hops[hops.length - 1] ?? '';
}

export function classify(ctx: WxContext, adminToken: string | undefined, expectedToken: string | undefined, policy: Policy): Caller {
  // A context field counts only when it is a string (empty OPENID and IPs count as absent).
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const source = text(ctx.SOURCE) ?? '';
  const openid = text(ctx.OPENID) || undefined;
  const ip = text(ctx.CLIENTIP) || text(ctx.CLIENTIPV6) || undefined;
  const base = { source, ip, appid: text(ctx.APPID), openidHash: openid ? hashOpenid(openid) : undefined };
  const as = (cls: CallerClass, reason: string): Caller => ({ ...base, class: cls, reason });
  const hop = lastHop(source);
  if (hop === 'scf' || hop === 'wx_trigger') return as('trusted', `source:${hop}`);
  if (openid && policy.adminOpenids.includes(openid)) return as('trusted', 'admin-openid');
  if (tokenMatches(adminToken, expectedToken)) return as('trusted', 'admin-token');
  return openid ? as('user', 'openid') : as('public', 'no-openid');
}

/** What a request asks for, in the terms a policy speaks. */
export interface Ask {
  action: Action;
  path?: string;
  envVersion?: string;
  days?: number;
  /** The field the caller gave the expiry in, named when the days cap refuses it. */
  daysField?: 'expireTime' | 'expireInterval';
  queryLength?: number;
}

export interface Denial {
  code: 'public-disabled' | 'action' | 'page' | 'envVersion' | 'days' | 'queryLength' | 'scope' | 'rate-user' | 'rate-ip' | 'rate-shared' | 'policy-invalid';
  zh: string;
  en: string;
  hintZh: string;
  hintEn: string;
  field?: string;
  retryAfterMs?: number;
}

const CLASS_ZH: Record<CallerClass, string> = { trusted: '受信任调用方', user: '小程序用户', public: '未登录调用方' };

function deny(code: Denial['code'], field: string | undefined, zh: string, en: string, hintZh: string, hintEn: string): Denial {
  return { code, field, zh, en, hintZh, hintEn };
}

/** Decides, per call, whether a caller may have what it asks for; keeps the per-instance rate limits. */
export class Gate {
  private readonly perUser: WindowLimiter;
  private readonly perIp: WindowLimiter;
  private readonly shared: WindowLimiter;

  constructor(
    readonly policy: Policy,
    readonly configErrors: string[] = [],
  ) {
    this.perUser = new WindowLimiter(policy.user.perUserPerMinute, 60_000);
    this.perIp = new WindowLimiter(policy.public.perIpPerMinute, 60_000);
    this.shared = new WindowLimiter(policy.public.sharedPerMinute, 60_000);
  }

  /** Checks what is asked against the caller's class rules. Trusted callers pass. */
  authorize(caller: Caller, ask: Ask): Denial | null {
    if (caller.class === 'trusted') return null;
    if (this.configErrors.length) {
      return deny(
        'policy-invalid', undefined,
        `genScheme 的策略配置有误，已拒绝非受信任调用：${this.configErrors[0]}`,
        `genScheme's policy configuration is wrong, so untrusted calls are refused: ${this.configErrors[0]}`,
        '修正 policy.json 或 GENSCHEME_POLICY 等环境变量（见云函数启动日志）。',
        'Fix policy.json or the GENSCHEME_POLICY environment variables (see the start-up log).',
      );
    }
    const cls = caller.class;
    const rules: ClassRules = cls === 'user' ? this.policy.user : this.policy.public;
    const who = CLASS_ZH[cls];
    if (cls === 'public' && !this.policy.public.enabled) {
      return deny(
        'public-disabled', undefined,
        '未登录的调用方（网页、HTTP、无 token 的控制台测试）已被禁止使用 genScheme。',
        'Public callers (web, HTTP, console tests without the admin token) are switched off.',
        '从小程序内调用；控制台测试请在事件中带 adminToken；或设置 GENSCHEME_PUBLIC=on。',
        'Call from the mini program; in a console test add adminToken to the event; or set GENSCHEME_PUBLIC=on.',
      );
    }
    // "Add it to the policy's <class>.<key>", the way out of most denials.
    const add = (key: string) => [`需要时在策略 ${cls}.${key} 中加入。`, `Add it to the policy's ${cls}.${key} if needed.`];
    if (!rules.actions.includes(ask.action)) {
      const [addZh, addEn] = add('actions');
      const allowed = rules.actions.join(', ');
      return deny(
        'action', 'action',
        `${who}不能使用 action "${ask.action}"。`, `A ${cls} caller may not use action "${ask.action}".`,
        `允许的 action:${allowed || '无'}。${addZh}`,
        `Allowed: ${allowed || 'none'}. ${addEn}`,
      );
    }
    if (ask.path !== undefined && !rules.pages.includes('*')) {
      const page = ask.path.replace(/^\//, '');
      const allowed = rules.pages.map((p) => p.replace(/^\//, ''));
      if (!allowed.includes(page)) {
        const [addZh, addEn] = add('pages');
        return deny(
          'page', 'jumpWxa.path',
          `${who}不能生成指向页面 "${page || '（首页）'}" 的链接。`, `A ${cls} caller may not link to page "${page || '(home)'}".`,
          `允许的页面：${allowed.join(', ')}。${addZh}`,
          `Allowed pages: ${allowed.join(', ')}. ${addEn}`,
        );
      }
    }
    if (ask.envVersion !== undefined && !rules.envVersions.includes(ask.envVersion as EnvVersion)) {
      return deny(
        'envVersion', 'jumpWxa.envVersion',
        `${who}不能生成 ${ask.envVersion} 版本的链接（只允许 ${rules.envVersions.join(', ')}）。`,
        `A ${cls} caller may not create ${ask.envVersion} links (allowed: ${rules.envVersions.join(', ')}).`,
        `体验版/开发版链接请由管理员生成（adminToken 或管理员 OPENID），或在策略 ${cls}.envVersions 中加入。`,
        `Have an admin create trial/develop links (adminToken or an admin OPENID), or add it to the policy's ${cls}.envVersions.`,
      );
    }
    if (ask.days !== undefined && ask.days > rules.maxDays) {
      return deny(
        'days', ask.daysField ?? 'expireInterval',
        `${who}生成的链接最长有效 ${rules.maxDays} 天，本次请求 ${ask.days} 天。`,
        `A ${cls} caller's links may live at most ${rules.maxDays} days; this asks for ${ask.days}.`,
        `把有效期缩短到 ${rules.maxDays} 天以内。`, `Ask for ${rules.maxDays} days or fewer.`,
      );
    }
    if (ask.queryLength !== undefined && ask.queryLength > rules.maxQueryLength) {
      return deny(
        'queryLength', 'jumpWxa.query',
        `${who}的 query 最长 ${rules.maxQueryLength} 个字符，本次为 ${ask.queryLength}。`,
        `A ${cls} caller's query may be at most ${rules.maxQueryLength} characters; this one has ${ask.queryLength}.`,
        '缩短 query。', 'Shorten the query.',
      );
    }
    return null;
  }

  /**
   * Whether a caller may read what WeChat answered about a link (action "query"): only links it
   * could have created itself — its allowed pages and versions. Otherwise any user could read the
   * page and parameters of any link of the mini program, e.g. another recipient's or a develop one.
   */
  mayRead(caller: Caller, link: { path: string; envVersion: string }): Denial | null {
    if (caller.class === 'trusted') return null;
    const outside = this.authorize(caller, { action: 'query', path: link.path, envVersion: link.envVersion || undefined });
    if (!outside) return null;
    const cls = caller.class;
    return deny(
      'scope', 'scheme',
      `${CLASS_ZH[cls]}只能查询自己也能生成的链接（允许的页面与版本）；这个链接不在其内，详情不予显示。`,
      `A ${cls} caller may query only links it could create itself (its allowed pages and versions); this link is outside them, so its details are withheld.`,
      '由管理员查询（adminToken 或管理员 OPENID），或在策略中放宽 pages / envVersions。',
      "Have an admin query it (adminToken or an admin OPENID), or widen the policy's pages / envVersions.",
    );
  }

  /** Takes a slot from the caller's rate limits (per instance). Trusted callers are not limited here. */
  admitRate(caller: Caller, now: number): Denial | null {
    if (caller.class === 'trusted') return null;
    if (caller.class === 'user') return rateDenial(this.perUser, caller.openidHash ?? '', now, 'rate-user', '每位用户每分钟最多', 'at most', 'calls a minute per user');
    return (
      (caller.ip ? rateDenial(this.perIp, caller.ip, now, 'rate-ip', '每个 IP 每分钟最多', 'at most', 'calls a minute per IP') : null) ??
      rateDenial(this.shared, 'public', now, 'rate-shared', '未登录调用方合计每分钟最多', 'public callers share at most', 'calls a minute')
    );
  }
}

/**
 * Takes a slot for `key`; when none is free, the denial that names the limit (the limiter's,
 * which is the policy's, between the words before and after it) and the wait.
 */
function rateDenial(limiter: WindowLimiter, key: string, now: number, code: Denial['code'], zh: string, en: string, enAfter: string): Denial | null {
  const slot = limiter.take(key, now);
  if (slot.ok) return null;
  const { retryAfterMs } = slot;
  const s = Math.ceil(retryAfterMs / 1000);
  return {
    code, retryAfterMs,
    zh: `调用太频繁：${zh} ${limiter.limit} 次（本实例内计数）。`,
    en: `Too many calls: ${en} ${limiter.limit} ${enAfter} (counted per function instance).`,
    hintZh: `${s} 秒后再试。`, hintEn: `Try again in ${s} s.`,
  };
}
