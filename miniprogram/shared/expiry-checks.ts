/**
 * The platform's rules for a link's expiry as pure checks (§1, §4): each takes a value and returns
 * the Failure that names the field, the rule and the fix, or null. Numbers come from platform.ts.
 */
import { inputFailure, type Failure } from './failure';
import {
  CLOCK_SKEW_MARGIN_SECONDS,
  EXPIRE_INTERVAL_MAX_DAYS,
  EXPIRE_INTERVAL_MIN_DAYS,
  EXPIRE_MAX_DAYS,
  EXPIRE_MAX_SECONDS,
  EXPIRE_MIN_LEAD_SECONDS,
  EXPIRE_TIME_DAYS_LIKE_MAX,
  MILLISECONDS_LIKE_MAX,
  MILLISECONDS_LIKE_MIN,
  SECONDS_PER_DAY,
} from './platform';

/** Unix seconds for messages: ISO in UTC and Beijing time, which is what the MP admin shows. */
export function formatUnix(seconds: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(seconds);
  const utc = new Date(ms).toISOString().replace('.000Z', 'Z');
  const bj = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return `${utc} (${bj} UTC+8)`;
}

/** §1, §12: the earliest expire_time genScheme sends: more than 1 minute ahead, plus the skew margin. */
export function earliestExpireTime(nowSeconds: number): number {
  return nowSeconds + EXPIRE_MIN_LEAD_SECONDS + CLOCK_SKEW_MARGIN_SECONDS + 1;
}

/** §1, §12: the latest expire_time genScheme sends: 30 days ahead, less the skew margin. */
export function latestExpireTime(nowSeconds: number): number {
  return nowSeconds + EXPIRE_MAX_SECONDS - CLOCK_SKEW_MARGIN_SECONDS;
}

/**
 * §1: expire_time is Unix seconds, more than 1 minute and at most 30 days ahead (85401).
 * Recognises the classic mistakes: days, milliseconds, a time in the past. A value in the last
 * minute before the 30-day edge passes here: the planner clamps it to latestExpireTime (§12).
 */
export function checkExpireTime(expireTime: number, nowSeconds: number, field = 'expireTime'): Failure | null {
  const fail = (rule: string, message: Failure['message'], hint: Failure['hint']) => inputFailure({ errcode: 85401, field, rule, message, hint });
  if (!Number.isInteger(expireTime)) {
    return fail(
      'expireTime.integer',
      { zh: `${field} 必须是整数秒的 Unix 时间戳，收到 ${expireTime}。`, en: `${field} must be a whole number of Unix seconds; got ${expireTime}.` },
      { zh: '使用 Math.floor(Date.now() / 1000) + 秒数。', en: 'Use Math.floor(Date.now() / 1000) + seconds.' },
    );
  }
  if (expireTime >= 1 && expireTime <= EXPIRE_TIME_DAYS_LIKE_MAX) {
    const days = Math.min(expireTime, EXPIRE_INTERVAL_MAX_DAYS);
    return fail(
      'expireTime.days',
      {
        zh: `${field} = ${expireTime} 看起来是天数；${field} 是秒级 Unix 时间戳。`,
        en: `${field} = ${expireTime} looks like a number of days; ${field} is a Unix timestamp in seconds.`,
      },
      {
        zh: `按天数请用 expireType: 1 与 expireInterval: ${days}（1–${EXPIRE_INTERVAL_MAX_DAYS} 天）；按时间请用 Math.floor(Date.now() / 1000) + 秒数。`,
        en: `For days use expireType: 1 with expireInterval: ${days} (1–${EXPIRE_INTERVAL_MAX_DAYS} days); for a moment use Math.floor(Date.now() / 1000) + seconds.`,
      },
    );
  }
  if (expireTime >= MILLISECONDS_LIKE_MIN && expireTime < MILLISECONDS_LIKE_MAX) {
    const asSeconds = Math.floor(expireTime / 1000);
    return fail(
      'expireTime.milliseconds',
      {
        zh: `${field} = ${expireTime} 是毫秒（13 位），平台要求秒。`,
        en: `${field} = ${expireTime} is in milliseconds (13 digits); the platform wants seconds.`,
      },
      { zh: `除以 1000：${asSeconds}（${formatUnix(asSeconds)}）。`, en: `Divide by 1000: ${asSeconds} (${formatUnix(asSeconds)}).` },
    );
  }
  const lead = expireTime - nowSeconds;
  if (lead <= 0) {
    return fail(
      'expireTime.past',
      { zh: `${field} = ${expireTime}（${formatUnix(expireTime)}）已经过去。`, en: `${field} = ${expireTime} (${formatUnix(expireTime)}) is in the past.` },
      {
        zh: `给一个未来 2 分钟到 ${EXPIRE_MAX_DAYS} 天之间的时间，或改用 expireType: 1 与 expireInterval（天数）。`,
        en: `Give a time between 2 minutes and ${EXPIRE_MAX_DAYS} days from now, or use expireType: 1 with expireInterval (days).`,
      },
    );
  }
  const earliest = earliestExpireTime(nowSeconds);
  if (expireTime < earliest) {
    return fail(
      'expireTime.tooSoon',
      {
        zh: `${field} 只在 ${lead} 秒之后；平台要求超过 1 分钟，且两端时钟有偏差，需再留 1 分钟余量。`,
        en: `${field} is only ${lead} s ahead; the platform wants more than 1 minute, and clock skew needs another minute of margin.`,
      },
      { zh: `至少设为当前时间 + ${earliest - nowSeconds} 秒。`, en: `Set it at least ${earliest - nowSeconds} s from now.` },
    );
  }
  if (lead > EXPIRE_MAX_SECONDS) {
    const days = (lead / SECONDS_PER_DAY).toFixed(lead % SECONDS_PER_DAY === 0 ? 0 : 2);
    const latest = latestExpireTime(nowSeconds);
    return fail(
      'expireTime.tooLate',
      {
        zh: `${field}（${formatUnix(expireTime)}）在 ${days} 天之后；自 2022-04-11 起最长有效期为 ${EXPIRE_MAX_DAYS} 天，不再有永久链接。`,
        en: `${field} (${formatUnix(expireTime)}) is ${days} days ahead; since 2022-04-11 a link lives at most ${EXPIRE_MAX_DAYS} days and permanent links no longer exist.`,
      },
      {
        zh: `最晚为 ${latest}（${formatUnix(latest)}，留出 1 分钟时钟余量），或用 expireType: 1, expireInterval: 30。`,
        en: `The latest is ${latest} (${formatUnix(latest)}, a minute kept for clock skew), or use expireType: 1, expireInterval: 30.`,
      },
    );
  }
  return null;
}

/** §1: expire_interval is a whole number of days, 1 … 30 (85401 otherwise). `max` may be a policy's lower cap. */
export function checkExpireInterval(days: number, field = 'expireInterval', max = EXPIRE_INTERVAL_MAX_DAYS): Failure | null {
  const whole = Number.isInteger(days);
  if (whole && days >= EXPIRE_INTERVAL_MIN_DAYS && days <= max) return null;
  // The nearest allowed value (a fraction rounded up first).
  const fix = Math.min(Math.max(Math.ceil(days), EXPIRE_INTERVAL_MIN_DAYS), max);
  return inputFailure({
    errcode: 85401,
    field,
    rule: whole ? 'expireInterval.range' : 'expireInterval.integer',
    message: {
      zh: `${field} = ${days}；必须是 ${EXPIRE_INTERVAL_MIN_DAYS} 到 ${max} 之间的整数天。`,
      en: `${field} = ${days}; it must be a whole number of days from ${EXPIRE_INTERVAL_MIN_DAYS} to ${max}.`,
    },
    hint: whole ? { zh: `改为 ${fix}。`, en: `Use ${fix}.` } : { zh: `改为整数，例如 ${fix}。`, en: `Use a whole number, e.g. ${fix}.` },
  });
}
