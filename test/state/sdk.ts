/**
 * The real wx-server-sdk's database, pointed at a gateway URL the way the emulator's
 * functionEnv() does (cloudbase-database-wire.md): one SDK per process or jest test file.
 */
import type { Db } from '../../cloudfunctions/genScheme/src/state';

export const TEST_ENV = 'state-test-env';

export function sdkEnv(gatewayUrl: string, env = TEST_ENV): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: gatewayUrl }),
    TENCENTCLOUD_SECRETID: 'emulator-secret-id',
    TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
    SCF_NAMESPACE: env,
    TENCENTCLOUD: 'true',
    // Without it a failed HTTP request leaves a 3 s timer and a [TCB][WARN] line.
    SILENCE: 'true',
  };
}

/**
 * Sets the environment (the emulator's functionEnv() when given, else one for `gatewayUrl`)
 * and returns `cloud.database()` of the SDK.
 */
export function sdkDatabase(gatewayUrl: string, vars?: Record<string, string>): Db {
  Object.assign(process.env, vars ? { ...vars, SILENCE: 'true' } : sdkEnv(gatewayUrl));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  // The real SDK's type must fit the adapter's minimal interface (checked by tsc).
  const db: Db = cloud.database();
  return db;
}
