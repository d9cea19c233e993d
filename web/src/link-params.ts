/**
 * What the jump page reads from its own URL. The URL is written by the shared link helpers
 * (miniprogram/shared/links.ts), which the cloud function uses for `h5Url` too;
 * test/web/e2e.test.ts checks that the function's h5Url opens exactly its openlink on the page:
 *
 *   encrypted link  weixin://dl/business/?t=TICKET[&cq=CQ]
 *                   ⇄ jump.html?t=TICKET[&cq=CQ]                 (+ optional path/query for the open tag)
 *   plaintext link  weixin://dl/business/?appid=APPID&path=P&query=Q&env_version=E
 *                   ⇄ jump.html?path=P&query=Q&env_version=E     (APPID comes from the page's config)
 *   live            jump.html[?cq=CQ]  when the page's config has `live` (a link generated on each visit)
 *   stable          jump.html?l=CODE   a stable link (stableLinkUrl): the page asks genScheme (resolveLink)
 *                                      for the live ticket behind the code, on every visit
 *
 * Every rule comes from the shared modules (§n = docs/platform-rules.md).
 */
import type { GenerateRequest } from '../../miniprogram/shared/contract';
import { checkCq, checkEnvVersion, checkPath, checkPlaintext, checkQuery, normalisePath } from '../../miniprogram/shared/checks';
import type { Failure } from '../../miniprogram/shared/failure';
import { appendCq, buildPlaintextLink } from '../../miniprogram/shared/links';
import { STABLE_CODE_PATTERN } from '../../miniprogram/shared/stable-links';
import { PAGE_PATH_PATTERN, SCHEME_PREFIX, TICKET_PATTERN, type EnvVersion } from '../../miniprogram/shared/platform';

/** What the page's configuration contributes to a link. */
export interface LinkConfig {
  /** The mini program's AppID (wx + 16 hex digits); needed for plaintext links. */
  appid?: string;
  /** Generate a fresh link on each visit for this page (see live.ts); null/absent = off. */
  live?: LiveTarget | null;
  /** The CloudBase environment id; with `appid`, needed by the modes that call genScheme (live, stable). */
  env?: string;
}

export interface LiveTarget {
  /** Page of the mini program; empty = home page. */
  path?: string;
  query?: string;
  envVersion?: EnvVersion;
}

export type JumpMode = 'ticket' | 'plaintext' | 'live' | 'stable';

/** Where the open tag (inside WeChat) should go: the page path and its query, when known. */
interface OpenTagTarget {
  /** Normalised page path (no leading `/`), or undefined when the URL did not say. */
  path?: string;
  query?: string;
}

export type JumpParams =
  | ({ ok: true; mode: 'ticket' | 'plaintext'; scheme: string } & OpenTagTarget)
  | ({ ok: true; mode: 'live'; scheme: null; request: GenerateRequest } & OpenTagTarget)
  /** A stable link: what it opens (scheme or URL Link, page and query) comes from genScheme's resolveLink. */
  | { ok: true; mode: 'stable'; scheme: null; code: string; path?: undefined; query?: undefined }
  | JumpError;

export interface JumpError {
  ok: false;
  /** What is wrong, for the visitor (Chinese) … */
  zh: string;
  /** … and for whoever maintains the campaign (English). */
  en: string;
  /** What the visitor can do, when there is something. */
  hintZh?: string;
  /** What whoever sent the link should fix (the rules module's hint), for the page's technical details. */
  fixZh?: string;
  /** The URL parameter at fault. */
  field?: string;
}

/** URL parameters the page reads; anything else (utm_*, SMS platforms' tracking) is ignored. */
const KNOWN = ['l', 't', 'cq', 'path', 'query', 'env_version'] as const;

/** Hints shared by several errors (each string once in the bundle: page weight). */
const RECOPY = '请重新复制完整的链接，或联系发送方获取新链接。';
const ASK_SENDER = '请联系发送链接的商家。';
const mangled = (what: string) => `链接不完整或已被改动（${what}不正确）。`;
const unconfigured = (what: string, en: string) => fail(`页面尚未配置${what}，暂时无法打开。`, en, 'appid', ASK_SENDER);

function fail(zh: string, en: string, field?: string, hintZh?: string): JumpError {
  return { ok: false, zh, en, field, hintZh };
}

function fromFailure(f: Failure, field: string): JumpError {
  return { ...fail(f.message.zh, f.message.en, field), fixZh: f.hint.zh };
}

/**
 * Checks the optional path/query that tell the open tag (and a plaintext link) where to go.
 * A plaintext link's query is checked by `checkPlaintext` instead (≤ 512 characters once
 * url-encoded, PR §3): it is url-encoded into the link, so any text fits — genScheme's
 * `plaintext` action issues `query=id=7&from=短信` and the page must open what it issues.
 */
function checkTarget(path: string | null, query: string | null, plaintext: boolean): JumpError | null {
  if (path !== null) {
    const noQuery = checkPath(path, null, 'path');
    if (noQuery) return fromFailure(noQuery, 'path');
    if (path !== '' && !PAGE_PATH_PATTERN.test(path)) {
      return fail(
        `path "${path}" 不是小程序页面路径（只能含字母、数字、_、-、. 和 /）。`,
        `path "${path}" is not a mini-program page path (letters, digits, _ - . and / only).`,
        'path',
      );
    }
    // "." and ".." are directory moves, never a page (pages/../../x would be passed on as is).
    if (path.split('/').some((segment) => /^\.+$/.test(segment))) {
      return fail(
        `path "${path}" 不是小程序页面路径（不能含 . 或 .. 这样的目录跳转）。`,
        `path "${path}" is not a mini-program page path (no "." or ".." segments).`,
        'path',
      );
    }
  }
  if (query !== null && !plaintext) {
    const bad = checkQuery(query, { field: 'query' });
    if (bad) return fromFailure(bad, 'query');
  }
  return null;
}

/**
 * Reads the jump page's URL query (`location.search`, with or without the leading `?`) and
 * returns the link to open, or why there is none. Never throws.
 *
 * Order of preference: `l` (a stable link: resolved by genScheme on each visit, and alone: it
 * takes no other link parameter) → `t` (a link generated beforehand: no call, no quota) → `path`
 * (a plaintext link built with the configured appid) → the configured live target.
 */
export function parseJumpParams(search: string, config: LinkConfig): JumpParams {
  const params = new URLSearchParams(search);
  for (const name of KNOWN) {
    if (params.getAll(name).length > 1) {
      return fail(`链接中的参数 ${name} 出现了多次。`, `The parameter ${name} appears more than once.`, name);
    }
  }
  const l = params.get('l');
  if (l !== null) return stable(l, params, config);
  const t = params.get('t');
  const cq = params.get('cq');
  const path = params.get('path');
  const query = params.get('query');
  const env = params.get('env_version');

  const targetProblem = checkTarget(path, query, t === null && path !== null);
  if (targetProblem) return targetProblem;
  // Checked whatever the mode: a ticket link ignores it, but a wrong value means a mangled link.
  if (env !== null) {
    const bad = checkEnvVersion(env, 'env_version');
    if (bad) return fromFailure(bad, 'env_version');
  }
  const target: OpenTagTarget = path === null ? {} : { path: normalisePath(path), query: query ?? '' };

  if (cq !== null) {
    const bad = checkCq(cq, 'cq');
    if (bad) return fromFailure(bad, 'cq');
  }

  if (t !== null) {
    if (!TICKET_PATTERN.test(t)) {
      return fail(mangled('t 参数'), `The ticket t="${t}" is not a WeChat scheme ticket (1–128 letters, digits, _ or -).`, 't', RECOPY);
    }
    const scheme = `${SCHEME_PREFIX}t=${t}`;
    return { ok: true, mode: 'ticket', scheme: cq === null ? scheme : appendCq(scheme, cq), ...target };
  }

  if (path !== null) {
    // PR §2: cq exists only on an encrypted scheme.
    if (cq !== null) {
      return fail('cq 参数只能和 t 参数一起使用。', 'cq can only be used together with t (an encrypted scheme).', 'cq');
    }
    const appid = config.appid ?? '';
    const parts = { appid, path, query: query ?? '', envVersion: (env ?? undefined) as EnvVersion | undefined };
    const bad = checkPlaintext(parts);
    if (bad) {
      if (bad.rule === 'plaintext.appid') {
        return unconfigured('小程序 AppID', `The page's config has no valid mini-program appid ("${appid}"); set appid in config.js.`);
      }
      return fromFailure(bad, bad.field === 'jumpWxa.query' ? 'query' : 'path');
    }
    return { ok: true, mode: 'plaintext', scheme: buildPlaintextLink(parts), ...target };
  }

  if (config.live) {
    const live = config.live;
    const request: GenerateRequest = {
      action: 'generate',
      jumpWxa: { path: live.path ?? '', query: live.query ?? '', ...(live.envVersion ? { envVersion: live.envVersion } : {}) },
      ...(cq !== null ? { cq } : {}),
    };
    return { ok: true, mode: 'live', scheme: null, request, path: normalisePath(live.path ?? ''), query: live.query ?? '' };
  }

  return fail(
    '链接不完整，缺少要打开的小程序页面。',
    'The link carries neither t (a generated link) nor path (a plaintext link), and the page has no live target.',
    't',
    RECOPY,
  );
}

/** `?l=CODE`: checked here, so a mangled code costs no call; the rest is genScheme's answer. */
function stable(code: string, params: URLSearchParams, config: LinkConfig): JumpParams {
  if (!STABLE_CODE_PATTERN.test(code)) {
    return fail(mangled(`链接代码 "${code}" `), `The stable link code l="${code}" is not a link code (3–32 letters, digits, _ or -).`, 'l', RECOPY);
  }
  // The code names everything the link opens; a t/path/cq beside it would be silently dropped.
  const other = KNOWN.find((name) => name !== 'l' && params.has(name));
  if (other) {
    return fail(`参数 l 不能和 ${other} 一起使用。`, `l (a stable link) cannot be combined with ${other}.`, other, RECOPY);
  }
  if (!config.appid || !config.env) {
    return unconfigured('小程序 AppID 或云开发环境', `A stable link (l=${code}) needs appid and env in config.js.`);
  }
  return { ok: true, mode: 'stable', scheme: null, code };
}
