// One instance of the built cloud function in its own process (its own module state, its own
// real wx-server-sdk), driven by the parent over IPC: { id, env, event, timeLimitMs } → { id, reply }.
// The environment of the first message is applied before the function loads, as SCF does.
'use strict';
const path = require('path');

let main;
process.on('message', async (message) => {
  if (message === 'exit') process.exit(0);
  const { id, env, event, timeLimitMs } = message;
  Object.assign(process.env, env);
  main ??= require(path.resolve(__dirname, '../../cloudfunctions/genScheme/index.js')).main;
  const started = Date.now();
  const reply = await main(event, { time_limit_in_ms: timeLimitMs ?? 10_000, request_id: `multi-${process.pid}-${id}` });
  process.send({ id, reply, started, finished: Date.now() });
});
process.send({ ready: true });
