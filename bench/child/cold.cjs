// One cold start, in a fresh Node process started by scripts/bench.mjs (never run twice in a process).
//   node bench/child/cold.cjs FUNCTION_INDEX_JS [self-contained]
// With `self-contained` (genScheme's index.js, wx-server-sdk bundled into it) only the function is
// required: there is no SDK in node_modules to load first, so sdkMs is 0 and ownMs is everything.
// The parent times the whole process (start, load, exit) around it.
// Times, in this one fresh process and back to back:
//   sdkMs  (a)  require('wx-server-sdk') — resolved exactly as the function resolves it
//   ownMs  (c)  then require(FUNCTION_INDEX_JS) — its SDK require is now a cache hit, so this is
//               the function's own load: parse + compile + top-level code + cloud.init + handler
//   (b) = sdkMs + ownMs is the time to load the function in a fresh process; (c) = (b) − (a) is
//   taken per process, under the same conditions, not as the difference of two noisy medians.
// CPU times (process.cpuUsage, all threads) are reported beside the wall times: on a busy machine
// the wall time includes waiting for a core, the CPU time does not.
// Prints one JSON line. The environment (fake CloudBase credentials, TENCENTCLOUD=true) comes
// from the parent.
'use strict';
const path = require('path');

const indexJs = process.argv[2];
if (!indexJs) throw new Error('usage: cold.cjs FUNCTION_INDEX_JS [self-contained]');
const selfContained = process.argv[3] === 'self-contained';
const sdkPath = selfContained ? null : require.resolve('wx-server-sdk', { paths: [path.dirname(indexJs)] });
const cpuMs = (from) => {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
};
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

let c = process.cpuUsage();
let t = process.hrtime.bigint();
if (sdkPath) require(sdkPath);
const sdkMs = ms(t);
const sdkCpuMs = cpuMs(c);
c = process.cpuUsage();
t = process.hrtime.bigint();
require(indexJs);
const ownMs = ms(t);
const ownCpuMs = cpuMs(c);
const rssMB = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(`${JSON.stringify({ sdkMs, ownMs, functionMs: sdkMs + ownMs, sdkCpuMs, ownCpuMs, rssMB })}\n`);
process.exit(0); // the SDK may hold timers or sockets open; the measurement is done
