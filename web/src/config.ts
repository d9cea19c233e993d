/**
 * The page's settings, read from `window.GENSCHEME_CONFIG` (set by web/config.js).
 * Bad values are dropped with a console warning instead of breaking the page: a link that
 * needs a missing value then shows the error view, and the other links keep working.
 */
import { checkQuery, isEnvVersion } from '../../miniprogram/shared/checks';
import { APPID_PATTERN } from '../../miniprogram/shared/platform';
import type { LinkConfig, LiveTarget } from './link-params';

export interface WebConfig extends LinkConfig {
  /** wx + 16 hex digits, or '' when not set. */
  appid: string;
  /** gh_ + 12 hex digits (the open tag's `username`), or '' when not set. */
  username: string;
  /** Shown to visitors. */
  name: string;
  /** CloudBase environment id. */
  env: string;
  /** Optional JS-SDK signature endpoint; '' = CloudBase static hosting's signature-free wx.config. */
  signatureUrl: string;
  live: LiveTarget | null;
}

const USERNAME = /^gh_[0-9a-f]{12}$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function readConfig(raw: unknown): { config: WebConfig; warnings: string[] } {
  const source = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const warnings: string[] = [];
  if (raw === undefined) warnings.push('config.js did not load: window.GENSCHEME_CONFIG is missing');

  let appid = text(source.appid);
  if (appid && !APPID_PATTERN.test(appid)) {
    warnings.push(`config.appid "${appid}" is not a mini-program AppID (wx + 16 hex digits)`);
    appid = '';
  }
  let username = text(source.username);
  if (username && !USERNAME.test(username)) {
    warnings.push(`config.username "${username}" is not an original id (gh_ + 12 hex digits)`);
    username = '';
  }

  let live: LiveTarget | null = null;
  if (typeof source.live === 'object' && source.live !== null) {
    const l = source.live as Record<string, unknown>;
    const path = text(l.path);
    const query = text(l.query);
    const env = text(l.envVersion);
    const queryProblem = checkQuery(query, { field: 'live.query' });
    if (path.includes('?') || queryProblem || (env && !isEnvVersion(env))) {
      warnings.push(
        `config.live is invalid (${queryProblem?.message.en ?? 'path must not hold "?" and envVersion must be release, trial or develop'}); live generation is off`,
      );
    } else {
      live = { path, query, ...(isEnvVersion(env) ? { envVersion: env } : {}) };
    }
  }

  const env = text(source.env);
  if (live && (!appid || !env)) {
    warnings.push('config.live needs config.appid and config.env (the CloudBase environment); live generation is off');
    live = null;
  }

  const config: WebConfig = {
    appid,
    username,
    name: text(source.name),
    env,
    signatureUrl: text(source.signatureUrl),
    live,
  };
  return { config, warnings };
}
