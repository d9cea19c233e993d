/**
 * The one way to WeChat: every openapi call of every action goes through `WeChat.call`, which
 * paces generate calls (platform-rules §5), retries only what is worth retrying (§1 error table,
 * via the catalogue), and keeps inside the function's time budget so the caller always gets a
 * reply instead of the runtime's bare time-out.
 */
import type { Failure } from '../../../../miniprogram/shared/failure';
import type { Clock } from '../clock';
import { retriedByGenScheme, lookup, TIME_BUDGET } from './catalogue';
import { codeOf, isWeChatBusy, sdkFailure } from './errors';
import { apiCall, type ApiName, type OpenApi } from './openapi';
import { GENERATE_CALLS_PER_SECOND } from '../../../../miniprogram/shared/platform';
import type { Admission, StatePort } from '../state';
import { Pacer } from './pacer';

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

/**
 * §5: at most 100 generate calls a second reach WeChat, counted as they arrive there. A call is
 * admitted just before it leaves and arrives a little later: counting admissions over a window
 * longer by the worst spread of that delay keeps every 1-second window of arrivals at or under
 * 100, across instances. Measured: with four instances on one 2-core machine, the SDK's own
 * queueing spread arrivals by up to ~300 ms (test/multi); 400 ms keeps a margin, and costs
 * throughput (100 per 1.4 s at most), not correctness.
 */
export const PACING_ARRIVAL_ALLOWANCE_MS = 400;
/**
 * A slot asked for ahead of time (concurrently with other work) is used only if it came back
 * within this long before the call leaves; an older one is given up (it stays counted, which
 * only errs on the safe side) and one fresh slot is asked for, which is then used at once.
 * With a database slower than the allowance above, the shared bound loosens: WeChat may then
 * answer 44990, which costs a retry after a pause, never a link.
 */
export const PACING_SLOT_FRESH_MS = 50;

/** A pacing admission and when its answer came back. */
export type PacingSlot = Admission & { answeredAt: number };
export const PACING_WINDOW = { key: 'pace:generate', limit: GENERATE_CALLS_PER_SECOND, windowMs: 1000 + PACING_ARRIVAL_ALLOWANCE_MS } as const;

export type CallOutcome = { ok: true; value: unknown } | { ok: false; failure: Failure };

export interface CallOptions {
  /** Generate calls count against the platform's 100 a second (§5). */
  paced: boolean;
  /** A pacing admission already asked for (concurrently with other work), used by the first attempt while fresh. */
  firstSlot?: Promise<PacingSlot>;
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

export class WeChat {
  /**
   * This instance's own bound: a call holds its slot from send until a second after its answer,
   * which holds whatever the delays (the shared window below cannot see answers).
   */
  private readonly pacer = new Pacer(GENERATE_CALLS_PER_SECOND, 1000);

  constructor(
    private readonly openapi: OpenApi,
    private readonly clock: Clock,
    /** Where the pacing window is counted: this instance's memory or the shared database. */
    private readonly state: Pick<StatePort, 'admit'>,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** This instance's pacing admissions, one at a time (see pacingSlot). */
  private pacingQueue: Promise<unknown> = Promise.resolve();

  /**
   * Asks for a pacing slot; pass the promise as `firstSlot` to overlap it with other work.
   * An instance asks one at a time: a burst then queues here instead of sending hundreds of
   * concurrent updates of the one shared pacing document, which would time out and fall back.
   */
  pacingSlot(): Promise<PacingSlot> {
    const slot = this.pacingQueue.then(async () => {
      const admission = await this.state.admit(PACING_WINDOW, this.clock.now());
      return { ...admission, answeredAt: this.clock.now() };
    });
    this.pacingQueue = slot.catch(() => undefined);
    return slot;
  }

  async call(api: ApiName, request: Record<string, unknown>, options: CallOptions): Promise<CallOutcome> {
    const { record, deadline } = options;
    let longestAttemptMs = 0;
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      try {
        if (options.paced) await this.takePacingSlot(deadline, record, attempt === 1 ? options.firstSlot : undefined);
        record.attempts = attempt;
        const value = await this.attempt(api, request, deadline, options.paced);
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

  /** One call, given up REPLY_RESERVE_MS before the deadline; a late answer is ignored. */
  private attempt(api: ApiName, request: Record<string, unknown>, deadline: number, paced: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const cancel = this.clock.setTimer(Math.max(0, deadline - REPLY_RESERVE_MS - this.clock.now()), () =>
        reject(new GiveUp({
          errcode: TIME_BUDGET, source: 'genscheme', rule: 'budget.deadline',
          message: {
            zh: `微信在云函数的超时时间内没有回复（预留 ${REPLY_RESERVE_MS} 毫秒用于返回）。`,
            en: `WeChat did not answer within the function's time limit (${REPLY_RESERVE_MS} ms kept to reply).`,
          },
          hint: lookup(TIME_BUDGET).fix,
        })),
      );
      const settle = () => {
        cancel();
        if (paced) this.pacer.release(this.clock.now());
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
  private async takePacingSlot(deadline: number, record: CallRecord, first?: Promise<PacingSlot>): Promise<void> {
    // This instance's slot first (held until the answer), then a fresh one in the shared window.
    for (;;) {
      const local = this.pacer.acquire(this.clock.now());
      if (local.ok) break;
      if (this.clock.now() + local.retryAfterMs + REPLY_RESERVE_MS > deadline) throw new GiveUp(heldFailure());
      record.waitedMs = (record.waitedMs ?? 0) + local.retryAfterMs;
      await this.clock.sleep(local.retryAfterMs);
    }
    try {
      await this.takeSharedSlot(deadline, record, first);
    } catch (error) {
      this.pacer.release(this.clock.now());
      throw error;
    }
  }

  private async takeSharedSlot(deadline: number, record: CallRecord, first?: Promise<PacingSlot>): Promise<void> {
    let slot = await (first ?? this.pacingSlot());
    for (;;) {
      // A slot asked for ahead of time that came back too early is given up for a fresh one.
      if (slot.ok && this.clock.now() - slot.answeredAt > PACING_SLOT_FRESH_MS) slot = await this.pacingSlot();
      if (slot.ok) return;
      // The wait counts from when the answer came: part of it may have passed since.
      const wait = Math.max(1, slot.answeredAt + slot.retryAfterMs - this.clock.now());
      if (this.clock.now() + wait + REPLY_RESERVE_MS > deadline) throw new GiveUp(heldFailure());
      record.waitedMs = (record.waitedMs ?? 0) + wait;
      await this.clock.sleep(wait);
      slot = await this.pacingSlot();
    }
  }
}

/** §5: no pacing slot frees up within the time budget, so the call is not sent. */
function heldFailure(): Failure {
  return {
    errcode: 44990, source: 'genscheme', rule: 'pacing.held',
    message: {
      zh: '过去 1 秒内已向微信发出 100 次生成请求，在时间预算内等不到空位，genScheme 没有发出这次请求。',
      en: '100 generate calls were already sent in the last second and no slot frees up within the time budget; genScheme did not send this one.',
    },
    hint: lookup(44990).fix,
  };
}
