/**
 * The admin token: an event carrying GENSCHEME_ADMIN_TOKEN is trusted (a console test with full
 * rights). A token is a password, so it must be strong, and guessing it must be slow: failed
 * attempts are counted per caller, and past the limit every event carrying a token is refused
 * before the token is even compared — the right one too.
 *
 * The order of a judgement:
 *  1. a failure slot is reserved in this instance's memory synchronously, before anything is
 *     awaited: a burst of guesses arriving together is counted before any of it is compared;
 *  2. one guess at a time per caller on this instance, the shared failure count (every
 *     instance's) is read, and at or over the limit refuses without comparing;
 *  3. only then is the token compared; a wrong one takes a slot of the shared window, the right
 *     one gives its reservation back.
 * Sequential guesses thus get at most 5 comparisons in the window whatever the number of
 * instances; guesses that reach several fresh instances at the same moment can each be compared
 * before any of them is recorded (at most 5 per instance), as no read-then-take is atomic.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { LimitsPort } from '../state';
import { RATE_LIMITED } from '../wechat/codes';
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
  /** Per caller key, the judgement running on this instance: the next one waits for it. */
  private readonly turns = new Map<string, Promise<void>>();

  /** `expected` is the configured token, or undefined when none is set or it is too weak. */
  constructor(
    private readonly expected: string | undefined,
    private readonly state?: LimitsPort,
  ) {}

  /** Judges the token an event carried. A wrong one is counted; a caller at the limit is refused uncompared. */
  async judge(given: string, caller: Caller, now: number): Promise<TokenVerdict> {
    const key = callerKey(caller);
    // 1. Synchronously, before any await: this instance's burst is counted before it is compared.
    const room = this.failures.take(key, now);
    if (!room.ok) return { trusted: false, refused: throttled(room.retryAfterMs) };
    // 2–3 one guess at a time per caller on this instance: each reads a shared count that holds
    // every failure before it (nothing counted twice, nothing missed), then is compared.
    const turn = (this.turns.get(key) ?? Promise.resolve()).then(() => this.judgeInTurn(given, key, now));
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(key, settled);
    void settled.then(() => this.turns.get(key) === settled && this.turns.delete(key));
    return turn;
  }

  private async judgeInTurn(given: string, key: string, now: number): Promise<TokenVerdict> {
    // 2. The shared count (every instance's failures), read before comparing.
    const window = { key: `admin-token:${key}`, limit: ADMIN_TOKEN_FAILURES, windowMs: ADMIN_TOKEN_WINDOW_MS };
    const shared = await this.state?.peek(window, now);
    if (shared && shared.used >= ADMIN_TOKEN_FAILURES) {
      this.fill(key, now);
      return { trusted: false, refused: throttled(shared.retryAfterMs || ADMIN_TOKEN_WINDOW_MS) };
    }
    // 3. Compare; the right token gives its reservation back.
    if (tokenMatches(given, this.expected)) {
      this.failures.release(key, now);
      return { trusted: true };
    }
    const recorded = await this.state?.admit(window, now);
    if (recorded && !recorded.ok) {
      this.fill(key, now);
      return { trusted: false, refused: throttled(recorded.retryAfterMs) };
    }
    return { trusted: false };
  }

  /** Other instances already saw this caller's failures: fill this instance's memory too. */
  private fill(key: string, now: number): void {
    while (this.failures.check(key, now).ok) this.failures.take(key, now);
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
