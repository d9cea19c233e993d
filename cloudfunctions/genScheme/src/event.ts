/**
 * Turns whatever JSON event arrives into a typed request, or into a Problem that names the field.
 *
 * Accepts the two shapes users paste from the WeChat docs — cloud-call camelCase and HTTPS
 * snake_case — field for field. A field genScheme does not know is an error, never ignored.
 * zod (the `zod/mini` build, tree-shaken into the bundle) checks the structure and the types;
 * the platform's own rules are checked afterwards by rules.ts, with messages of their own.
 */
import * as z from 'zod/mini';
import type { Action, EnvVersion } from '../../../miniprogram/shared/contract';
import { problem, type Problem } from '../../../miniprogram/shared/rules';
import { EVENT_NOT_OBJECT, INVALID_FIELD, UNKNOWN_ACTION, UNKNOWN_FIELD } from './catalogue';

export interface JumpInput {
  path?: string;
  query?: string;
  envVersion?: string;
}

export interface GenerateInput {
  action: 'generate';
  jumpWxa?: JumpInput;
  isExpire?: boolean;
  expireType?: number;
  expireTime?: number;
  expireInterval?: number;
  cq?: string;
}

export interface QueryInput {
  action: 'query';
  scheme: string;
}

export interface QuotaInput {
  action: 'quota';
}

export interface PlaintextInput {
  action: 'plaintext';
  jumpWxa?: JumpInput;
}

export type ActionInput = GenerateInput | QueryInput | QuotaInput | PlaintextInput;

export interface ParsedEvent {
  input: ActionInput;
  /** The admin token as sent; compared by the policy, never logged or echoed. */
  adminToken?: string;
  /** Field names as the caller wrote them, by canonical dotted name (`jumpWxa.envVersion` → `jump_wxa.env_version`). */
  names: Record<string, string>;
}

export const ACTIONS: readonly Action[] = ['generate', 'query', 'quota', 'plaintext'];

/** HTTPS (snake_case) spelling → cloud-call (camelCase) spelling. */
const TOP_ALIASES: Record<string, string> = {
  jump_wxa: 'jumpWxa',
  is_expire: 'isExpire',
  expire_type: 'expireType',
  expire_time: 'expireTime',
  expire_interval: 'expireInterval',
  admin_token: 'adminToken',
};
const JUMP_ALIASES: Record<string, string> = { env_version: 'envVersion' };

/**
 * The schema of each action, built on first use and then kept. Not at start-up: constructing
 * zod schemas is most of what a module costs to load (~3 ms for all of them), and an instance
 * typically serves one action. One instance of each leaf schema is shared by every field.
 *
 * `userInfo` is added by wx.cloud.callFunction to every call from a mini program
 * (appId/openId): accepted, never trusted — identity comes from getWXContext().
 */
const schemas: Partial<Record<Action, z.ZodMiniObject>> = {};
function buildSchema(action: Action): z.ZodMiniObject {
  const str = z.optional(z.string());
  // Fields every action accepts, first in every schema (the action's own follow: see parseEvent).
  const common = { action: str, adminToken: str, userInfo: z.optional(z.unknown()) };
  if (action === 'query') return z.strictObject({ ...common, scheme: z.string() });
  if (action === 'quota') return z.strictObject(common);
  const jumpWxa = z.optional(z.strictObject({ path: str, query: str, envVersion: str }));
  if (action === 'plaintext') return z.strictObject({ ...common, jumpWxa });
  const num = z.optional(z.number());
  return z.strictObject({ ...common, jumpWxa, isExpire: z.optional(z.boolean()), expireType: num, expireTime: num, expireInterval: num, cq: str });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Shortens a caller's text before it is echoed in a message. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function fail(...parts: Parameters<typeof problem>): { problem: Problem } {
  return { problem: problem(...parts) };
}

/** Levenshtein distance, small strings only: enough to say "did you mean expire_interval?". */
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

function suggest(key: string, candidates: readonly string[]): string | undefined {
  if (key.length > 40) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(key.toLowerCase(), c.toLowerCase());
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  return bestScore <= Math.max(2, Math.floor((best?.length ?? 0) / 4)) ? best : undefined;
}

function unknownField(key: string, where: string, action: Action, snake: boolean, candidates: string[]) {
  const shown = where ? `${where}.${key}` : key;
  if (!where && (key === 'env_version' || key === 'envVersion')) {
    const inside = snake ? 'jump_wxa.env_version' : 'jumpWxa.envVersion';
    return fail(
      47001, shown, 'event.envVersionAtTop',
      `${shown} 写在了顶层；它属于 jump_wxa，写在顶层时微信返回 47001。`,
      `${shown} is at the top level; it belongs inside jump_wxa (WeChat answers 47001 otherwise).`,
      `移到 ${inside}。`,
      `Move it to ${inside}.`,
    );
  }
  if (!where && (key === 'path' || key === 'query') && (action === 'generate' || action === 'plaintext')) {
    const inside = `${snake ? 'jump_wxa' : 'jumpWxa'}.${key}`;
    return fail(
      UNKNOWN_FIELD, shown, 'event.unknownField',
      `顶层字段 ${shown} 无法识别；它属于 ${inside}。`,
      `Top-level field ${shown} is not known; it belongs in ${inside}.`,
      `移到 ${inside}。`, `Move it to ${inside}.`,
    );
  }
  const guess = suggest(key, candidates);
  return fail(
    UNKNOWN_FIELD, shown, 'event.unknownField',
    `字段 ${clip(shown)} 无法识别，genScheme 不会忽略它。`,
    `Field ${clip(shown)} is not known; genScheme does not ignore unknown fields.`,
    guess ? `是否想写 ${guess}？` : `${action} 可用的字段：${candidates.join(', ') || '（无）'}。`,
    guess ? `Did you mean ${guess}?` : `Fields of ${action}: ${candidates.join(', ') || '(none)'}.`,
  );
}

/**
 * Copies `source` under canonical names into a fresh null-prototype object, so keys such as
 * `__proto__` or `constructor` stay plain data and cannot reach any prototype.
 */
function canonicalise(
  source: Record<string, unknown>,
  aliases: Record<string, string>,
  prefix: string,
  shownPrefix: string,
  names: Record<string, string>,
): { value: Record<string, unknown> } | { problem: Problem } {
  const value: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(source)) {
    const canonical = Object.hasOwn(aliases, key) ? aliases[key] : key;
    const shown = shownPrefix ? `${shownPrefix}.${key}` : key;
    if (Object.hasOwn(value, canonical)) {
      return fail(
        INVALID_FIELD, shown, 'event.duplicateField',
        `${shown} 与 ${names[prefix + canonical]} 是同一个字段，只能写一次。`,
        `${shown} and ${names[prefix + canonical]} are the same field; give it once.`,
        '只保留一种写法（camelCase 或 snake_case）。', 'Keep one spelling (camelCase or snake_case).',
      );
    }
    value[canonical] = source[key];
    names[prefix + canonical] = shown;
  }
  return { value };
}

function typeProblem(field: string, expected: string, got: unknown) {
  const numberAsString = expected === 'number' && typeof got === 'string' && got.trim() !== '' && Number.isFinite(Number(got));
  return fail(
    47001, field, 'event.type',
    `${clip(field)} 应为 ${expected}，收到的是 ${describeType(got)}。`,
    `${clip(field)} must be ${expected === 'object' ? 'an object' : `a ${expected}`}; got ${describeType(got)}.`,
    numberAsString ? `去掉引号：${Number(got)}（数字写成字符串时微信返回 47001）。` : `改为 ${expected} 类型。`,
    numberAsString ? `Drop the quotes: ${Number(got)} (WeChat answers 47001 to numbers sent as strings).` : `Send a ${expected}.`,
  );
}

/** Parses an event. Never throws: anything unexpected becomes a Problem. */
export function parseEvent(event: unknown): { parsed: ParsedEvent } | { problem: Problem } {
  if (!isPlainObject(event)) {
    return fail(
      EVENT_NOT_OBJECT, '(event)', 'event.notObject',
      `事件必须是 JSON 对象，收到的是 ${describeType(event)}。`,
      `The event must be a JSON object; got ${describeType(event)}.`,
      '例如 {"jumpWxa":{"path":"pages/index/index"},"expireInterval":7}。',
      'For example {"jumpWxa":{"path":"pages/index/index"},"expireInterval":7}.',
    );
  }
  const rawAction = Object.hasOwn(event, 'action') ? event.action : undefined;
  if (rawAction !== undefined && typeof rawAction !== 'string') return typeProblem('action', 'string', rawAction);
  const action = (rawAction ?? 'generate') as Action;
  if (!ACTIONS.includes(action)) {
    const guess = suggest(action, ACTIONS);
    return fail(
      UNKNOWN_ACTION, 'action', 'event.unknownAction',
      `action "${clip(action)}" 未知。`, `Unknown action "${clip(action)}".`,
      `${guess ? `是否想写 "${guess}"？` : ''}可用：${ACTIONS.join(', ')}（不填即 generate）。`,
      `${guess ? `Did you mean "${guess}"? ` : ''}Use one of ${ACTIONS.join(', ')} (generate when left out).`,
    );
  }

  const names: Record<string, string> = Object.create(null);
  const top = canonicalise(event, TOP_ALIASES, '', '', names);
  if ('problem' in top) return top;
  const snake = Object.keys(event).some((k) => k in TOP_ALIASES);
  const jumpKey = 'jumpWxa';
  if (top.value[jumpKey] !== undefined) {
    const jump = top.value[jumpKey];
    if (!isPlainObject(jump)) return typeProblem(names[jumpKey], 'object', jump);
    const inner = canonicalise(jump, JUMP_ALIASES, `${jumpKey}.`, names[jumpKey], names);
    if ('problem' in inner) return inner;
    top.value[jumpKey] = inner.value;
  }

  const schema = (schemas[action] ??= buildSchema(action));
  const result = schema.safeParse(top.value);
  if (!result.success) {
    // Report unknown keys first: a misspelt field explains a "missing" one better than a type error.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const issue = issues[0];
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const inJump = at === jumpKey;
      const where = inJump ? names[jumpKey] : '';
      const candidates = inJump
        ? (snake ? ['path', 'query', 'env_version'] : ['path', 'query', 'envVersion'])
        : // The action's own fields (its schema's, after the three common ones), then the common ones a caller may set.
          [...Object.keys(schema.shape).slice(3).map((f) => (snake ? Object.keys(TOP_ALIASES).find((k) => TOP_ALIASES[k] === f) ?? f : f)), 'action', 'adminToken'];
      const shownKey = names[(inJump ? `${jumpKey}.` : '') + key]?.split('.').pop() ?? key;
      return unknownField(shownKey, where, action, snake, candidates);
    }
    const shown = names[at] ?? at;
    const got = issue.path.reduce<unknown>((v, k) => (isPlainObject(v) ? v[String(k)] : undefined), top.value);
    if (got === undefined) {
      return fail(
        INVALID_FIELD, shown, 'event.required',
        `action "${action}" 需要字段 ${shown}。`, `action "${action}" needs the field ${shown}.`,
        `补上 ${shown}。`, `Add ${shown}.`,
      );
    }
    const expected = 'expected' in issue && typeof issue.expected === 'string' ? issue.expected : 'valid';
    return typeProblem(shown, expected, got);
  }

  // The schema of `action` admits only that action's fields; the token and userInfo are set apart.
  const { adminToken, userInfo: _userInfo, action: _action, ...fields } = result.data as Record<string, unknown>;
  const input = { action, ...fields } as ActionInput;
  return { parsed: { input, adminToken: adminToken as string | undefined, names } };
}

/** The name a caller used for a canonical field, for messages. */
export function shownName(names: Record<string, string>, canonical: string): string {
  return names[canonical] ?? canonical;
}

export type { EnvVersion };
