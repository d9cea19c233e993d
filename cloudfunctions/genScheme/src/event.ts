/**
 * Turns whatever JSON event arrives into a typed request for one action, or into a Failure that
 * names the field. Accepts the two shapes users paste from the WeChat docs, cloud-call camelCase
 * and HTTPS snake_case, field for field. A field genScheme does not know is an error, never
 * ignored. zod (`zod/mini`, tree-shaken into the bundle) checks structure and types; the
 * platform's own rules are checked afterwards by the action, with messages of their own.
 */
import * as z from 'zod/mini';
import type { Action } from '../../../miniprogram/shared/contract';
import { clip } from '../../../miniprogram/shared/failure';
import type { ActionDef } from './actions/action';
import { describeType, fail, suggest, typeFailure, unknownField, type Failed } from './event-failures';
import { FieldNames } from './field-names';
import { EVENT_NOT_OBJECT, INVALID_FIELD, UNKNOWN_ACTION } from './wechat/codes';

export { FieldNames };

export interface ParsedEvent {
  action: ActionDef;
  input: Record<string, unknown>;
  /** The admin token as sent; judged by the access layer, never logged or echoed. */
  adminToken?: string;
  names: FieldNames;
}

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
const JUMP = 'jumpWxa';

/**
 * The zod builders an action's fields(z) may use (event-fields.ts says why actions get them
 * passed). A short list, not zod's whole namespace: passing the namespace as a value would keep
 * every part of zod in the bundle.
 */
export const zodBuilders = {
  optional: z.optional,
  string: z.string,
  number: z.number,
  boolean: z.boolean,
  strictObject: z.strictObject,
  looseObject: z.looseObject,
};

/**
 * Fields every action accepts. `userInfo` is added by wx.cloud.callFunction to every call from a
 * mini program: accepted, never trusted (identity comes from getWXContext()).
 */
function commonFields() {
  return { action: z.optional(z.string()), adminToken: z.optional(z.string()), userInfo: z.optional(z.unknown()) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  names: FieldNames,
): { value: Record<string, unknown> } | Failed {
  const value: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(source)) {
    const canonical = Object.prototype.hasOwnProperty.call(aliases, key) ? aliases[key] : key;
    const shown = shownPrefix ? `${shownPrefix}.${key}` : key;
    if (Object.prototype.hasOwnProperty.call(value, canonical)) {
      return fail({
        errcode: INVALID_FIELD,
        field: clip(shown),
        rule: 'event.duplicateField',
        message: {
          zh: `${clip(shown)} 与 ${names.shown(prefix + canonical)} 是同一个字段，只能写一次。`,
          en: `${clip(shown)} and ${names.shown(prefix + canonical)} are the same field; give it once.`,
        },
        hint: { zh: '只保留一种写法（camelCase 或 snake_case）。', en: 'Keep one spelling (camelCase or snake_case).' },
      });
    }
    value[canonical] = source[key];
    names.set(prefix + canonical, shown);
  }
  return { value };
}

/** Each action's schema, built on first use and kept: an instance typically serves one action. */
const schemas = new Map<Action, z.ZodMiniObject>();
function schemaOf(action: ActionDef): z.ZodMiniObject {
  let schema = schemas.get(action.name);
  if (!schema) {
    schema = z.strictObject({ ...commonFields(), ...action.fields(zodBuilders) });
    schemas.set(action.name, schema);
  }
  return schema;
}

/**
 * A timer trigger's event (`{ Type: "timer", TriggerName, Time, Message }`, as CloudBase passes it)
 * runs the action its trigger is named after, with no fields: `sweep` is the one meant for it
 * (config.json declares that trigger). Anything else is an ordinary event.
 */
function timerAction(event: Record<string, unknown>): Record<string, unknown> | null {
  const { Type: type, TriggerName: name } = event;
  if (typeof type !== 'string' || type.toLowerCase() !== 'timer' || typeof name !== 'string') return null;
  return { action: name };
}

/** Parses an event against the action table. Never throws: anything unexpected becomes a Failure. */
export function parseEvent(event: unknown, actions: ReadonlyMap<Action, ActionDef>): ParsedEvent | Failed {
  if (!isPlainObject(event)) {
    return fail({
      errcode: EVENT_NOT_OBJECT,
      field: '(event)',
      rule: 'event.notObject',
      message: { zh: `事件必须是 JSON 对象，收到的是 ${describeType(event)}。`, en: `The event must be a JSON object; got ${describeType(event)}.` },
      hint: {
        zh: '例如 {"jumpWxa":{"path":"pages/index/index"},"expireInterval":7}。',
        en: 'For example {"jumpWxa":{"path":"pages/index/index"},"expireInterval":7}.',
      },
    });
  }
  const timer = timerAction(event);
  if (timer) return parseEvent(timer, actions);
  const rawAction = Object.prototype.hasOwnProperty.call(event, 'action') ? event.action : undefined;
  if (rawAction !== undefined && typeof rawAction !== 'string') return typeFailure('action', 'string', rawAction);
  const name = (rawAction ?? 'generate') as Action;
  const action = actions.get(name);
  if (!action) {
    const known = [...actions.keys()];
    const guess = suggest(name, known);
    return fail({
      errcode: UNKNOWN_ACTION,
      field: 'action',
      rule: 'event.unknownAction',
      message: { zh: `action "${clip(name)}" 未知。`, en: `Unknown action "${clip(name)}".` },
      hint: {
        zh: `${guess ? `是否想写 "${guess}"？` : ''}可用：${known.join(', ')}（不填即 generate）。`,
        en: `${guess ? `Did you mean "${guess}"? ` : ''}Use one of ${known.join(', ')} (generate when left out).`,
      },
    });
  }

  const names = new FieldNames();
  // An action may add aliases of its own fields; the shared ones (and generate's behaviour) stay as they are.
  const aliases = action.aliases ? { ...TOP_ALIASES, ...action.aliases } : TOP_ALIASES;
  const top = canonicalise(event, aliases, '', '', names);
  if ('failure' in top) return top;
  const snake = Object.keys(event).some((k) => k in aliases);
  if (top.value[JUMP] !== undefined) {
    const jump = top.value[JUMP];
    if (!isPlainObject(jump)) return typeFailure(names.shown(JUMP), 'object', jump);
    const inner = canonicalise(jump, JUMP_ALIASES, `${JUMP}.`, names.shown(JUMP), names);
    if ('failure' in inner) return inner;
    top.value[JUMP] = inner.value;
  }

  const schema = schemaOf(action);
  const result = schema.safeParse(top.value);
  if (!result.success) {
    // Unknown keys first: a misspelt field explains a "missing" one better than a type error.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const issue = issues[0];
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const inJump = at === JUMP;
      const snakeName = (f: string) => (snake ? (Object.keys(aliases).find((k) => aliases[k] === f) ?? f) : f);
      const candidates = inJump
        ? ['path', 'query', snake ? 'env_version' : 'envVersion']
        : [...Object.keys(action.fields(zodBuilders)).map(snakeName), 'action', 'adminToken'];
      const shownKey = names.has((inJump ? `${JUMP}.` : '') + key)
        ? (names
            .shown((inJump ? `${JUMP}.` : '') + key)
            .split('.')
            .pop() ?? key)
        : key;
      return unknownField(shownKey, inJump ? names.shown(JUMP) : '', name, snake, candidates);
    }
    const shown = names.shown(at);
    const got = issue.path.reduce<unknown>((v, k) => (isPlainObject(v) ? v[String(k)] : undefined), top.value);
    if (got === undefined) {
      return fail({
        errcode: INVALID_FIELD,
        field: shown,
        rule: 'event.required',
        message: { zh: `action "${name}" 需要字段 ${shown}。`, en: `action "${name}" needs the field ${shown}.` },
        hint: { zh: `补上 ${shown}。`, en: `Add ${shown}.` },
      });
    }
    const expected = 'expected' in issue && typeof issue.expected === 'string' ? issue.expected : 'valid';
    return typeFailure(shown, expected, got);
  }

  // The action's own fields go to the action; the token and userInfo are set apart.
  const { adminToken, userInfo: _userInfo, action: _action, ...input } = result.data as Record<string, unknown>;
  return { action, input, adminToken: adminToken as string | undefined, names };
}
