/**
 * The function's configuration, read once per instance from its environment variables and the
 * optional policy.json beside index.js. What is wrong is said in start-up log lines; a wrong
 * policy fails closed for untrusted callers, a weak admin token disables admin access by token.
 */
import type { PolicyState } from './access/authorize';
import { weakTokenReason } from './access/admin-token';
import { loadPolicy, type ActionAccess } from './access/policy';

export interface Settings {
  /** Pages of the mini program (main package and subpackages), from app.json at build time. */
  pages: readonly string[];
  /** GENSCHEME_APPID: for plaintext links when the caller's APPID is unknown. */
  appid?: string;
  /** GENSCHEME_H5_BASE_URL: the H5 jump page, e.g. https://<env>.tcloudbaseapp.com/jump.html */
  h5BaseUrl?: string;
}

export interface Configuration {
  settings: Settings;
  policy: PolicyState;
  /** GENSCHEME_ADMIN_TOKEN when it is strong enough to be used. */
  adminToken?: string;
  /** Lines for the start-up log: configuration problems, never secrets. */
  startupLog: string[];
}

export interface PolicyFile {
  json?: unknown;
  error?: string;
}

export function configure(env: Record<string, string | undefined>, policyFile: PolicyFile, pages: readonly string[], actions: readonly ActionAccess[]): Configuration {
  const startupLog: string[] = [];
  const { policy, errors } = loadPolicy(policyFile.json, env, { pages, actions });
  if (policyFile.error) errors.unshift(policyFile.error);
  if (errors.length) startupLog.push(`[genScheme] policy configuration is wrong; untrusted callers are refused until it is fixed: ${errors.join('; ')}`);

  let adminToken = env.GENSCHEME_ADMIN_TOKEN || undefined;
  const weak = adminToken === undefined ? null : weakTokenReason(adminToken);
  if (weak) {
    startupLog.push(`[genScheme] GENSCHEME_ADMIN_TOKEN is too weak (${weak}); admin access by token is disabled. Set a long random value, e.g. the output of \`openssl rand -hex 24\`.`);
    adminToken = undefined;
  }
  return {
    settings: { pages, appid: env.GENSCHEME_APPID || undefined, h5BaseUrl: env.GENSCHEME_H5_BASE_URL || undefined },
    policy: { policy, configErrors: errors },
    adminToken,
    startupLog,
  };
}
