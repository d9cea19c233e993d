/**
 * The function's configuration, read once per instance from its environment variables and the
 * optional policy.json beside index.js. What is wrong is said in start-up log lines; a wrong
 * policy fails closed for untrusted callers, a weak admin token disables admin access by token.
 */
import type { PolicyState } from './access/authorize';
import { weakTokenReason } from './access/admin-token';
import { loadPolicy, type ActionAccess } from './access/policy';
import { GENERATE_DAILY_CAP } from '../../../miniprogram/shared/platform';
import { stateModeFrom } from './state';

export interface Settings {
  /** Pages of the mini program (main package and subpackages), from app.json at build time. */
  pages: readonly string[];
  /** GENSCHEME_APPID: for plaintext links when the caller's APPID is unknown. */
  appid?: string;
  /** GENSCHEME_H5_BASE_URL: the H5 jump page, e.g. https://<env>.tcloudbaseapp.com/jump.html */
  h5BaseUrl?: string;
  /** GENSCHEME_DAILY_CAP: links a day before genScheme refuses locally with 44993 (platform-rules §5: 500,000). */
  dailyCap: number;
  /** GENSCHEME_STATE: where limits, today's count and links live (`database`, the default, or `memory`). */
  stateMode: 'database' | 'memory';
  /** GENSCHEME_STATE_SECRET: hashes OPENIDs, IPs and targets in the database; generated and stored once when unset. */
  stateSecret?: string;
  /** GENSCHEME_REUSE (`on`, the default, or `off`): whether generate may return a live identical link. */
  reuse: boolean;
  /** GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE: resolveLink calls a minute per visitor (OPENID or IP). */
  resolvePerVisitorPerMinute: number;
  /** GENSCHEME_RESOLVE_PER_MINUTE: resolveLink calls a minute of everyone together, bursts allowed within the minute (access/resolve-ceiling.ts). */
  resolvePerMinute: number;
}

/** Defaults and bounds of the resolve limits: a database window holds at most 1000 admissions (state/database.ts). */
export const RESOLVE_LIMITS = {
  perVisitorPerMinute: { default: 30, max: 1000 },
  perMinute: { default: 6000, max: 60_000 },
} as const;

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

export function configure(
  env: Record<string, string | undefined>,
  policyFile: PolicyFile,
  pages: readonly string[],
  actions: readonly ActionAccess[],
): Configuration {
  const startupLog: string[] = [];
  const { policy, errors } = loadPolicy(policyFile.json, env, { pages, actions });
  if (policyFile.error) errors.unshift(policyFile.error);
  if (errors.length) startupLog.push(`[genScheme] policy configuration is wrong; untrusted callers are refused until it is fixed: ${errors.join('; ')}`);

  let adminToken = env.GENSCHEME_ADMIN_TOKEN || undefined;
  const weak = adminToken === undefined ? null : weakTokenReason(adminToken);
  if (weak) {
    startupLog.push(
      `[genScheme] GENSCHEME_ADMIN_TOKEN is too weak (${weak}); admin access by token is disabled. Set a long random value, e.g. the output of \`openssl rand -hex 24\`.`,
    );
    adminToken = undefined;
  }
  let dailyCap = GENERATE_DAILY_CAP;
  if (env.GENSCHEME_DAILY_CAP) {
    const cap = Number(env.GENSCHEME_DAILY_CAP);
    // §5: a cap above the platform's own would only move the refusal to WeChat.
    if (Number.isInteger(cap) && cap >= 0 && cap <= GENERATE_DAILY_CAP) dailyCap = cap;
    else
      startupLog.push(
        `[genScheme] GENSCHEME_DAILY_CAP must be a whole number from 0 to ${GENERATE_DAILY_CAP}, not "${env.GENSCHEME_DAILY_CAP}"; using ${GENERATE_DAILY_CAP}.`,
      );
  }
  const reuseText = (env.GENSCHEME_REUSE ?? 'on').trim().toLowerCase();
  const reuse = !['off', 'false', '0'].includes(reuseText);
  if (reuse && !['on', 'true', '1', ''].includes(reuseText))
    startupLog.push(`[genScheme] GENSCHEME_REUSE must be on or off, not "${env.GENSCHEME_REUSE}"; reuse stays on.`);
  const whole = (name: string, fallback: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= 0 && value <= max) return value;
    startupLog.push(`[genScheme] ${name} must be a whole number from 0 to ${max}, not "${raw}"; using ${fallback}.`);
    return fallback;
  };
  const resolvePerVisitorPerMinute = whole(
    'GENSCHEME_RESOLVE_PER_VISITOR_PER_MINUTE',
    RESOLVE_LIMITS.perVisitorPerMinute.default,
    RESOLVE_LIMITS.perVisitorPerMinute.max,
  );
  const resolvePerMinute = whole('GENSCHEME_RESOLVE_PER_MINUTE', RESOLVE_LIMITS.perMinute.default, RESOLVE_LIMITS.perMinute.max);
  const mode = stateModeFrom(env);
  if (typeof mode !== 'string') startupLog.push(`[genScheme] ${mode.error}; using the database.`);
  return {
    settings: {
      pages,
      appid: env.GENSCHEME_APPID || undefined,
      h5BaseUrl: env.GENSCHEME_H5_BASE_URL || undefined,
      dailyCap,
      stateMode: typeof mode === 'string' ? mode : 'database',
      stateSecret: env.GENSCHEME_STATE_SECRET || undefined,
      reuse,
      resolvePerVisitorPerMinute,
      resolvePerMinute,
    },
    policy: { policy, configErrors: errors },
    adminToken,
    startupLog,
  };
}
