/**
 * What the stable-link actions share: the code and cq checks, the per-instance cache of links
 * (≤ 5 s, so a disabled link stops resolving on every instance within 10 s), the StableLink
 * of a reply, and the failures for an unknown, disabled or unreachable link.
 */
import type { StableLink } from '../../../../miniprogram/shared/contract';
import { checkCq } from '../../../../miniprogram/shared/checks';
import { inputFailure, type Failure } from '../../../../miniprogram/shared/failure';
import { STABLE_CODE_PATTERN, STABLE_LINK_MARKER, stableLinkCq, stableLinkUrl } from '../../../../miniprogram/shared/stable-links';
import type { EnvVersion } from '../../../../miniprogram/shared/platform';
import type { Settings } from '../settings';
import { StateUnavailable, type StableLinkRecord } from '../state/port';
import { lookup } from '../wechat/catalogue';
import { INVALID_FIELD, STABLE_DISABLED, STABLE_NOT_FOUND, STABLE_UNAVAILABLE } from '../wechat/codes';
import type { ActionFailure } from '../actions/action';

/** How long an instance trusts a link it read: well inside the 10 s promised for a disable. */
export const STABLE_LINK_CACHE_MS = 5_000;

/**
 * While the database does not answer, a copy up to this old still serves: together with the cache
 * it keeps the promise that a disabled link stops resolving within 10 s.
 */
export const STABLE_LINK_STALE_MS = 10_000;

/** Links this instance read lately, each trusted for STABLE_LINK_CACHE_MS (STABLE_LINK_STALE_MS while the database is away). */
export class StableLinkCache {
  private readonly entries = new Map<string, { record: StableLinkRecord; at: number }>();

  constructor(private readonly capacity = 1000) {}

  get(code: string, nowMs: number, maxAgeMs = STABLE_LINK_CACHE_MS): StableLinkRecord | undefined {
    const entry = this.entries.get(code);
    if (!entry) return undefined;
    if (nowMs - entry.at >= maxAgeMs || nowMs < entry.at) {
      if (nowMs - entry.at >= STABLE_LINK_STALE_MS || nowMs < entry.at) this.entries.delete(code);
      return undefined;
    }
    return entry.record;
  }

  put(record: StableLinkRecord, nowMs: number): void {
    this.entries.delete(record.code);
    this.entries.set(record.code, { record, at: nowMs });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(code: string): void {
    this.entries.delete(code);
  }
}

/** A code as given by the caller: letters, digits, `-`, `_`, 3–32 characters. */
export function checkCode(code: string, field = 'code'): Failure | null {
  if (STABLE_CODE_PATTERN.test(code)) return null;
  return inputFailure({
    errcode: INVALID_FIELD,
    field,
    rule: 'link.code',
    message: { zh: `${field} 只能由字母、数字、- 和 _ 组成，长 3–32 个字符。`, en: `${field} must be 3–32 letters, digits, - or _.` },
    hint: { zh: '例如 spring-sms；不填时 genScheme 生成一个。', en: 'For example spring-sms; leave it out and genScheme makes one.' },
  });
}

/** A link's own cq: the cq rules (§2), without the marker's key, and still within 256 characters once the marker joins it. */
export function checkLinkCq(cq: string, code: string, field = 'cq'): Failure | null {
  const own = checkCq(cq, field);
  if (own) return own;
  if (cq.split('&').some((pair) => pair.split('=')[0] === STABLE_LINK_MARKER)) {
    return inputFailure({
      errcode: INVALID_FIELD,
      field,
      rule: 'link.cqMarker',
      message: {
        zh: `${field} 不能使用键 ${STABLE_LINK_MARKER}：它是稳定链接的标记，genScheme 自动加上。`,
        en: `${field} may not use the key ${STABLE_LINK_MARKER}: it is the stable link's marker, which genScheme adds itself.`,
      },
      hint: { zh: '换一个键名。', en: 'Use another key.' },
    });
  }
  const joined = checkCq(stableLinkCq(cq, code), field);
  if (joined) {
    return inputFailure({
      errcode: 40212,
      field,
      rule: 'link.cqLength',
      message: {
        zh: `${field} 加上标记 ${STABLE_LINK_MARKER}=${code} 后超过 cq 的上限。`,
        en: `${field} with the marker ${STABLE_LINK_MARKER}=${code} exceeds the cq limit.`,
      },
      hint: {
        zh: '缩短 cq 或 code（cq 最多 256 个字符，含标记）。',
        en: 'Shorten the cq or the code (a cq holds at most 256 characters, the marker included).',
      },
    });
  }
  return null;
}

export function toStableLink(record: StableLinkRecord, settings: Settings): StableLink {
  const link: StableLink = {
    code: record.code,
    name: record.name,
    kind: record.kind,
    path: record.path,
    query: record.query,
    envVersion: record.envVersion as EnvVersion,
    cq: record.cq,
    disabled: record.disabled,
    createdAt: record.createdAt,
  };
  if (settings.h5BaseUrl) link.url = stableLinkUrl(settings.h5BaseUrl, record.code);
  return link;
}

export function notFound(code: string): ActionFailure {
  const row = lookup(STABLE_NOT_FOUND);
  return {
    failure: {
      errcode: STABLE_NOT_FOUND,
      source: 'genscheme',
      rule: 'link.notFound',
      field: 'code',
      message: { zh: `找不到稳定链接 "${code}"。`, en: `Stable link "${code}" not found.` },
      hint: row.fix,
    },
  };
}

export function disabled(code: string): ActionFailure {
  const row = lookup(STABLE_DISABLED);
  return {
    failure: {
      errcode: STABLE_DISABLED,
      source: 'genscheme',
      rule: 'link.disabled',
      field: 'code',
      message: { zh: `稳定链接 "${code}" 已停用。`, en: `Stable link "${code}" is disabled.` },
      hint: row.fix,
    },
  };
}

export function unavailable(rule: 'link.database' | 'link.renewing', retryAfterMs = 1000): ActionFailure {
  const row = lookup(STABLE_UNAVAILABLE);
  const message =
    rule === 'link.database'
      ? {
          zh: '稳定链接保存在云数据库中，而数据库暂时不可用；genScheme 不会凭空给出链接。',
          en: 'Stable links live in the CloudBase database, which is unavailable; genScheme does not invent a link.',
        }
      : { zh: '这个稳定链接的新票据正在由另一个实例生成。', en: "This stable link's new ticket is being made by another instance." };
  return { failure: { errcode: STABLE_UNAVAILABLE, source: 'genscheme', rule, retryAfterMs, message, hint: row.fix } };
}

/** Runs a stable-link step; a database outage becomes the retryable failure instead of a throw. */
export async function orUnavailable<T>(step: () => Promise<T>): Promise<T | ActionFailure> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StateUnavailable) return unavailable('link.database');
    throw error;
  }
}

export function isActionFailure(value: unknown): value is ActionFailure {
  return typeof value === 'object' && value !== null && 'failure' in value;
}

/** The link for `code`, from this instance's cache (≤ 5 s old) or the state. */
export async function readLink(
  code: string,
  cache: StableLinkCache,
  read: (code: string) => Promise<StableLinkRecord | null>,
  nowMs: number,
): Promise<StableLinkRecord | null> {
  const cached = cache.get(code, nowMs);
  if (cached) return cached;
  let record: StableLinkRecord | null;
  try {
    record = await read(code);
  } catch (error) {
    // Slow or failing: a copy read within the last 10 s still answers (see STABLE_LINK_STALE_MS).
    const stale = cache.get(code, nowMs, STABLE_LINK_STALE_MS);
    if (stale) return stale;
    throw error;
  }
  if (record) cache.put(record, nowMs);
  return record;
}
