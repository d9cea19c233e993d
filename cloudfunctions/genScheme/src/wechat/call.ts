/**
 * The one way to WeChat: every openapi call of every action goes through `WeChat.call`, which
 * paces generate calls (platform-rules §5), retries only what is worth retrying (§1 error table,
 * via the catalogue), and keeps inside the function's time budget so the caller always gets a
 * reply instead of the runtime's bare time-out.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Clock } from '../clock';
import { retriedByGenScheme, lookup } from './catalogue';
import { TIME_BUDGET } from './codes';
import { codeOf, isWeChatBusy, sdkFailure } from './errors';
import { apiCall, type ApiName, type OpenApi } from './openapi';
import type { LimitsPort } from '../state';
import { GeneratePacing, NoSlotInTime, type ReleaseSlot } from './pacing';

export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  /** First backoff after -1; doubled each time, jittered between half and all of it. */
  baseDelayMs: number;
  /** Pause after 44990: the platform counts per second (§5), so a second plus jitter. */
  pauseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 120, pauseMs: 1000 };

/**
 * Time kept after giving up on an unanswered call, to build and return the reply before the
 * runtime stops the function.
 */
export const REPLY_RESERVE_MS = 150;

/** What a call cost, for the log line. */
export interface CallRecord {
  attempts: number;
  waitedMs?: number;
}

export type CallOutcome = { ok: true; value: unknown } | { ok: false; failure: Failure };

export interface CallOptions {
  /** Generate calls count against the platform's 100 a second (§5). */
  paced: boolean;
  /** Epoch ms by which the function must have replied. */
  deadline: number;
  record: CallRecord;
}

/** The wait before the next attempt after `code`: backoff after -1, a pause after 44990. */
export function delayFor(code: number, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (lookup(code).recovery === 'pause') return Math.round(policy.pauseMs + random() * policy.pauseMs * 0.25);
  const full = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(full / 2 + random() * (full / 2));
}

/** Whether another attempt could help: WeChat's own busy (-1) or rate (44990) answer, never an SDK exception. */
function worthRetrying(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined || !retriedByGenScheme(code)) return false;
  return code !== -1 || isWeChatBusy(error);
}

/** Thrown inside the call path only, when the time budget cannot hold a call or its answer. */
class GiveUp {
  constructor(readonly failure: Failure) {}
}

/** How many recent answer times of WeChat are kept to estimate the next one. */
const ANSWER_TIMES_KEPT = 16;

export class WeChat {
  readonly pacing: GeneratePacing;
  /** WeChat's recent answer times (ms): a call is sent only when one as slow as the slowest fits. */
  private readonly answerTimes: number[] = [];

  constructor(
    private readonly openapi: OpenApi,
    private readonly clock: Clock,
    /** Where the shared pacing window is kept: this instance's memory or the database. */
    limits: LimitsPort,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    instanceId = 'local',
  ) {
    this.pacing = new GeneratePacing(limits, clock, instanceId);
  }

  async call(api: ApiName, request: Record<string, unknown>, options: CallOptions): Promise<CallOutcome> {
    const { record, deadline } = options;
    let longestAttemptMs = 0;
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      try {
        const release = options.paced ? await this.takePacingSlot(deadline, record) : undefined;
        // No call leaves unless an answer as slow as the slowest lately can still be returned.
        if (this.clock.now() + this.expectedAnswerMs() + REPLY_RESERVE_MS > deadline) {
          release?.(this.clock.now());
          return { ok: false, failure: budgetFailure(false) };
        }
        record.attempts = attempt;
        const value = await this.attempt(api, request, deadline, release);
        return { ok: true, value };
      } catch (error) {
        if (error instanceof GiveUp) return { ok: false, failure: error.failure };
        longestAttemptMs = Math.max(longestAttemptMs, this.clock.now() - started);
        const code = codeOf(error);
        if (!worthRetrying(error) || code === undefined || attempt >= this.retry.maxAttempts) {
          return { ok: false, failure: sdkFailure(error, attempt) };
        }
        // Start another attempt only when a whole one, as long as the longest so far, fits in the
        // time left: one that cannot finish may still make a link at WeChat that nobody receives.
        const wait = delayFor(code, attempt, this.retry, this.clock.random);
        if (this.clock.now() + wait + longestAttemptMs + REPLY_RESERVE_MS > deadline) return { ok: false, failure: sdkFailure(error, attempt) };
        record.waitedMs = (record.waitedMs ?? 0) + wait;
        await this.clock.sleep(wait);
      }
    }
  }

  private expectedAnswerMs(): number {
    return this.answerTimes.length ? Math.max(...this.answerTimes) : 0;
  }

  /** One call, given up REPLY_RESERVE_MS before the deadline; a late answer is ignored. */
  private attempt(api: ApiName, request: Record<string, unknown>, deadline: number, release: ReleaseSlot | undefined): Promise<unknown> {
    const sent = this.clock.now();
    return new Promise((resolve, reject) => {
      const cancel = this.clock.setTimer(Math.max(0, deadline - REPLY_RESERVE_MS - this.clock.now()), () => reject(new GiveUp(budgetFailure(true))));
      const settle = () => {
        cancel();
        const now = this.clock.now();
        release?.(now);
        this.answerTimes.push(now - sent);
        if (this.answerTimes.length > ANSWER_TIMES_KEPT) this.answerTimes.shift();
      };
      let call: Promise<unknown>;
      try {
        call = apiCall(this.openapi, api, { ...request });
      } catch (error) {
        call = Promise.reject(error);
      }
      call.then(
        (value) => (settle(), resolve(value)),
        (error) => (settle(), reject(error)),
      );
    });
  }

  /** Waits for a pacing slot, or gives up with 44990 when none frees up in time. */
  private async takePacingSlot(deadline: number, record: CallRecord): Promise<ReleaseSlot> {
    // The latest moment a call may leave: an answer as slow as the slowest lately must still fit.
    const latestSend = deadline - REPLY_RESERVE_MS - this.expectedAnswerMs();
    try {
      return await this.pacing.acquire(latestSend, (ms) => (record.waitedMs = (record.waitedMs ?? 0) + ms));
    } catch (error) {
      if (error instanceof NoSlotInTime) throw new GiveUp(heldFailure());
      throw error;
    }
  }
}

/** The time budget did not hold WeChat's answer (`sent`), or cannot hold one, so nothing was sent. */
function budgetFailure(sent: boolean): Failure {
  return {
    errcode: TIME_BUDGET,
    source: 'genscheme',
    rule: 'budget.deadline',
    message: sent
      ? {
          zh: `微信在云函数的超时时间内没有回复（预留 ${REPLY_RESERVE_MS} 毫秒用于返回）。`,
          en: `WeChat did not answer within the function's time limit (${REPLY_RESERVE_MS} ms kept to reply).`,
        }
      : {
          zh: `剩余时间不足以等到微信回复（按最近的回复耗时估计），genScheme 没有发出请求，未消耗额度。`,
          en: `Too little time is left for WeChat's answer (judged by its recent answer times); genScheme did not send the call, and no quota was spent.`,
        },
    hint: lookup(TIME_BUDGET).fix,
  };
}

/** §5: no pacing slot frees up within the time budget, so the call is not sent. */
function heldFailure(): Failure {
  return {
    errcode: 44990,
    source: 'genscheme',
    rule: 'pacing.held',
    message: {
      zh: '过去 1 秒内已向微信发出 100 次生成请求，在时间预算内等不到空位，genScheme 没有发出这次请求。',
      en: '100 generate calls were already sent in the last second and no slot frees up within the time budget; genScheme did not send this one.',
    },
    hint: lookup(44990).fix,
  };
}
