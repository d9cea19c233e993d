/**
 * The admin token: an event carrying GENSCHEME_ADMIN_TOKEN is trusted (a console test with full
 * rights). A token is a password, so it must be strong, and guessing it must be slow: failed
 * attempts are counted per caller, and past the limit every event carrying a token is refused
 * before the token is even compared.
 *
 * Failures are counted in the shared state (every instance sees them) and mirrored in this
 * instance's memory, which is what is checked before comparing: the shared state only offers an
 * atomic "take a slot". So across N warm instances a guesser gets at most 5 + N − 1 comparisons
 * in the window: each other instance compares once more before its own memory learns the limit.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { LimitsPort } from '../state';
import { RATE_LIMITED } from '../wechat/catalogue';
import { callerKey, tokenMatches, type Caller } from './caller';
import { WindowLimiter } from './window-limiter';

/** Shorter than this, a token can be guessed. */
export const ADMIN_TOKEN_MIN_LENGTH = 16;
/** Failed attempts a caller may make in ADMIN_TOKEN_WINDOW_MS. */
export const ADMIN_TOKEN_FAILURES = 5;
export const ADMIN_TOKEN_WINDOW_MS = 10 * 60_000;
/** Placeholders from our docs and common examples: never a real secret. */
const EXAMPLE_TOKENS = ['change-me', 'changeme', 'change-me-admin-token', 'your-admin-token', 'admin-token', '<that value>', 'genscheme-admin-token'];

/** Why a configured token cannot be used, or null when it is fine. */
export function weakTokenReason(token: string): string | null {
  const lower = token.toLowerCase();
  if (EXAMPLE_TOKENS.some((example) => lower === example || lower.startsWith('change-me'))) return 'it is an example value from the documentation';
  if (token.length < ADMIN_TOKEN_MIN_LENGTH) return `it has ${token.length} characters; at least ${ADMIN_TOKEN_MIN_LENGTH} are needed`;
  if (new Set(token).size < 6) return 'it repeats too few distinct characters';
  return null;
}

export type TokenVerdict = { trusted: true } | { trusted: false; refused?: Failure };

export class AdminTokenGuard {
  private readonly failures = new WindowLimiter(ADMIN_TOKEN_FAILURES, ADMIN_TOKEN_WINDOW_MS);

  /** `expected` is the configured token, or undefined when none is set or it is too weak. */
  constructor(
    private readonly expected: string | undefined,
    private readonly state?: LimitsPort,
  ) {}

  /** Judges the token an event carried. A wrong one is counted; a caller over the limit is refused. */
  async judge(given: string, caller: Caller, now: number): Promise<TokenVerdict> {
    const key = callerKey(caller);
    const room = this.failures.check(key, now);
    if (!room.ok) return { trusted: false, refused: throttled(room.retryAfterMs) };
    if (tokenMatches(given, this.expected)) return { trusted: true };
    this.failures.take(key, now);
    const shared = await this.state?.admit({ key: `admin-token:${key}`, limit: ADMIN_TOKEN_FAILURES, windowMs: ADMIN_TOKEN_WINDOW_MS }, now);
    if (shared && !shared.ok) {
      // Other instances already saw this caller's failures: fill this instance's memory too.
      while (this.failures.check(key, now).ok) this.failures.take(key, now);
      return { trusted: false, refused: throttled(shared.retryAfterMs) };
    }
    return { trusted: false };
  }
}

function throttled(retryAfterMs: number): Failure {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return {
    errcode: RATE_LIMITED,
    source: 'policy',
    rule: 'policy.rate-admin-token',
    field: 'adminToken',
    retryAfterMs,
    message: {
      zh: `adminToken 错误次数过多：每个调用方 ${ADMIN_TOKEN_WINDOW_MS / 60_000} 分钟内最多错 ${ADMIN_TOKEN_FAILURES} 次。`,
      en: `Too many wrong adminToken attempts: at most ${ADMIN_TOKEN_FAILURES} per caller in ${ADMIN_TOKEN_WINDOW_MS / 60_000} minutes.`,
    },
    hint: {
      zh: `${minutes} 分钟后再试，并核对云函数的 GENSCHEME_ADMIN_TOKEN。`,
      en: `Try again in ${minutes} min, and check the function's GENSCHEME_ADMIN_TOKEN.`,
    },
  };
}
