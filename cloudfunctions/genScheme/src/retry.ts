/**
 * Retries only what is worth retrying (platform-rules §1 error table): -1 "system busy" with
 * jittered exponential backoff, 44990 "more than 100 calls/s" after a pause into the next second.
 * Nothing else is retried: a rule violation, a permission or a daily cap does not heal itself.
 * Every wait must leave room for the call that follows it inside the function's time budget.
 */
import { lookup, type RetryKind } from './catalogue';
import type { Clock } from './clock';

export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  /** First backoff for -1; doubled each time, with jitter between half and all of it. */
  baseDelayMs: number;
  /** Pause after 44990: the platform counts per second (platform-rules §5), so wait one second plus jitter. */
  pauseMs: number;
  /** Time kept free for the last call and the reply. */
  reserveMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 120, pauseMs: 1000, reserveMs: 600 };

/** The errCode a wx-server-sdk error (or a WeChat JSON answer) carries, if any. */
export function codeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { errCode?: unknown; errcode?: unknown };
  const code = e.errCode ?? e.errcode;
  return typeof code === 'number' && Number.isFinite(code) ? code : undefined;
}

/**
 * The only codes genScheme retries itself (platform-rules §1 error table: -1 "system busy",
 * 44990 "more than 100 calls per second"). Other transient failures (a cloud-call time-out, an
 * empty answer) are marked retryable for the caller, but not retried here: WeChat may already
 * have made the link, and a second call would spend quota on a duplicate.
 */
export const RETRIED_CODES: readonly number[] = [-1, 44990];

export function retryKindOf(error: unknown): RetryKind {
  const code = codeOf(error);
  return code !== undefined && RETRIED_CODES.includes(code) ? lookup(code).retry : 'no';
}

export interface RetryOutcome<T> {
  value?: T;
  error?: unknown;
  ok: boolean;
  attempts: number;
  /** The waits taken, ms: what the log line reports. */
  waits: number[];
}

export function delayFor(kind: RetryKind, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (kind === 'pause') return Math.round(policy.pauseMs + random() * policy.pauseMs * 0.25);
  const full = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(full / 2 + random() * (full / 2));
}

/**
 * Runs `call` until it succeeds, fails in a way no retry can help, runs out of attempts, or the
 * next wait would not leave `reserveMs` before `deadline` (epoch ms).
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  clock: Clock,
  deadline: number,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<RetryOutcome<T>> {
  const waits: number[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await call(), attempts: attempt, waits };
    } catch (error) {
      const kind = retryKindOf(error);
      if (kind === 'no' || kind === 'token' || attempt >= policy.maxAttempts) return { ok: false, error, attempts: attempt, waits };
      const wait = delayFor(kind, attempt, policy, clock.random);
      if (clock.now() + wait + policy.reserveMs > deadline) return { ok: false, error, attempts: attempt, waits };
      waits.push(wait);
      await clock.sleep(wait);
    }
  }
}
