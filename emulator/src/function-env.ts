/**
 * The environment a cloud function process needs so the REAL wx-server-sdk talks to the
 * emulator and cloud.getWXContext() reports the caller (cloudbase-wire.md, and
 * wx-server-sdk 4.0.2 index.js `getWXContext`):
 *   - getWXContext() returns {} unless WX_CONTEXT_KEYS is set. It then copies each listed
 *     variable, dropping a `WX_` prefix (WX_OPENID → OPENID, WX_CLIENTIP → CLIENTIP), skips
 *     unset ones and turns all-digit values into numbers; it adds ENV = TCB_ENV || SCF_NAMESPACE
 *     and SOURCE = TCB_SOURCE.
 *   - So CLIENTIP / CLIENTIPV6 come from WX_CLIENTIP / WX_CLIENTIPV6 listed in WX_CONTEXT_KEYS
 *     (node-sdk reads the same two variables), and SOURCE from TCB_SOURCE.
 */
import type { Caller } from './types';

/** Variables functionEnv() may set for a caller; cleared before each invoke so callers don't leak into each other. */
export const CALLER_KEYS = ['WX_CONTEXT_KEYS', 'WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6', 'TCB_SOURCE'] as const;

/**
 * Variables a developer's shell may carry (CloudBase CLI, WeChat devtools' local debugging,
 * real credentials) that change what the SDK does: TCB_ENV overrides getWXContext().ENV,
 * TENCENTCLOUD_RUNENV=WX_LOCAL_SCF switches the SDK to devtools mode, =SCF makes it demand a
 * region, TCB_CONTEXT_KEYS makes it read more context. Removed before each invoke.
 */
export const SHELL_KEYS = ['TCB_ENV', 'TCB_CONTEXT_KEYS', 'TENCENTCLOUD_RUNENV', 'TENCENTCLOUD_SESSIONTOKEN'] as const;

/** Listed whenever there is a caller, like production; unset ones are skipped by getWXContext. */
const CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6';

export function buildFunctionEnv(gatewayUrl: string, defaults: { env: string; appid: string }, caller?: Caller): Record<string, string> {
  const env = caller?.env ?? defaults.env;
  const vars: Record<string, string> = {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: gatewayUrl }),
    // Any non-empty values: the emulator does not check the signature, and without them
    // the SDK dies of an unhandled rejection ("missing secretId or secretKey").
    TENCENTCLOUD_SECRETID: 'emulator-secret-id',
    TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
    // What cloud.DYNAMIC_CURRENT_ENV and getWXContext().ENV resolve from.
    SCF_NAMESPACE: env,
    // Tells node-sdk it already runs in Tencent Cloud, so it never probes
    // http://metadata.tencentyun.com (slow DNS, and traffic off this machine).
    TENCENTCLOUD: 'true',
    // Without it a database call that fails at the HTTP level leaves a 3 s "slow request"
    // timer that keeps the process alive and prints [TCB][WARN] (cloudbase-database-wire.md).
    SILENCE: 'true',
  };
  // No caller at all = a console test call: getWXContext() returns {}.
  if (!caller) return vars;
  vars.WX_CONTEXT_KEYS = CONTEXT_KEYS;
  if (caller.openid !== undefined) vars.WX_OPENID = caller.openid;
  // A mini program calls with its own APPID; without an openid there is no APPID unless given.
  const appid = caller.appid ?? (caller.openid !== undefined ? defaults.appid : undefined);
  if (appid !== undefined) vars.WX_APPID = appid;
  if (caller.unionid !== undefined) vars.WX_UNIONID = caller.unionid;
  if (caller.clientIp !== undefined) vars.WX_CLIENTIP = caller.clientIp;
  if (caller.clientIpV6 !== undefined) vars.WX_CLIENTIPV6 = caller.clientIpV6;
  if (caller.source !== undefined) vars.TCB_SOURCE = caller.source;
  return vars;
}
