/**
 * The cloud function's replies as the mini program reads them (services/genscheme.ts): one reader
 * per action, and the error reply with Chinese fallbacks.
 */
import type {
  Bilingual,
  CreateLinkReply,
  ErrorReply,
  GenerateReply,
  LandedReply,
  LinkCodeReply,
  LinkStatsDay,
  LinkStatsReply,
  ListLinksReply,
  QueryReply,
  StableLink,
  UpdateLinkReply,
  UrlLinkReply,
  Warning,
} from '../shared/contract';
import { SCHEME_PREFIX } from '../shared/platform';
import { urlLinkTicketOf } from '../shared/url-links';
import { FUNCTION_NAME } from './call-error';

/*
 * The readers check the fields the page reads and hand the page a reply it can trust: a reply that
 * breaks the contract in a field the page only decorates with (warnings, h5Url) still shows its link.
 * Fields are named through field<Reply>(), so renaming one in contract.ts breaks this file's type check.
 */

export function readGenerate(value: Record<string, unknown>): GenerateReply | null {
  const openlink = field<GenerateReply>(value, 'openlink');
  const expireTime = field<GenerateReply>(value, 'expireTime');
  const h5Url = field<GenerateReply>(value, 'h5Url');
  if (field<GenerateReply>(value, 'action') !== 'generate') return null;
  if (typeof openlink !== 'string' || !openlink.startsWith(SCHEME_PREFIX) || !isFiniteNumber(expireTime)) return null;
  const reply = { ...value, warnings: warningsOf(field<GenerateReply>(value, 'warnings')) } as unknown as GenerateReply;
  if (typeof h5Url !== 'string' || h5Url === '') delete reply.h5Url;
  return reply;
}

export function readUrlLink(value: Record<string, unknown>): UrlLinkReply | null {
  const urlLink = field<UrlLinkReply>(value, 'urlLink');
  if (field<UrlLinkReply>(value, 'action') !== 'urllink') return null;
  if (typeof urlLink !== 'string' || urlLinkTicketOf(urlLink) === null || !isFiniteNumber(field<UrlLinkReply>(value, 'expireTime'))) return null;
  return { ...value, warnings: warningsOf(field<UrlLinkReply>(value, 'warnings')) } as unknown as UrlLinkReply;
}

export function readQuery(value: Record<string, unknown>): QueryReply | null {
  const ok =
    field<QueryReply>(value, 'action') === 'query' &&
    typeof field<QueryReply>(value, 'path') === 'string' &&
    typeof field<QueryReply>(value, 'query') === 'string' &&
    typeof field<QueryReply>(value, 'envVersion') === 'string' &&
    isFiniteNumber(field<QueryReply>(value, 'createTime')) &&
    isFiniteNumber(field<QueryReply>(value, 'expireTime')) &&
    typeof field<QueryReply>(value, 'expired') === 'boolean';
  return ok ? ({ ...value, warnings: warningsOf(field<QueryReply>(value, 'warnings')) } as unknown as QueryReply) : null;
}

export function readLanded(value: Record<string, unknown>): LandedReply | null {
  if (field<LandedReply>(value, 'action') !== 'landed' || typeof field<LandedReply>(value, 'counted') !== 'boolean') return null;
  return { ...value, warnings: warningsOf(field<LandedReply>(value, 'warnings')) } as unknown as LandedReply;
}

export function readLinkCode(value: Record<string, unknown>): LinkCodeReply | null {
  const fileID = field<LinkCodeReply>(value, 'fileID');
  if (field<LinkCodeReply>(value, 'action') !== 'linkCode' || typeof fileID !== 'string' || !fileID.startsWith('cloud://')) return null;
  const tempFileURL = field<LinkCodeReply>(value, 'tempFileURL');
  return {
    ...value,
    tempFileURL: typeof tempFileURL === 'string' ? tempFileURL : '',
    warnings: warningsOf(field<LinkCodeReply>(value, 'warnings')),
  } as unknown as LinkCodeReply;
}

function isStableLink(value: unknown): value is StableLink {
  if (!isObject(value)) return false;
  const text = (key: keyof StableLink) => typeof value[key] === 'string';
  return (
    text('code') &&
    value.code !== '' &&
    text('name') &&
    text('path') &&
    text('query') &&
    text('cq') &&
    typeof value.disabled === 'boolean' &&
    (value.url === undefined || text('url'))
  );
}

export function readLinkReply<T extends CreateLinkReply | UpdateLinkReply>(value: Record<string, unknown>, action: T['action']): T | null {
  if (field<T>(value, 'action') !== action || !isStableLink(field<T>(value, 'link'))) return null;
  return { ...value, warnings: warningsOf(field<T>(value, 'warnings')) } as unknown as T;
}

export function readListLinks(value: Record<string, unknown>): ListLinksReply | null {
  const links = field<ListLinksReply>(value, 'links');
  if (field<ListLinksReply>(value, 'action') !== 'listLinks' || !Array.isArray(links)) return null;
  const isListed = (l: unknown) => isObject(l) && isFiniteNumber(l.visits) && isFiniteNumber(l.opens) && isStableLink(l);
  if (!links.every(isListed)) return null;
  return { ...value, warnings: warningsOf(field<ListLinksReply>(value, 'warnings')) } as unknown as ListLinksReply;
}

export function readLinkStats(value: Record<string, unknown>): LinkStatsReply | null {
  const days = field<LinkStatsReply>(value, 'days');
  if (field<LinkStatsReply>(value, 'action') !== 'linkStats' || typeof field<LinkStatsReply>(value, 'code') !== 'string' || !Array.isArray(days)) return null;
  const isDay = (d: unknown) =>
    isObject(d) && typeof d.date === 'string' && (['visits', 'opens', 'openers'] as Array<keyof LinkStatsDay>).every((k) => isFiniteNumber(d[k]));
  if (!days.every(isDay)) return null;
  return { ...value, warnings: warningsOf(field<LinkStatsReply>(value, 'warnings')) } as unknown as LinkStatsReply;
}

/**
 * An error reply with a number errcode is shown even when its texts are missing or empty (an older or
 * hand-written function, a proxy): what it has, with Chinese fallbacks, and never "undefined".
 */
export function readError(value: Record<string, unknown>): ErrorReply | null {
  const errcode = field<ErrorReply>(value, 'errcode');
  if (typeof errcode !== 'number' || !Number.isFinite(errcode)) return null;
  const rawErrmsg = field<ErrorReply>(value, 'errmsg');
  const errmsg = typeof rawErrmsg === 'string' ? rawErrmsg.trim() : '';
  const message = field<ErrorReply>(value, 'message') as Partial<Bilingual> | undefined;
  const hint = field<ErrorReply>(value, 'hint') as Partial<Bilingual> | undefined;
  const fallbackZh = `云函数 ${FUNCTION_NAME} 返回错误（错误码 ${errcode}）${errmsg ? `：${errmsg}` : ''}。`;
  return {
    ...value,
    errcode,
    errmsg,
    message: { zh: textOf(message?.zh) ?? fallbackZh, en: textOf(message?.en) ?? (errmsg || `errcode ${errcode}`) },
    hint: { zh: textOf(hint?.zh) ?? FALLBACK_HINT_ZH, en: textOf(hint?.en) ?? 'Try again later; if it keeps failing, read the function log.' },
    warnings: warningsOf(field<ErrorReply>(value, 'warnings')),
  } as ErrorReply;
}

const FALLBACK_HINT_ZH = `请稍后重试；若一直失败，请在云开发控制台 → 云函数 → ${FUNCTION_NAME} → 日志中查看原因。`;

/** Keeps the warnings the page can show: objects with a non-empty Chinese text. */
function warningsOf(value: unknown): Warning[] {
  if (!Array.isArray(value)) return [];
  return value.filter((w): w is Warning => isObject(w) && textOf(w.zh) !== undefined);
}

function field<T>(value: Record<string, unknown>, key: keyof T & string): unknown {
  return value[key];
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
