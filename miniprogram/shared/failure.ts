/**
 * genScheme's one failure type, carried unchanged from the check that finds a problem to the
 * reply: a broken platform rule, a policy refusal, WeChat's or CloudBase's error, a time budget
 * spent. The function turns it into an ErrorReply (contract.ts) in one place (reply.ts).
 */

export interface Bilingual {
  zh: string;
  en: string;
}

/** Where a failure was found. */
export type FailureSource = 'input' | 'policy' | 'wechat' | 'cloud' | 'genscheme';

export interface Failure {
  /** WeChat's errcode for the same problem where it has one, a cloud-call errCode, or genScheme's own (-9000xx). */
  errcode: number;
  source: FailureSource;
  /** Stable id of the rule broken, e.g. `query.maxLength`, `policy.envVersion`: greppable in the code. */
  rule?: string;
  /** Dotted path of the field at fault, as the caller spelt it (`jumpWxa.query`, `jump_wxa.query`). */
  field?: string;
  /** What went wrong, in words a mini-program team can act on. */
  message: Bilingual;
  /** What to do about it. */
  hint: Bilingual;
  /** For limits: when trying again can succeed. */
  retryAfterMs?: number;
  /** The text WeChat or the SDK gave, as it was (it carries WeChat's request id). */
  detail?: string;
}

/** A rule the request itself breaks, found before anything was spent. */
export function inputFailure(parts: { errcode: number; field: string; rule: string; message: Bilingual; hint: Bilingual }): Failure {
  return { source: 'input', ...parts };
}

/** Caller text shown in a message: cut short so a reply stays small whatever the event holds. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
