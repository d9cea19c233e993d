/**
 * WeChat's own checks on urlscheme.generate, written independently of genScheme's
 * rules module: the emulator exists to catch requests the function should never send,
 * so it applies the platform's exact boundaries (no clock-skew margin) — platform-rules §1.
 * Order of checks: request shape (47001), env_version (85402), path (40165),
 * query (40212), expiry (85401).
 */
import { refuse, Refusal } from './wechat-errors';

export const EXPIRE_MIN_LEAD_MS = 60_000; // §1: "more than 1 minute ahead"
export const DAY_MS = 86_400_000;
export const EXPIRE_MAX_DAYS = 30; // §1: at most 30 days since 2022-04-11
export const QUERY_MAX = 1024; // §1: jump_wxa.query ≤ 1024 chars
/** §1: digits, letters and !#$&'()*+,/:;=?@-._~% (the backtick some copies show is not allowed). */
const QUERY_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$/;
export const ENV_VERSIONS = ['release', 'trial', 'develop'];

/** What a valid generate request asks for. */
export interface GenerateOrder {
  path: string;
  query: string;
  envVersion: string;
  /** Unix seconds. */
  expireTime: number;
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** JSON null is read as "absent", as a JSON→protobuf parser does. */
export const present = (v: unknown): boolean => v !== undefined && v !== null;

/** §1: numeric fields must be JSON numbers (a string is 47001), integers for integer fields. */
export function intField(req: Json, key: string): number | Refusal | undefined {
  const v = req[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'number') return refuse(47001, `${key} is ${JSON.stringify(v)} (${typeof v}); it must be a JSON number`);
  if (!Number.isInteger(v)) return refuse(47001, `${key} = ${v} is not an integer`);
  return v;
}

export function stringField(obj: Json, key: string, where: string): string | Refusal | undefined {
  const v = obj[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'string') return refuse(47001, `${where ? `${where}.` : ''}${key} is ${JSON.stringify(v)}; it must be a string`);
  return v;
}

export function checkPagePath(path: string, pages: Set<string>, field = 'jump_wxa.path'): Refusal | null {
  if (path.includes('?')) return refuse(40165, `${field} "${path}" carries a query string`);
  const page = path.startsWith('/') ? path.slice(1) : path; // WeChat's own example starts with '/'
  if (page !== '' && !pages.has(page)) return refuse(40165, `${field} "${page}" is not a page of app.json`);
  return null;
}

export function checkQueryText(query: string, max: number, field: string): Refusal | null {
  if (query.length > max) return refuse(40212, `${field} is ${query.length} characters; the limit is ${max}`);
  if (!QUERY_CHARS.test(query)) {
    const bad = [...query].find((c) => !QUERY_CHARS.test(c));
    return refuse(40212, `${field} contains ${JSON.stringify(bad)}, outside digits, letters and !#$&'()*+,/:;=?@-._~%`);
  }
  return null;
}

/** Validates a decoded generate request at time `nowMs`. */
export function checkGenerate(req: Json, nowMs: number, pages: Set<string>): GenerateOrder | Refusal {
  // §1: env_version belongs inside jump_wxa; at the top level it is 47001.
  if ('env_version' in req) return refuse(47001, 'env_version sent at the top level; it belongs inside jump_wxa');

  const jump = req.jump_wxa;
  if (present(jump) && !isObject(jump)) return refuse(47001, `jump_wxa is ${JSON.stringify(jump)}; it must be an object`);
  const jw: Json = isObject(jump) ? jump : {};
  const path = stringField(jw, 'path', 'jump_wxa');
  const query = stringField(jw, 'query', 'jump_wxa');
  const envVersion = stringField(jw, 'env_version', 'jump_wxa');
  const expireType = intField(req, 'expire_type');
  const expireTime = intField(req, 'expire_time');
  const expireInterval = intField(req, 'expire_interval');
  for (const v of [path, query, envVersion, expireType, expireTime, expireInterval]) if (v instanceof Refusal) return v;
  if (present(req.is_expire) && typeof req.is_expire !== 'boolean') {
    return refuse(47001, `is_expire is ${JSON.stringify(req.is_expire)}; it must be a boolean`);
  }

  // §1: release (default), trial or develop.
  const env = (envVersion as string | undefined) ?? 'release';
  if (!ENV_VERSIONS.includes(env)) return refuse(85402, `jump_wxa.env_version "${env}" is not release, trial or develop`);

  const pathProblem = checkPagePath((path as string | undefined) ?? '', pages);
  if (pathProblem) return pathProblem;
  const queryProblem = checkQueryText((query as string | undefined) ?? '', QUERY_MAX, 'jump_wxa.query');
  if (queryProblem) return queryProblem;

  const expiry = expiryOf(expireType as number | undefined, expireTime as number | undefined, expireInterval as number | undefined, nowMs);
  if (expiry instanceof Refusal) return expiry;
  const page = ((path as string | undefined) ?? '').replace(/^\//, ''); // stored, and queried back, without the '/'
  return { path: page, query: (query as string | undefined) ?? '', envVersion: env, expireTime: expiry };
}

/**
 * §1: expire_type 0 uses expire_time (Unix s, > now + 60 s and ≤ now + 30 days);
 * 1 uses expire_interval (whole days 1…30). Neither given: since 2022-04-11 every link
 * lives 30 days (is_expire:false no longer makes a permanent one).
 * Emulator's strict reading where the docs are silent: an expire_type given without its
 * field is 85401; an expire_type other than 0/1 is 47001.
 */
export function expiryOf(type: number | undefined, time: number | undefined, interval: number | undefined, nowMs: number): number | Refusal {
  const kind = type ?? 0;
  if (kind !== 0 && kind !== 1) return refuse(47001, `expire_type = ${kind}; it must be 0 or 1`);
  if (kind === 1) {
    if (interval === undefined) return refuse(85401, 'expire_type 1 without expire_interval');
    if (interval < 1 || interval > EXPIRE_MAX_DAYS) return refuse(85401, `expire_interval = ${interval}; it must be 1…30 days`);
    return Math.floor((nowMs + interval * DAY_MS) / 1000);
  }
  if (time === undefined) {
    if (type !== undefined) return refuse(85401, 'expire_type 0 without expire_time');
    return Math.floor((nowMs + EXPIRE_MAX_DAYS * DAY_MS) / 1000);
  }
  const ms = time * 1000;
  if (ms <= nowMs + EXPIRE_MIN_LEAD_MS) {
    return refuse(85401, `expire_time ${time} is ${Math.round((ms - nowMs) / 1000)} s ahead; it must be more than 60 s ahead`);
  }
  if (ms > nowMs + EXPIRE_MAX_DAYS * DAY_MS) {
    return refuse(
      85401,
      `expire_time ${time} is ${((ms - nowMs) / DAY_MS).toFixed(2)} days ahead; the limit is 30 days${time >= 1e12 ? ' (milliseconds instead of seconds?)' : ''}`,
    );
  }
  return time;
}
