/**
 * Plans a urlscheme.generate call: applies today's platform rules to a parsed request and
 * produces exactly what will be sent (cloud-call camelCase), when the link will expire, and
 * the warnings the caller should read. Pure: the clock and the page list come in as arguments.
 */
import type { EnvVersion, Warning } from '../../../miniprogram/shared/contract';
import {
  DEFAULT_ENV_VERSION,
  EXPIRE_INTERVAL_MAX_DAYS,
  EXPIRE_MAX_DAYS,
  SECONDS_PER_DAY,
  checkCq,
  checkEnvVersion,
  checkExpireInterval,
  checkExpireTime,
  checkPath,
  checkQuery,
  formatUnix,
  normalisePath,
  problem,
  type Problem,
} from '../../../miniprogram/shared/rules';
import { INVALID_FIELD } from './catalogue';
import { shownName, type GenerateInput } from './event';

/** What goes to cloud.openapi.urlscheme.generate (wx-server-sdk turns it into snake_case). */
export interface GenerateCall {
  jumpWxa: { path: string; query: string; envVersion: EnvVersion };
  isExpire: true;
  expireType: 0 | 1;
  expireTime?: number;
  expireInterval?: number;
}

export interface GeneratePlan {
  call: GenerateCall;
  /** Unix seconds when the link stops working (for expireType 1: counted from now). */
  expireTime: number;
  /** Whole days the link lives, rounded up: what a policy cap compares against. */
  days: number;
  cq?: string;
  warnings: Warning[];
}

/** expireType names one way to expire, but the event gave the field of the other way. */
function typeMismatch(typeField: string, type: 0 | 1, given: string): Problem {
  const uses = type === 0 ? 'expireTime' : 'expireInterval';
  return problem(
    INVALID_FIELD, given, 'expiry.typeMismatch',
    `${typeField} 为 ${type}（${type === 0 ? '按时间到期，' : '按天数到期，'}用 ${uses}），却给了 ${given}。`,
    `${typeField} is ${type} (${type === 0 ? 'a moment' : 'days'}: it uses ${uses}), but ${given} was given.`,
    `把 ${typeField} 改为 ${1 - type}，或去掉 ${typeField}（genScheme 按给出的字段推断），或改用 ${uses}。`,
    `Set ${typeField} to ${1 - type}, or leave ${typeField} out (genScheme infers it from the field given), or use ${uses}.`,
  );
}

function conflict(field: string, other: string, zh: string, en: string): Problem {
  return problem(
    INVALID_FIELD, field, 'expiry.conflict',
    `${field} 与 ${other} 不能同时使用：${zh}`, `${field} and ${other} cannot be used together: ${en}`,
    '到期时间用 expireTime（秒级时间戳），按天数用 expireType: 1 + expireInterval，二选一。',
    'Use expireTime (Unix seconds) for a moment, or expireType: 1 with expireInterval for days — one of the two.',
  );
}

export function planGenerate(
  input: GenerateInput,
  names: Record<string, string>,
  nowSeconds: number,
  pages: readonly string[] | null,
): { plan: GeneratePlan } | { problem: Problem } {
  const name = (canonical: string) => shownName(names, canonical);
  // The expiry fields as the caller spelt them, for messages.
  const [typeName, timeName, intervalName] = [name('expireType'), name('expireTime'), name('expireInterval')];
  const warnings: Warning[] = [];

  const jump = input.jumpWxa ?? {};
  const rawPath = jump.path ?? '';
  const pathProblem = checkPath(rawPath, pages, name('jumpWxa.path'));
  if (pathProblem) return { problem: pathProblem };
  const query = jump.query ?? '';
  const queryProblem = checkQuery(query, name('jumpWxa.query'));
  if (queryProblem) return { problem: queryProblem };
  const envVersion = jump.envVersion ?? DEFAULT_ENV_VERSION;
  const envProblem = checkEnvVersion(envVersion, name('jumpWxa.envVersion'));
  if (envProblem) return { problem: envProblem };
  if (input.cq !== undefined) {
    const cqProblem = checkCq(input.cq, name('cq'));
    if (cqProblem) return { problem: cqProblem };
  }

  // Expiry. platform-rules §1: expire_type 0 → expire_time, 1 → expire_interval; nothing is permanent.
  const { expireType, expireTime, expireInterval } = input;
  if (expireType !== undefined && expireType !== 0 && expireType !== 1) {
    return {
      problem: problem(
        47001, typeName, 'expireType.value',
        `${typeName} 为 ${expireType}，只能是 0（按时间）或 1（按天数）。`,
        `${typeName} is ${expireType}; it must be 0 (a moment) or 1 (days).`,
        '不填时 genScheme 按给出的字段推断。', 'Leave it out and genScheme infers it from the field given.',
      ),
    };
  }
  const jumpWxa = { path: normalisePath(rawPath), query, envVersion: envVersion as EnvVersion };
  let call: GenerateCall;
  let expiresAt: number;
  let days: number;
  const type = expireType ?? (expireTime !== undefined ? 0 : 1);
  if (type === 0) {
    if (expireInterval !== undefined) {
      return {
        problem: expireTime === undefined
          ? typeMismatch(typeName, 0, intervalName)
          : conflict(intervalName, timeName, '按时间到期时不用天数。', 'a moment-based expiry takes no days.'),
      };
    }
    if (expireTime === undefined) {
      return {
        problem: problem(
          85401, timeName, 'expireTime.required',
          `${typeName} 为 0 时必须给出 ${timeName}。`,
          `${timeName} is required when ${typeName} is 0.`,
          `给出 ${timeName}（秒级时间戳），或改用 expireType: 1 + expireInterval。`,
          `Give ${timeName} (Unix seconds), or use expireType: 1 with expireInterval.`,
        ),
      };
    }
    const timeProblem = checkExpireTime(expireTime, nowSeconds, timeName);
    if (timeProblem) return { problem: timeProblem };
    call = { jumpWxa, isExpire: true, expireType: 0, expireTime };
    expiresAt = expireTime;
    days = Math.ceil((expireTime - nowSeconds) / SECONDS_PER_DAY);
  } else {
    if (expireTime !== undefined) {
      return {
        problem: expireInterval === undefined
          ? typeMismatch(typeName, 1, timeName)
          : conflict(timeName, intervalName, '按天数到期时不用时间戳。', 'a days-based expiry takes no timestamp.'),
      };
    }
    const interval = expireInterval ?? EXPIRE_INTERVAL_MAX_DAYS;
    const intervalProblem = checkExpireInterval(interval, intervalName);
    if (intervalProblem) return { problem: intervalProblem };
    call = { jumpWxa, isExpire: true, expireType: 1, expireInterval: interval };
    expiresAt = nowSeconds + interval * SECONDS_PER_DAY;
    days = interval;
    if (expireInterval === undefined && input.isExpire !== false) {
      warnings.push({
        code: 'expiry.defaulted',
        zh: `未指定有效期，已按平台允许的最长 ${EXPIRE_MAX_DAYS} 天生成。`,
        en: `No expiry was given; the link was made for the longest the platform allows, ${EXPIRE_MAX_DAYS} days.`,
      });
    }
  }

  if (input.isExpire === false) {
    // platform-rules §1: since 2022-04-11 is_expire:false no longer makes a permanent link.
    warnings.push({
      code: 'expiry.noPermanentLinks',
      zh: `自 2022-04-11 起微信不再提供永久有效的链接（isExpire: false 已无效）；此链接将于 ${formatUnix(expiresAt)} 失效。`,
      en: `Since 2022-04-11 WeChat no longer makes permanent links (isExpire: false has no effect); this link expires at ${formatUnix(expiresAt)}.`,
    });
  }
  return { plan: { call, expireTime: expiresAt, days, cq: input.cq, warnings } };
}
