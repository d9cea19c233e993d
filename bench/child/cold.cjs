// One cold start, in a fresh Node process started by scripts/bench.mjs (never run twice in a process).
//   node bench/child/cold.cjs split FUNCTION_INDEX_JS   require('wx-server-sdk') alone, then the function
//   node bench/child/cold.cjs whole FUNCTION_INDEX_JS   require the function with nothing preloaded
// Prints one JSON line: { sdkMs, ownMs } for split, { wholeMs } for whole.
// The environment (fake CloudBase credentials, TENCENTCLOUD=true) comes from the parent.
'use strict';
const path = require('path');

const [mode, indexJs] = process.argv.slice(2);
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;
const out = {};
if (mode === 'split') {
  // Resolve the SDK exactly as the function will, so the second require hits the cache.
  const sdkPath = require.resolve('wx-server-sdk', { paths: [path.dirname(indexJs)] });
  let t = process.hrtime.bigint();
  require(sdkPath);
  out.sdkMs = ms(t);
  t = process.hrtime.bigint();
  require(indexJs);
  out.ownMs = ms(t);
} else if (mode === 'whole') {
  const t = process.hrtime.bigint();
  require(indexJs);
  out.wholeMs = ms(t);
} else {
  throw new Error(`unknown mode ${mode}`);
}
out.rssMB = process.memoryUsage().rss / 2 ** 20;
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0); // the SDK may hold timers or sockets open; the measurement is done
