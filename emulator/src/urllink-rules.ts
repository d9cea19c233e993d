/**
 * WeChat's own checks on urllink.generate (platform-rules §8), written independently of
 * genScheme's rules module, at the platform's exact boundaries. A URL Link shares the
 * scheme's field rules (§1: page, query charset and length, env_version, expiry) but its
 * fields are flat: path / query / env_version sit at the top level, not in jump_wxa.
 * Order of checks: request shape (47001), env_version (85402), path (40165),
 * query (40212), expiry (85401) — the same order as urlscheme.generate.
 */
import { checkPagePath, checkQueryText, ENV_VERSIONS, expiryOf, intField, isObject, present, QUERY_MAX, stringField, type Json } from './scheme-rules';
import { refuse, Refusal } from './wechat-errors';

/** §8: `cloud_base {env, domain, path, query, resource_appid}`, stored with '' for what was not given. */
export interface CloudBase {
  env: string;
  domain: string;
  path: string;
  query: string;
  resource_appid: string;
}

const CLOUD_BASE_KEYS: Array<keyof CloudBase> = ['env', 'domain', 'path', 'query', 'resource_appid'];

/** What a valid urllink.generate request asks for. */
export interface UrlLinkOrder {
  path: string;
  query: string;
  envVersion: string;
  /** Unix seconds. */
  expireTime: number;
  cloudBase: CloudBase;
}

/** The cloud_base a link without one reports back in urllink.query. */
export const NO_CLOUD_BASE: CloudBase = { env: '', domain: '', path: '', query: '', resource_appid: '' };

/** Validates a decoded urllink.generate request at time `nowMs`. */
export function checkUrlLinkGenerate(req: Json, nowMs: number, pages: Set<string>): UrlLinkOrder | Refusal {
  // §8: the fields are flat; jump_wxa is urlscheme.generate's shape. Emulator's choice: 47001,
  // as for env_version outside jump_wxa on a scheme (a body in the other API's shape).
  if (present(req.jump_wxa)) return refuse(47001, 'jump_wxa sent to urllink.generate; a URL Link takes path, query and env_version at the top level');

  const path = stringField(req, 'path', '');
  const query = stringField(req, 'query', '');
  const envVersion = stringField(req, 'env_version', '');
  const expireType = intField(req, 'expire_type');
  const expireTime = intField(req, 'expire_time');
  const expireInterval = intField(req, 'expire_interval');
  for (const v of [path, query, envVersion, expireType, expireTime, expireInterval]) if (v instanceof Refusal) return v;
  // §1/§8: is_expire is legacy (always true now) but still a boolean.
  if (present(req.is_expire) && typeof req.is_expire !== 'boolean') {
    return refuse(47001, `is_expire is ${JSON.stringify(req.is_expire)}; it must be a boolean`);
  }
  const cloudBase = cloudBaseOf(req.cloud_base);
  if (cloudBase instanceof Refusal) return cloudBase;

  // §8: env_version release (default) · trial · develop → 85402 otherwise.
  const env = (envVersion as string | undefined) ?? 'release';
  if (!ENV_VERSIONS.includes(env)) return refuse(85402, `env_version "${env}" is not release, trial or develop`);
  // §8: a published page, no query string; empty = home page → 40165 otherwise.
  const pathProblem = checkPagePath((path as string | undefined) ?? '', pages, 'path');
  if (pathProblem) return pathProblem;
  // §8: query ≤ 1024 chars of the scheme's charset → 40212 otherwise.
  const queryProblem = checkQueryText((query as string | undefined) ?? '', QUERY_MAX, 'query');
  if (queryProblem) return queryProblem;
  // §8: expire_time > 1 min and ≤ 30 days ahead, or expire_interval 1…30 days → 85401 otherwise.
  const expiry = expiryOf(expireType as number | undefined, expireTime as number | undefined, expireInterval as number | undefined, nowMs);
  if (expiry instanceof Refusal) return expiry;

  const page = ((path as string | undefined) ?? '').replace(/^\//, ''); // stored, and queried back, without the '/'
  return { path: page, query: (query as string | undefined) ?? '', envVersion: env, expireTime: expiry, cloudBase };
}

/**
 * §8: cloud_base {env (environment ID), domain?, path (no query), query (≤ 1024 chars),
 * resource_appid?} is optional; the docs name no errcode for a bad one. Emulator's reading:
 * when given it must be an object whose fields are strings, with a non-empty env, a path
 * without '?' and a query of at most 1024 characters; anything else is a malformed body
 * → 47001. Unknown keys are ignored, as elsewhere.
 */
function cloudBaseOf(value: unknown): CloudBase | Refusal {
  if (!present(value)) return { ...NO_CLOUD_BASE };
  if (!isObject(value)) return refuse(47001, `cloud_base is ${JSON.stringify(value)}; it must be an object`);
  const out: CloudBase = { ...NO_CLOUD_BASE };
  for (const key of CLOUD_BASE_KEYS) {
    const v = stringField(value, key, 'cloud_base');
    if (v instanceof Refusal) return v;
    out[key] = v ?? '';
  }
  if (out.env === '') return refuse(47001, 'cloud_base without env (the CloudBase environment ID of the middle page)');
  if (out.path.includes('?')) return refuse(47001, `cloud_base.path "${out.path}" carries a query string; it belongs in cloud_base.query`);
  // §8: cloud_base.query ≤ 1024 characters.
  if (out.query.length > QUERY_MAX) return refuse(47001, `cloud_base.query is ${out.query.length} characters; the limit is ${QUERY_MAX}`);
  return out;
}
