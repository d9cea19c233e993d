/** Set-up for the database tests: an emulator, and the REAL wx-server-sdk's cloud.database() pointed at it. */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/src';
import { applyFunctionEnv } from '../../emulator/src/run-function';
import { APP_JSON, FUNCTION_CONFIG, T0 } from './support';

// The SDK's database API is untyped enough that tests use it as the function would: loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = any;

export interface DatabaseHarness {
  emu: Emulator;
  db: Db;
  /** db.command */
  _: Db;
  /** The emulator's clock, ms (serverDate uses it). */
  clock: { now: number };
}

/** The real SDK pointed at the emulator whose functionEnv() is `env`; cloud.init runs once per test file's module registry, as in a function instance. */
export function sdkDatabase(env: Record<string, string>): Db {
  applyFunctionEnv(env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return cloud.database();
}

/** An emulator for the file's tests; before each test: no calls, no faults, no collections, clock at T0. */
export function useDatabase(options: EmulatorOptions = {}): DatabaseHarness {
  const h = { clock: { now: T0 } } as DatabaseHarness;
  beforeAll(async () => {
    h.emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 7, now: () => h.clock.now, ...options });
    h.db = sdkDatabase(h.emu.functionEnv());
    h._ = h.db.command;
  });
  beforeEach(() => {
    h.emu.reset();
    h.clock.now = T0;
    applyFunctionEnv(h.emu.functionEnv()); // another file's emulator may have moved TCB_CONTEXT_CNFG
  });
  afterAll(() => h.emu.close());
  return h;
}

/** What the SDK threw: errCode and errMsg (or the thrown value itself when it is not an Error). */
export async function failure(promise: Promise<unknown>): Promise<{ errCode?: number; errMsg?: string; thrown: unknown }> {
  try {
    await promise;
  } catch (e) {
    const err = e as { errCode?: number; errMsg?: string; message?: string };
    return { errCode: err?.errCode, errMsg: err?.errMsg ?? err?.message, thrown: e };
  }
  throw new Error('expected the SDK to throw, it resolved');
}
