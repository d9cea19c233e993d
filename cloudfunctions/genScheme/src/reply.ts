/**
 * The one place that turns anything that went wrong — a broken rule, a policy denial, an error
 * thrown by wx-server-sdk, a bug — into genScheme's reply. Nothing escapes as an exception.
 */
import type { Action, ErrorReply, FailureSource, Warning } from '../../../miniprogram/shared/contract';
import type { Problem } from '../../../miniprogram/shared/rules';
import { lookup, INTERNAL, type CatalogueEntry } from './catalogue';
import { codeOf } from './retry';

/** What the caller may do about a failure: try again later when a retry can help at all. */
const retryable = (entry: CatalogueEntry) => entry.retry === 'backoff' || entry.retry === 'pause';

/** A rule broken by the request itself (found before any call): nothing was spent. */
export function problemReply(problem: Problem, action: Action, source: FailureSource = 'input'): ErrorReply {
  return {
    errcode: problem.errcode,
    errmsg: `${problem.field}: ${problem.en}`,
    message: { zh: problem.zh, en: problem.en },
    hint: { zh: problem.hintZh, en: problem.hintEn },
    field: problem.field,
    rule: problem.rule,
    retryable: retryable(lookup(problem.errcode)),
    source,
    action,
  };
}

function errMsgOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const e = error as { errMsg?: unknown; errmsg?: unknown; message?: unknown };
    const text = e.errMsg ?? e.errmsg ?? e.message;
    if (typeof text === 'string') return text.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/** A failure reported by wx-server-sdk (WeChat's errcode or a cloud-call code), after retries. */
export function thrownReply(error: unknown, action: Action, attempts: number, warnings: Warning[] = []): ErrorReply {
  const code = codeOf(error) ?? INTERNAL;
  const entry = lookup(code);
  const raw = errMsgOf(error);
  const retried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const retriedZh = attempts > 1 ? `（已尝试 ${attempts} 次）` : '';
  return {
    errcode: code,
    errmsg: raw,
    message: { zh: `${entry.zh}${retriedZh}`, en: `${entry.en}${retried}` },
    hint: { zh: entry.fixZh, en: entry.fixEn },
    retryable: retryable(entry),
    source: entry.source,
    action,
    attempts,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** A reply built from one of genScheme's own codes with a specific message. */
export function ownReply(
  code: number,
  action: Action,
  source: FailureSource,
  message: { zh: string; en: string },
  hint?: { zh: string; en: string },
  extra: Partial<ErrorReply> = {},
): ErrorReply {
  const entry = lookup(code);
  return {
    errcode: code,
    errmsg: message.en,
    message,
    hint: hint ?? { zh: entry.fixZh, en: entry.fixEn },
    retryable: retryable(entry),
    source,
    action,
    ...extra,
  };
}
