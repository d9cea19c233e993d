/**
 * What the 链接管理 page (pages/links) shows, built from the function's replies: a link's row, the
 * bars of its days, a failure's texts, the kinds offered.
 */
import { GenSchemeCallError } from '../services/genscheme';
import type { ErrorReply, LinkStatsDay, ListLinksReply, StableLink, StableLinkKind } from '../shared/contract';

/** The tallest bar, in rpx. */
const BAR_MAX_RPX = 200;

export type ListedLink = ListLinksReply['links'][number];

export interface LinkRow {
  code: string;
  name: string;
  target: string;
  kindLabel: string;
  visits: number;
  opens: number;
  disabled: boolean;
  url: string;
  toggling: boolean;
}

export interface BarView {
  date: string;
  /** The day of the month under the bars (the range is in the title). */
  label: string;
  visits: number;
  opens: number;
  visitsHeight: number;
  opensHeight: number;
}

export interface FailureView {
  message: string;
  hint: string;
  code: string;
}

export const KIND_OPTIONS: Array<{ value: StableLinkKind; label: string }> = [
  { value: 'scheme', label: 'URL Scheme' },
  { value: 'urllink', label: 'URL Link' },
];
export const isKind = (value: unknown): value is StableLinkKind => value === 'scheme' || value === 'urllink';

export function rowOf(link: ListedLink | (StableLink & { visits: number; opens: number })): LinkRow {
  return {
    code: link.code,
    name: link.name || link.code,
    target: `${link.path || '首页'}${link.query ? `?${link.query}` : ''}`,
    kindLabel: link.kind === 'urllink' ? 'URL Link' : 'URL Scheme',
    visits: link.visits,
    opens: link.opens,
    disabled: link.disabled,
    url: link.url ?? '',
    toggling: false,
  };
}

/** Heights proportional to the busiest day's count (visits or opens); a non-zero day stays visible. */
export function barsOf(days: LinkStatsDay[]): BarView[] {
  const max = Math.max(1, ...days.map((d) => Math.max(d.visits, d.opens)));
  const height = (n: number) => (n > 0 ? Math.max(2, Math.round((n / max) * BAR_MAX_RPX)) : 0);
  return days.map((d) => ({
    date: d.date,
    label: d.date.slice(8),
    visits: d.visits,
    opens: d.opens,
    visitsHeight: height(d.visits),
    opensHeight: height(d.opens),
  }));
}

export function sum(days: LinkStatsDay[], key: 'visits' | 'opens'): number {
  return days.reduce((total, d) => total + d[key], 0);
}

export function failureOf(reply: ErrorReply): FailureView {
  return { message: reply.message.zh, hint: reply.hint.zh, code: `错误码 ${reply.errcode}` };
}

export function callFailureOf(err: unknown): FailureView {
  if (err instanceof GenSchemeCallError) return { message: err.zh, hint: err.hintZh, code: err.errCode !== undefined ? `错误码 ${err.errCode}` : '' };
  return { message: `操作失败：${err instanceof Error ? err.message : String(err)}`, hint: '请稍后重试。', code: '' };
}
