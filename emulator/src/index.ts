/**
 * A local emulator of the CloudBase gateway for `cloud.openapi` (wx.openApi) and `cloud.database()` calls, so the
 * real, unmodified wx-server-sdk runs end to end on a developer machine and in CI.
 * See emulator/README.md.
 */
import { Gateway } from './gateway';
import type { Emulator, EmulatorOptions } from './types';

export type {
  Caller,
  CallSelector,
  Emulator,
  EmulatorDatabase,
  EmulatorStorage,
  RecordedStorageCall,
  StoredFile,
  EmulatorOptions,
  Fault,
  FaultAction,
  FaultPlan,
  RecordedCall,
  RecordedDatabaseCall,
} from './types';
export { DEFAULTS } from './gateway';
/** The cloud.openapi apis served: urlscheme.generate, urlscheme.query, urllink.generate, urllink.query, wxacode.getUnlimited. */
export { API_NAMES } from './openapi';
export { CALLER_KEYS, SHELL_KEYS } from './function-env';
export { databaseFaultsFromFlags, type DatabaseFaultFlags } from './database/fault-flags';

/** Starts the emulator on 127.0.0.1 (a free port unless `port` is given). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Gateway(options).listen();
}
export { decodePng, encodePng, isPng } from './png';
