/**
 * The two kinds of link genScheme issues, one row each: the WeChat API that makes it, what that API
 * is sent, where the link is in its answer, how the link's ticket is read and how a custom
 * parameter is joined to it. generate, urllink and the stable-link renewal all issue through
 * links/issue.ts, which reads the row of the target's kind; replies join cq through it.
 */
import { appendCq, ticketOf } from '../../../../miniprogram/shared/links';
import { appendUrlLinkCq, urlLinkTicketOf } from '../../../../miniprogram/shared/url-links';
import type { LinkKind } from '../state';
import type { ApiName } from '../wechat/openapi';
import type { Expiry } from './expiry';

/** Where a link leads, as WeChat is sent it. */
export interface LinkTarget {
  path: string;
  query: string;
  envVersion: string;
}

export interface KindRow {
  api: ApiName;
  /** What WeChat is sent for a target and an expiry. */
  request(target: LinkTarget, expiry: Expiry['call']): Record<string, unknown>;
  /** The answer's field that holds the link. */
  replyField: 'openlink' | 'urlLink';
  /** The link's ticket, or null when the text is not a link of this kind. */
  ticketOf(link: string): string | null;
  /** The link with a custom parameter joined the way this kind takes it. */
  joinCq(link: string, cq: string): string;
  /** Said when WeChat answers success without a link. */
  noLink: { rule: string; zh: string; en: string };
}

export const LINK_KINDS: Readonly<Record<LinkKind, KindRow>> = {
  // platform-rules §1: the target nested in jumpWxa; cq joined with `&cq=` (§2).
  scheme: {
    api: 'urlscheme.generate',
    request: (target, expiry) => ({ jumpWxa: target, ...expiry }),
    replyField: 'openlink',
    ticketOf,
    joinCq: appendCq,
    // §1: an empty answer comes back from the SDK as "success" without a link.
    noLink: {
      rule: 'wechat.noOpenlink',
      zh: '微信返回成功，但回复中没有有效的 openlink。',
      en: 'WeChat answered success, but the reply holds no valid openlink.',
    },
  },
  // §8: flat fields (the SDK writes them in snake_case); cq joined with `?cq=`.
  urllink: {
    api: 'urllink.generate',
    request: (target, expiry) => ({ ...target, ...expiry }),
    replyField: 'urlLink',
    ticketOf: urlLinkTicketOf,
    joinCq: appendUrlLinkCq,
    noLink: {
      rule: 'wechat.noUrlLink',
      zh: '微信返回成功，但回复中没有有效的 url_link。',
      en: 'WeChat answered success, but the reply holds no valid url_link.',
    },
  },
};

/** The link of this kind in WeChat's answer, or null when it holds none. */
export function linkIn(kind: KindRow, answer: unknown): string | null {
  const value = (answer as Partial<Record<KindRow['replyField'], unknown>> | undefined)?.[kind.replyField];
  return typeof value === 'string' && kind.ticketOf(value) ? value : null;
}
