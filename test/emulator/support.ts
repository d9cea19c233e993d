/** Shared set-up for the emulator's tests: a fixed clock and the passthrough function. */
import { join } from 'path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/src';
import { loadFunction, type LoadedFunction } from '../../emulator/src/run-function';

export const ROOT = join(__dirname, '..', '..');
export const APP_JSON = join(ROOT, 'miniprogram', 'app.json');
export const FUNCTION_CONFIG = join(ROOT, 'cloudfunctions', 'genScheme', 'config.json');
export const PASSTHROUGH = join(__dirname, 'fixtures', 'passthrough-function', 'index.js');

/** 2026-11-25 12:00:00 Beijing time. */
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
export const T0_S = T0 / 1000;
export const DAY_S = 86_400;

// The passthrough function returns whatever the SDK returns.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SdkResult = Record<string, any>;

export interface Harness {
  emu: Emulator;
  fn: LoadedFunction<Record<string, unknown>, SdkResult>;
  /** The emulator's clock, ms; tests move it. */
  clock: { now: number };
}

/** Starts an emulator for the file's tests, resets it and the clock before each, closes it after all. */
export function useEmulator(options: EmulatorOptions = {}): Harness {
  const h = { clock: { now: T0 } } as Harness;
  beforeAll(async () => {
    h.emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 7, now: () => h.clock.now, ...options });
    h.fn = loadFunction(PASSTHROUGH, h.emu);
  });
  beforeEach(() => {
    h.emu.reset();
    h.clock.now = T0;
  });
  afterAll(() => h.emu.close());
  return h;
}

export const ENCRYPTED_LINK = /^weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]{14}$/;
/** A URL Link as urllink.generate answers it: 12 URL-safe letters and digits. */
export const URL_LINK = /^https:\/\/wxaurl\.cn\/[0-9A-Za-z]{12}$/;
