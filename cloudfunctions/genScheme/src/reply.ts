/**
 * The one place a Failure becomes the caller's ErrorReply. Every text is clipped here once more,
 * so a reply stays small whatever the event held.
 */
import type { Action, ErrorReply, Warning } from '../../../miniprogram/shared/contract';
import { clip, type Bilingual, type Failure } from '../../../miniprogram/shared/failure';
import { callerMayRetry } from './wechat/catalogue';

const TEXT_MAX = 600;

const clipBoth = (text: Bilingual): Bilingual => ({ zh: clip(text.zh, TEXT_MAX), en: clip(text.en, TEXT_MAX) });

export function errorReply(failure: Failure, action: Action, extra: { attempts?: number; warnings?: Warning[] } = {}): ErrorReply {
  const message = clipBoth(failure.message);
  const reply: ErrorReply = {
    errcode: failure.errcode,
    // WeChat's own text when there is one (it carries WeChat's request id), else ours.
    errmsg: clip(failure.detail ?? (failure.field ? `${failure.field}: ${message.en}` : message.en), TEXT_MAX),
    message,
    hint: clipBoth(failure.hint),
    retryable: callerMayRetry(failure.errcode),
    source: failure.source,
    action,
  };
  if (failure.field !== undefined) reply.field = clip(failure.field, 100);
  if (failure.rule !== undefined) reply.rule = failure.rule;
  if (failure.retryAfterMs !== undefined) reply.retryAfterMs = failure.retryAfterMs;
  if (extra.attempts) reply.attempts = extra.attempts;
  if (extra.warnings?.length) reply.warnings = extra.warnings;
  return reply;
}
