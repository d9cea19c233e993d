import { join } from 'path';
import type { GenSchemeReply } from '../../miniprogram/shared/contract';
import type { Emulator } from '../../emulator/src';
import { loadFunction, type LoadedFunction } from '../../emulator/src/run-function';
import { ROOT } from './app-pages';

export const INDEX = join(ROOT, 'cloudfunctions/genScheme/index.js');

/**
 * The single-instance suites test one instance's behaviour call by call: its state in memory
 * and no link reuse, unless a test asks for them (the shared-state suites do).
 */
export const SINGLE_INSTANCE_ENV = { GENSCHEME_STATE: 'memory', GENSCHEME_REUSE: 'off' } as const;

/**
 * Loads a fresh instance of the built function (a cold start: its own module registry, so
 * its own wx-server-sdk, policy and rate limits) with `env` set while it loads — the way
 * CloudBase hands a function its environment variables.
 */
export function loadWithEnv(emulator: Emulator, overrides: Record<string, string> = {}): LoadedFunction<unknown, GenSchemeReply> {
  const env: Record<string, string> = { ...SINGLE_INSTANCE_ENV, ...overrides };
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    saved[key] = process.env[key];
    process.env[key] = env[key];
  }
  try {
    let loaded: LoadedFunction<unknown, GenSchemeReply> | undefined;
    jest.isolateModules(() => {
      loaded = loadFunction<unknown, GenSchemeReply>(INDEX, emulator);
    });
    return loaded!;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Collects the function's log lines (console.log / console.error) while `run` runs; the console stays quiet after. */
export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    return { result: await run(), lines };
  } finally {
    log.mockImplementation(() => undefined);
    error.mockImplementation(() => undefined);
  }
}
