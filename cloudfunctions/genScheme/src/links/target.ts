/** The page a link opens, checked against the platform's rules (platform-rules §1) before anything is spent. */
import { checkEnvVersion, checkPath, checkQuery, normalisePath } from '../../../../miniprogram/shared/checks';
import type { Failure } from '../../../../miniprogram/shared/failure';
import { DEFAULT_ENV_VERSION, type EnvVersion } from '../../../../miniprogram/shared/platform';
import type { FieldNames } from '../field-names';

export interface Target {
  /** Normalised: no leading `/`; empty = home page. */
  path: string;
  query: string;
  envVersion: EnvVersion;
}

export interface TargetInput {
  path?: string;
  query?: string;
  envVersion?: string;
}

/**
 * Path (a page of app.json, no query string), query (length and charset) and env_version.
 * `checkQueryCharset` is off for a plaintext link, whose query is url-encoded into the link (§3).
 */
export function checkTarget(
  jump: TargetInput | undefined,
  names: FieldNames,
  pages: readonly string[],
  checkQueryCharset = true,
): { target: Target } | { failure: Failure } {
  const path = jump?.path ?? '';
  const query = jump?.query ?? '';
  const envVersion = jump?.envVersion ?? DEFAULT_ENV_VERSION;
  const failure =
    checkPath(path, pages, names.shown('jumpWxa.path'), names.shown('jumpWxa.query')) ??
    (checkQueryCharset ? checkQuery(query, { field: names.shown('jumpWxa.query') }) : null) ??
    checkEnvVersion(envVersion, names.shown('jumpWxa.envVersion'));
  if (failure) return { failure };
  return { target: { path: normalisePath(path), query, envVersion: envVersion as EnvVersion } };
}
