// A fresh process from nothing to its first reply: loads FUNCTION_INDEX_JS, calls its main() once
// with a generate event (the emulator's functionEnv() and the caller come from the parent, which
// times the whole process), prints the reply's errcode and exits.
//   node bench/child/first-reply.cjs FUNCTION_INDEX_JS QUERY
'use strict';
const [indexJs, query] = process.argv.slice(2);
if (!indexJs || !query) throw new Error('usage: first-reply.cjs FUNCTION_INDEX_JS QUERY');
const { main } = require(indexJs);
console.log = () => undefined; // the function's log line
main(
  { action: 'generate', jumpWxa: { path: 'pages/product/detail', query }, expireInterval: 7 },
  { time_limit_in_ms: 10_000, request_id: `first-reply-${process.pid}` },
).then(
  (reply) => {
    process.stdout.write(`${JSON.stringify({ errcode: reply.errcode })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
