/**
 * Runs a built cloud function (its real `exports.main`) in this process, against the
 * emulator: before each call, process.env gets functionEnv(caller) — the caller variables
 * of the previous call removed first — so wx-server-sdk talks to the emulator and
 * cloud.getWXContext() returns this caller. getWXContext reads process.env when called, so
 * invoke calls one at a time when callers differ; concurrent calls of one caller are fine.
 */
import { basename, dirname, resolve } from 'path';
import { CALLER_KEYS, SHELL_KEYS } from './function-env';
import type { Caller, Emulator } from './types';

/** What SCF hands `main` as its second argument (the fields a function may read). */
export interface FunctionContext {
  request_id: string;
  function_name: string;
  function_version: string;
  namespace: string;
  memory_limit_in_mb: number;
  time_limit_in_ms: number;
  [key: string]: unknown;
}

export type CloudMain<E = unknown, R = unknown> = (event: E, context: FunctionContext) => R | Promise<R>;

export interface LoadedFunction<E = unknown, R = unknown> {
  main: CloudMain<E, R>;
  /** Sets the environment for `caller` (none = a console-like call without OPENID) and calls main. */
  invoke(event: E, caller?: Caller, context?: Partial<FunctionContext>): Promise<R>;
}

/** Replaces process.env's emulator and caller variables with `vars` (and drops SHELL_KEYS that would mislead the SDK). */
export function applyFunctionEnv(vars: Record<string, string>): void {
  for (const key of [...CALLER_KEYS, ...SHELL_KEYS]) delete process.env[key];
  Object.assign(process.env, vars);
}

let requestCounter = 0;

/**
 * Loads `indexJsPath` (e.g. cloudfunctions/genScheme/index.js) with require — once per
 * module registry, like a warm SCF instance — and binds it to `emulator`.
 * The emulator's environment is applied before loading, since a function may call
 * cloud.init() at module load.
 */
export function loadFunction<E = unknown, R = unknown>(indexJsPath: string, emulator: Pick<Emulator, 'functionEnv'>): LoadedFunction<E, R> {
  applyFunctionEnv(emulator.functionEnv());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(indexJsPath)) as { main?: CloudMain<E, R> };
  if (typeof mod.main !== 'function') throw new Error(`${indexJsPath} does not export main`);
  const main = mod.main;
  const functionName = basename(dirname(resolve(indexJsPath)));
  return {
    main,
    async invoke(event, caller, context) {
      const vars = emulator.functionEnv(caller);
      applyFunctionEnv(vars);
      requestCounter += 1;
      return main(event, {
        request_id: `emulator-${process.pid}-${requestCounter}`,
        function_name: functionName,
        function_version: '$LATEST',
        namespace: vars.SCF_NAMESPACE,
        memory_limit_in_mb: 256,
        time_limit_in_ms: 3000,
        ...context,
      });
    },
  };
}
