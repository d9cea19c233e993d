/**
 * EJSON in and out (cloudbase-database-wire.md "Encoding"): the SDK sends canonical EJSON inside
 * JSON strings and parses list items of replies with bson's EJSON. `bson` is loaded on the first
 * database call, so an openapi-only emulator starts without it.
 */
import type * as Bson from 'bson';
import { invalidParam } from './errors';

export type Doc = Record<string, unknown>;

let bson: typeof Bson | undefined;
function loadBson(): typeof Bson {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bson ??= require('bson') as typeof Bson;
  return bson;
}

/** JS accepts these flags; BSON regexes may also carry x/l, which JS lacks. */
const JS_REGEXP_FLAGS = /[gimsuy]/g;

/**
 * Parses one EJSON string as the SDK wrote it, then makes it what mingo evaluates:
 * BSONRegExp → RegExp, `{$tcb_server_date:{offset}}` → the server's time plus offset.
 */
export function decodeEjson(text: unknown, nowMs: number, field: string): unknown {
  if (typeof text !== 'string') throw invalidParam(`${field} must be an EJSON string`);
  let value: unknown;
  try {
    value = loadBson().EJSON.parse(text, { relaxed: true });
  } catch (e) {
    throw invalidParam(`${field} is not valid EJSON: ${(e as Error).message}`);
  }
  return toEvaluable(value, nowMs);
}

function toEvaluable(value: unknown, nowMs: number): unknown {
  if (Array.isArray(value)) return value.map((v) => toEvaluable(v, nowMs));
  if (value === null || typeof value !== 'object') return value;
  const { BSONRegExp } = loadBson();
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, (value.options.match(JS_REGEXP_FLAGS) ?? []).join(''));
  if (!isPlainObject(value)) return value; // Date, ObjectId, Long, …
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const offset = Number((value as { $tcb_server_date?: { offset?: unknown } }).$tcb_server_date?.offset ?? 0);
    return new Date(nowMs + (Number.isFinite(offset) ? offset : 0));
  }
  return Object.fromEntries(keys.map((k) => [k, toEvaluable((value as Doc)[k], nowMs)]));
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Canonical EJSON: keeps int/double and dates exact for the SDK's bson 4 parser. */
export function encodeEjson(value: unknown): string {
  return loadBson().EJSON.stringify(value, { relaxed: false });
}

/** Relaxed EJSON for people and tests (control endpoint). */
export function encodeRelaxed(value: unknown): string {
  return loadBson().EJSON.stringify(value, { relaxed: true });
}

export function parseRelaxed(text: string): unknown {
  return loadBson().EJSON.parse(text, { relaxed: true });
}
