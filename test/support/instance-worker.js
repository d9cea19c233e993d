// One instance of the BUILT cloud function in its own process (its own module state, its own real
// wx-server-sdk), driven over IPC by test/support/instances.ts and bench/shared-state.mjs:
//   fork('test/support/instance-worker.js', [INDEX_JS?])
//   → { id, env, event, timeLimitMs }   ← { id, reply, startedAt, ms }
// The environment of the first message is applied before the function loads, as SCF does (the
// function reads its settings once per instance); later messages only change the caller's
// context. `startedAt` is Date.now() when main() was entered (the emulator records its calls on
// the same clock), `ms` the time main() took.
'use strict';
const path = require('path');
const { performance } = require('perf_hooks');

const indexJs = path.resolve(process.argv[2] || path.join(__dirname, '../../cloudfunctions/genScheme/index.js'));
let main;
process.on('message', async (message) => {
  if (message === 'exit') process.exit(0);
  const { id, env, event, timeLimitMs } = message;
  Object.assign(process.env, env);
  main ??= require(indexJs).main;
  const startedAt = Date.now();
  const t = performance.now();
  const reply = await main(event, { time_limit_in_ms: timeLimitMs ?? 10_000, request_id: `instance-${process.pid}-${id}` });
  process.send({ id, reply, startedAt, ms: performance.now() - t });
});
process.send({ ready: true });
