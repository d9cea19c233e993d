/**
 * The real wx-server-sdk's database, pointed at a gateway URL the way the emulator's
 * functionEnv() does (cloudbase-database-wire.md): one SDK per process or jest test file.
 */
import type { Db } from '../../cloudfunctions/genScheme/src/state';
import { buildFunctionEnv } from '../../emulator/src/function-env';

export const TEST_ENV = 'state-test-env';

/** The variables that point the SDK at `gatewayUrl`: the emulator's own functionEnv() for no caller. */
export function sdkEnv(gatewayUrl: string, env = TEST_ENV): Record<string, string> {
  // No caller, so no appid is set.
  return buildFunctionEnv(gatewayUrl, { env, appid: '' });
}

/**
 * Sets the environment (the emulator's functionEnv() when given, else one for `gatewayUrl`)
 * and returns `cloud.database()` of the SDK.
 */
export function sdkDatabase(gatewayUrl: string, vars?: Record<string, string>): Db {
  Object.assign(process.env, vars ?? sdkEnv(gatewayUrl));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  // The real SDK's type must fit the adapter's minimal interface (checked by tsc).
  const db: Db = cloud.database();
  return db;
}
