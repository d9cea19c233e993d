/**
 * Pure decisions: may this caller have what it asks for? Trusted callers get the platform's full
 * range; user and public callers get their policy class. No counters here (see rate-limits.ts).
 */
import type { Action } from '../../../../miniprogram/shared/contract';
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { EnvVersion } from '../../../../miniprogram/shared/platform';
import { POLICY_DENIED, PUBLIC_DISABLED } from '../wechat/codes';
import type { Caller, CallerClass } from './caller';
import type { ClassRules, Policy } from './policy';

/** What a request asks for, in the terms a policy speaks. */
export interface Ask {
  action: Action;
  path?: string;
  envVersion?: string;
  days?: number;
  /** The field the caller gave the expiry in, as spelt, named when the days cap refuses it. */
  daysField?: string;
  queryLength?: number;
  /** Field names as the caller spelt them, for the denial's `field`. */
  fields?: { path?: string; envVersion?: string; query?: string };
}

/** The policy in force, and what was wrong with its configuration (then untrusted callers are refused). */
export interface PolicyState {
  policy: Policy;
  configErrors: readonly string[];
}

const CLASS_ZH: Record<CallerClass, string> = { trusted: '受信任调用方', user: '小程序用户', public: '未登录调用方' };

function deny(rule: string, field: string | undefined, message: Failure['message'], hint: Failure['hint'], errcode = POLICY_DENIED): Failure {
  return { errcode, source: 'policy', rule: `policy.${rule}`, ...(field ? { field } : {}), message, hint };
}

/** Checks `ask` against the caller's class rules; null = allowed. */
export function authorize(state: PolicyState, caller: Caller, ask: Ask): Failure | null {
  if (caller.class === 'trusted') return null;
  if (state.configErrors.length) {
    // The details (which may name admin OPENIDs) go to the start-up log and to trusted callers only.
    return deny(
      'misconfigured',
      undefined,
      { zh: 'genScheme 的配置有误，暂时只接受受信任调用方。', en: "genScheme's configuration is wrong, so only trusted callers are served until it is fixed." },
      { zh: '请联系小程序的管理员；管理员可在云函数日志中看到原因。', en: "Contact the mini program's administrator; the function's log says what is wrong." },
    );
  }
  const cls = caller.class;
  const rules: ClassRules = cls === 'user' ? state.policy.user : state.policy.public;
  const who = CLASS_ZH[cls];
  if (cls === 'public' && !state.policy.public.enabled) {
    return deny(
      'public-disabled',
      undefined,
      {
        zh: '未登录的调用方（网页、HTTP、无 token 的控制台测试）已被禁止使用 genScheme。',
        en: 'Public callers (web, HTTP, console tests without the admin token) are switched off.',
      },
      {
        zh: '从小程序内调用；控制台测试请在事件中带 adminToken；或设置 GENSCHEME_PUBLIC=on。',
        en: 'Call from the mini program; in a console test add adminToken to the event; or set GENSCHEME_PUBLIC=on.',
      },
      PUBLIC_DISABLED,
    );
  }
  // "Add it to the policy's <class>.<key>": the way out of most denials.
  const add = (key: string) => ({ zh: `需要时在策略 ${cls}.${key} 中加入。`, en: `Add it to the policy's ${cls}.${key} if needed.` });
  if (!rules.actions.includes(ask.action)) {
    const allowed = rules.actions.join(', ');
    return deny(
      'action',
      'action',
      { zh: `${who}不能使用 action "${ask.action}"。`, en: `A ${cls} caller may not use action "${ask.action}".` },
      { zh: `允许的 action：${allowed || '无'}。${add('actions').zh}`, en: `Allowed: ${allowed || 'none'}. ${add('actions').en}` },
    );
  }
  if (ask.path !== undefined && !rules.pages.includes('*')) {
    const page = ask.path.replace(/^\//, '');
    const allowed = rules.pages.map((p) => p.replace(/^\//, ''));
    if (!allowed.includes(page)) {
      return deny(
        'page',
        ask.fields?.path ?? 'jumpWxa.path',
        { zh: `${who}不能生成指向页面 "${page || '（首页）'}" 的链接。`, en: `A ${cls} caller may not link to page "${page || '(home)'}".` },
        { zh: `允许的页面：${allowed.join(', ')}。${add('pages').zh}`, en: `Allowed pages: ${allowed.join(', ')}. ${add('pages').en}` },
      );
    }
  }
  if (ask.envVersion !== undefined && !rules.envVersions.includes(ask.envVersion as EnvVersion)) {
    return deny(
      'envVersion',
      ask.fields?.envVersion ?? 'jumpWxa.envVersion',
      {
        zh: `${who}不能生成 ${ask.envVersion} 版本的链接（只允许 ${rules.envVersions.join(', ')}）。`,
        en: `A ${cls} caller may not create ${ask.envVersion} links (allowed: ${rules.envVersions.join(', ')}).`,
      },
      {
        zh: `体验版/开发版链接请由管理员生成（adminToken 或管理员 OPENID），或在策略 ${cls}.envVersions 中加入。`,
        en: `Have an admin create trial/develop links (adminToken or an admin OPENID), or add it to the policy's ${cls}.envVersions.`,
      },
    );
  }
  if (ask.days !== undefined && ask.days > rules.maxDays) {
    return deny(
      'days',
      ask.daysField ?? 'expireInterval',
      {
        zh: `${who}生成的链接最长有效 ${rules.maxDays} 天，本次请求 ${ask.days} 天。`,
        en: `A ${cls} caller's links may live at most ${rules.maxDays} days; this asks for ${ask.days}.`,
      },
      { zh: `把有效期缩短到 ${rules.maxDays} 天以内。`, en: `Ask for ${rules.maxDays} days or fewer.` },
    );
  }
  if (ask.queryLength !== undefined && ask.queryLength > rules.maxQueryLength) {
    return deny(
      'queryLength',
      ask.fields?.query ?? 'jumpWxa.query',
      {
        zh: `${who}的 query 最长 ${rules.maxQueryLength} 个字符，本次为 ${ask.queryLength}。`,
        en: `A ${cls} caller's query may be at most ${rules.maxQueryLength} characters; this one has ${ask.queryLength}.`,
      },
      { zh: '缩短 query。', en: 'Shorten the query.' },
    );
  }
  return null;
}

/**
 * Whether a caller may read what WeChat knows about a link (action "query"): only links it could
 * have created itself, its allowed pages and versions. Otherwise any user could read the page and
 * parameters of any link of the mini program, another recipient's or a develop one.
 */
export function mayRead(state: PolicyState, caller: Caller, link: { path: string; envVersion: string }): boolean {
  return authorize(state, caller, { action: 'query', path: link.path, envVersion: link.envVersion || undefined }) === null;
}
