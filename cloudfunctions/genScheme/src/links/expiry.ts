/**
 * When a link expires: reads expireType / expireTime / expireInterval (platform-rules §1) into
 * exactly what is sent, when the link will die, and the warnings the caller should read.
 * Pure: the clock comes in as `nowSeconds`.
 */
import type { Warning } from '../../../../miniprogram/shared/contract';
import { checkExpireInterval, checkExpireTime, formatUnix, latestExpireTime } from '../../../../miniprogram/shared/expiry-checks';
import { inputFailure, type Failure } from '../../../../miniprogram/shared/failure';
import { EXPIRE_INTERVAL_MAX_DAYS, EXPIRE_MAX_DAYS, SECONDS_PER_DAY } from '../../../../miniprogram/shared/platform';
import type { FieldNames } from '../field-names';
import { INVALID_FIELD } from '../wechat/codes';

export interface ExpiryInput {
  isExpire?: boolean;
  expireType?: number;
  expireTime?: number;
  expireInterval?: number;
}

export interface Expiry {
  /** The fields sent to WeChat (camelCase; wx-server-sdk writes snake_case). */
  call: { isExpire: true; expireType: 0; expireTime: number } | { isExpire: true; expireType: 1; expireInterval: number };
  /** Unix seconds when the link stops working (for expireType 1: counted from now). */
  expireTime: number;
  /** Whole days the link lives, rounded up: what a policy's cap compares against. */
  days: number;
  /** The field the caller gave the expiry in, as spelt. */
  field: string;
  warnings: Warning[];
}

export function planExpiry(input: ExpiryInput, names: FieldNames, nowSeconds: number): { expiry: Expiry } | { failure: Failure } {
  const [typeName, timeName, intervalName] = [names.shown('expireType'), names.shown('expireTime'), names.shown('expireInterval')];
  const { expireType, expireTime, expireInterval } = input;
  const warnings: Warning[] = [];
  if (expireType !== undefined && expireType !== 0 && expireType !== 1) {
    return {
      failure: inputFailure({
        errcode: 47001,
        field: typeName,
        rule: 'expireType.value',
        message: {
          zh: `${typeName} 为 ${expireType}，只能是 0（按时间）或 1（按天数）。`,
          en: `${typeName} is ${expireType}; it must be 0 (a moment) or 1 (days).`,
        },
        hint: { zh: '不填时 genScheme 按给出的字段推断。', en: 'Leave it out and genScheme infers it from the field given.' },
      }),
    };
  }
  let expiry: Expiry;
  const type = expireType ?? (expireTime !== undefined ? 0 : 1);
  if (type === 0) {
    if (expireInterval !== undefined) {
      return {
        failure:
          expireTime === undefined
            ? typeMismatch(typeName, 0, intervalName)
            : conflict(intervalName, timeName, { zh: '按时间到期时不用天数。', en: 'a moment-based expiry takes no days.' }),
      };
    }
    if (expireTime === undefined) {
      return {
        failure: inputFailure({
          errcode: 85401,
          field: timeName,
          rule: 'expireTime.required',
          message: { zh: `${typeName} 为 0 时必须给出 ${timeName}。`, en: `${timeName} is required when ${typeName} is 0.` },
          hint: {
            zh: `给出 ${timeName}（秒级时间戳），或改用 expireType: 1 + expireInterval。`,
            en: `Give ${timeName} (Unix seconds), or use expireType: 1 with expireInterval.`,
          },
        }),
      };
    }
    const broken = checkExpireTime(expireTime, nowSeconds, timeName);
    if (broken) return { failure: broken };
    // §1, §12: WeChat's clock may be behind ours; a value in the last minute before the 30-day
    // edge could be refused there, so it is brought inside the margin, and the caller told.
    const latest = latestExpireTime(nowSeconds);
    const sent = Math.min(expireTime, latest);
    if (sent < expireTime) {
      warnings.push({
        code: 'expiry.clamped',
        zh: `${timeName} 距离 30 天上限不足 1 分钟，微信的时钟可能稍慢，已改为 ${sent}（${formatUnix(sent)}）。`,
        en: `${timeName} was within a minute of the 30-day limit, which a slightly slow WeChat clock would refuse; it was set to ${sent} (${formatUnix(sent)}).`,
      });
    }
    expiry = {
      call: { isExpire: true, expireType: 0, expireTime: sent },
      expireTime: sent,
      days: Math.ceil((sent - nowSeconds) / SECONDS_PER_DAY),
      field: timeName,
      warnings,
    };
  } else {
    if (expireTime !== undefined) {
      return {
        failure:
          expireInterval === undefined
            ? typeMismatch(typeName, 1, timeName)
            : conflict(timeName, intervalName, { zh: '按天数到期时不用时间戳。', en: 'a days-based expiry takes no timestamp.' }),
      };
    }
    const interval = expireInterval ?? EXPIRE_INTERVAL_MAX_DAYS;
    const broken = checkExpireInterval(interval, intervalName);
    if (broken) return { failure: broken };
    expiry = {
      call: { isExpire: true, expireType: 1, expireInterval: interval },
      expireTime: nowSeconds + interval * SECONDS_PER_DAY,
      days: interval,
      field: intervalName,
      warnings,
    };
    if (expireInterval === undefined && input.isExpire !== false) {
      warnings.push({
        code: 'expiry.defaulted',
        zh: `未指定有效期，已按平台允许的最长 ${EXPIRE_MAX_DAYS} 天生成。`,
        en: `No expiry was given; the link was made for the longest the platform allows, ${EXPIRE_MAX_DAYS} days.`,
      });
    }
  }
  if (input.isExpire === false) {
    // §1: since 2022-04-11 is_expire:false no longer makes a permanent link.
    warnings.push({
      code: 'expiry.noPermanentLinks',
      zh: `自 2022-04-11 起微信不再提供永久有效的链接（isExpire: false 已无效）；此链接将于 ${formatUnix(expiry.expireTime)} 失效。`,
      en: `Since 2022-04-11 WeChat no longer makes permanent links (isExpire: false has no effect); this link expires at ${formatUnix(expiry.expireTime)}.`,
    });
  }
  return { expiry };
}

/** expireType names one way to expire, but the event gave the field of the other. */
function typeMismatch(typeField: string, type: 0 | 1, given: string): Failure {
  const uses = type === 0 ? 'expireTime' : 'expireInterval';
  return inputFailure({
    errcode: INVALID_FIELD,
    field: given,
    rule: 'expiry.typeMismatch',
    message: {
      zh: `${typeField} 为 ${type}（${type === 0 ? '按时间到期，' : '按天数到期，'}用 ${uses}），却给了 ${given}。`,
      en: `${typeField} is ${type} (${type === 0 ? 'a moment' : 'days'}: it uses ${uses}), but ${given} was given.`,
    },
    hint: {
      zh: `把 ${typeField} 改为 ${1 - type}，或去掉 ${typeField}（genScheme 按给出的字段推断），或改用 ${uses}。`,
      en: `Set ${typeField} to ${1 - type}, or leave ${typeField} out (genScheme infers it from the field given), or use ${uses}.`,
    },
  });
}

function conflict(field: string, other: string, why: { zh: string; en: string }): Failure {
  return inputFailure({
    errcode: INVALID_FIELD,
    field,
    rule: 'expiry.conflict',
    message: { zh: `${field} 与 ${other} 不能同时使用：${why.zh}`, en: `${field} and ${other} cannot be used together: ${why.en}` },
    hint: {
      zh: '到期时间用 expireTime（秒级时间戳），按天数用 expireType: 1 + expireInterval，二选一。',
      en: 'Use expireTime (Unix seconds) for a moment, or expireType: 1 with expireInterval for days — one of the two.',
    },
  });
}
