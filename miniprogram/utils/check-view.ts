/**
 * The sample page's link check (pages/index): what is wrong with a pasted link before any call,
 * and what WeChat says about it, ready to show.
 */
import type { QueryReply } from '../shared/contract';
import { isEnvVersion } from '../shared/checks';
import { ticketOf } from '../shared/links';
import { SCHEME_PREFIX, type EnvVersion } from '../shared/platform';
import { checkUrlLink, looksLikeUrlLink } from '../shared/url-links';
import { formatLocalTime } from './time';

export const ENV_LABELS: Record<EnvVersion, string> = { release: '正式版', trial: '体验版', develop: '开发版' };

export interface QueryProblemView {
  zh: string;
  hintZh: string;
}

/** What WeChat knows about a checked link, ready to show. */
export interface CheckedView {
  /** 加密 Scheme / 明文 Scheme */
  kind: string;
  path: string;
  query: string;
  version: string;
  createText: string;
  expireText: string;
  expired: boolean;
  warnings: string[];
}

const LINK_EXAMPLE_HINT = '请粘贴完整链接,例如 weixin://dl/business/?t=XXXX(可带 &cq=…),或明文链接 weixin://dl/business/?appid=…&path=…。';
const URL_LINK_HINT = '请粘贴完整的 URL Link,例如 https://wxaurl.cn/XXXX(可带 ?cq=…)。';

/**
 * The checks genScheme makes before asking WeChat (an encrypted link with a valid ticket, or a
 * plaintext one with an appid), made here first so a typo costs no call. Null when it may be sent.
 */
export function schemeProblemOf(scheme: string): QueryProblemView | null {
  if (scheme === '') return { zh: '请先粘贴要检查的链接。', hintZh: LINK_EXAMPLE_HINT };
  if (looksLikeUrlLink(scheme)) {
    // §8: the same check genScheme makes (host, ticket, ?cq=).
    const checked = checkUrlLink(scheme, '链接');
    return 'failure' in checked ? { zh: checked.failure.message.zh, hintZh: checked.failure.hint.zh || URL_LINK_HINT } : null;
  }
  if (!scheme.startsWith(SCHEME_PREFIX)) {
    return { zh: `这不是小程序的 URL Scheme 链接：应以 ${SCHEME_PREFIX} 开头。`, hintZh: LINK_EXAMPLE_HINT };
  }
  if (ticketOf(scheme) !== null || isPlaintextScheme(scheme)) return null;
  if (/[?&]t=/.test(scheme)) {
    return {
      zh: '链接中 t= 之后的内容不完整或含有不允许的字符。',
      hintZh: '重新复制完整链接：t= 之后只有英文字母、数字、_ 和 -，到 & 或链接末尾为止。',
    };
  }
  return { zh: '链接不完整：既没有 t=（加密链接），也没有 appid=（明文链接）。', hintZh: LINK_EXAMPLE_HINT };
}

/** The same test genScheme applies to a plaintext link. */
function isPlaintextScheme(scheme: string): boolean {
  return scheme.startsWith(SCHEME_PREFIX) && /[?&]appid=/.test(scheme);
}

function versionLabel(envVersion: string): string {
  if (isEnvVersion(envVersion)) return `${ENV_LABELS[envVersion]} ${envVersion}`;
  return envVersion === '' ? '未知' : envVersion;
}

export function checkedOf(reply: QueryReply, scheme: string): CheckedView {
  return {
    kind: reply.kind === 'urllink' || looksLikeUrlLink(scheme) ? 'URL Link' : ticketOf(scheme) !== null ? '加密 Scheme' : '明文 Scheme',
    path: reply.path === '' ? '首页' : reply.path,
    query: reply.query === '' ? '无' : reply.query,
    version: versionLabel(reply.envVersion),
    createText: reply.createTime > 0 ? formatLocalTime(reply.createTime) : '未知',
    expireText: reply.expireTime === 0 ? '永久有效(明文 Scheme)' : formatLocalTime(reply.expireTime),
    expired: reply.expired,
    // The expired warning is shown as the 已过期 marker instead.
    warnings: (reply.warnings ?? [])
      .filter((w) => w.code !== 'query.expired')
      .map((w) => w.zh)
      .filter((zh) => typeof zh === 'string' && zh !== ''),
  };
}
