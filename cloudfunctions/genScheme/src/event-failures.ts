/**
 * The event parser's failures (event.ts): an unknown field, with "did you mean" and the field's right
 * place, and a value of the wrong type, each naming the field as the caller spelt it.
 */
import type { Action } from '../../../miniprogram/shared/contract';
import { clip, inputFailure, type Failure } from '../../../miniprogram/shared/failure';
import { UNKNOWN_FIELD } from './wechat/codes';

export type Failed = { failure: Failure };
export const fail = (parts: Parameters<typeof inputFailure>[0]): Failed => ({ failure: inputFailure(parts) });

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Levenshtein distance, short strings only: enough to say "did you mean expire_interval?". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

export function suggest(key: string, candidates: readonly string[]): string | undefined {
  if (key.length > 40) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(key.toLowerCase(), c.toLowerCase());
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  return bestScore <= Math.max(2, Math.floor((best?.length ?? 0) / 4)) ? best : undefined;
}

export function unknownField(key: string, where: string, action: Action, snake: boolean, candidates: string[]): Failed {
  const shown = clip(where ? `${where}.${key}` : key);
  if (!where && (key === 'env_version' || key === 'envVersion')) {
    const inside = snake ? 'jump_wxa.env_version' : 'jumpWxa.envVersion';
    return fail({
      errcode: 47001,
      field: shown,
      rule: 'event.envVersionAtTop',
      message: {
        zh: `${shown} 写在了顶层；它属于 jump_wxa，写在顶层时微信返回 47001。`,
        en: `${shown} is at the top level; it belongs inside jump_wxa (WeChat answers 47001 otherwise).`,
      },
      hint: { zh: `移到 ${inside}。`, en: `Move it to ${inside}.` },
    });
  }
  if (!where && (key === 'path' || key === 'query') && candidates.includes(snake ? 'jump_wxa' : 'jumpWxa')) {
    const inside = `${snake ? 'jump_wxa' : 'jumpWxa'}.${key}`;
    return fail({
      errcode: UNKNOWN_FIELD,
      field: shown,
      rule: 'event.unknownField',
      message: { zh: `顶层字段 ${shown} 无法识别；它属于 ${inside}。`, en: `Top-level field ${shown} is not known; it belongs in ${inside}.` },
      hint: { zh: `移到 ${inside}。`, en: `Move it to ${inside}.` },
    });
  }
  const guess = suggest(key, candidates);
  const list = candidates.join(', ');
  return fail({
    errcode: UNKNOWN_FIELD,
    field: shown,
    rule: 'event.unknownField',
    message: { zh: `字段 ${shown} 无法识别，genScheme 不会忽略它。`, en: `Field ${shown} is not known; genScheme does not ignore unknown fields.` },
    hint: guess
      ? { zh: `是否想写 ${guess}？`, en: `Did you mean ${guess}?` }
      : { zh: `${action} 可用的字段：${list || '（无）'}。`, en: `Fields of ${action}: ${list || '(none)'}.` },
  });
}

export function typeFailure(field: string, expected: string, got: unknown): Failed {
  const numberAsString = expected === 'number' && typeof got === 'string' && got.trim() !== '' && Number.isFinite(Number(got));
  return fail({
    errcode: 47001,
    field,
    rule: 'event.type',
    message: {
      zh: `${field} 应为 ${expected}，收到的是 ${describeType(got)}。`,
      en: `${field} must be ${expected === 'object' ? 'an object' : `a ${expected}`}; got ${describeType(got)}.`,
    },
    hint: numberAsString
      ? {
          zh: `去掉引号：${Number(got)}（数字写成字符串时微信返回 47001）。`,
          en: `Drop the quotes: ${Number(got)} (WeChat answers 47001 to numbers sent as strings).`,
        }
      : { zh: `改为 ${expected} 类型。`, en: `Send a ${expected}.` },
  });
}
