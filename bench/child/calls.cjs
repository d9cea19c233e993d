// Per-call cost and memory of a handler with an instant in-process openapi, in a child process
// started by scripts/bench.mjs. argv[2] is a JSON job:
//   { target: 'genscheme' | 'baseline', module, pages, mode: 'latency' | 'memory',
//     warmup, calls, sdk?: true (memory: load wx-server-sdk first, as every instance has it),
//     caller?: 'trusted' | 'user' (genScheme only; default trusted),
//     leakBytesPerCall?: N, leakKind?: 'heap' | 'buffer' (memory mode, self-test of the leak
//       check only: keeps N bytes a call, as a JS array on the heap or as a Buffer outside it) }
// memory mode: `calls` per step, four steps, figures after a forced GC after each.
// Prints one JSON line with the figures.
'use strict';

const job = JSON.parse(process.argv[2]);

// ---- the clock -------------------------------------------------------------------------------
// now() is Date.now plus a virtual offset that moves STEP_MS per call: calls "arrive" at ~95 a
// second, just under the 100/s generate pacer of genScheme (wechat/pacer.ts). Without it the pacer
// would (correctly) hold the 101st call of every second and this would measure waiting, not work.
// sleep() moves the offset instead of waiting; `sleeps` counts them (expected: 0).
const STEP_MS = 10.5;
let offset = 0;
let sleeps = 0;
const clock = {
  now: () => Date.now() + offset,
  sleep: (ms) => {
    sleeps++;
    offset += ms;
    return Promise.resolve();
  },
  // genScheme's per-call time-out guard (wechat/call.ts) arms and cancels one timer per call: real ones.
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  random: Math.random,
};

// ---- the openapi: answers at once ----------------------------------------------------------
let generated = 0;
const openapi = {
  urlscheme: {
    generate: async () => {
      generated++;
      return { openlink: 'weixin://dl/business/?t=AbC123', errCode: 0, errMsg: 'ok' };
    },
    query: async () => ({ quotaInfo: { remainVisitQuota: 3000000 }, errCode: 0, errMsg: 'ok' }),
  },
};

// ---- the events: 18 valid generate events for every 2 invalid ones (10 % invalid) --------------
const nowS = Math.floor(Date.now() / 1000);
const VALID = [
  { jumpWxa: { path: 'pages/product/detail', query: 'id=42&from=sms' }, expireInterval: 7 },
  { jumpWxa: { path: 'pages/index/index' } },
  { jumpWxa: { path: '/pages/order/list', query: 'tab=2', envVersion: 'release' }, isExpire: true, expireTime: nowS + 3 * 86400 },
  { jumpWxa: { path: 'packageA/pages/promo/index', query: 'c=spring', envVersion: 'release' }, isExpire: true, expireType: 1, expireInterval: 1 },
  { jumpWxa: { path: 'pages/publishHomework/publishHomework', query: '' }, expireType: 1, expireInterval: 30 },
  { jumpWxa: { path: 'pages/product/detail', query: 'id=7' }, expireInterval: 14, userInfo: { appId: 'wx0123456789abcdef', openId: 'oTest' } },
];
const INVALID = [
  { jumpWxa: { path: 'pages/nope/nope' }, expireInterval: 7 }, // not a page of app.json
  { jumpWxa: { path: 'pages/index/index' }, expireInterval: '7' }, // number sent as a string
  { jumpWxa: { path: 'pages/index/index', query: 'name=张三' } }, // query outside WeChat's charset
  { jumpWxa: { path: 'pages/index/index' }, expireIntervall: 7 }, // unknown (misspelt) field
];
const MIX = [];
for (let i = 0; i < 20; i++) MIX.push(i % 10 === 9 ? { event: INVALID[(i / 10) | 0], valid: false } : { event: VALID[i % VALID.length], valid: true });
// Cycle the invalid ones too: slot k of round r uses INVALID[(2r + k) % 4].
function eventAt(n) {
  const slot = n % 20;
  if (slot % 10 !== 9) return MIX[slot];
  const round = (n / 20) | 0;
  return { event: INVALID[(2 * round + (slot === 19 ? 1 : 0)) % INVALID.length], valid: false };
}

// ---- the handler ------------------------------------------------------------------------------
// Trusted: SOURCE's last hop is `scf` (another function of the environment): no policy limits.
// User: a mini-program user (OPENID), 1,000 of them in turn, so each calls every ~10 s of clock
// time — under the default 20 a minute, but through the whole policy (OPENID hash, page,
// envVersion, days, per-user window).
const TRUSTED = { SOURCE: 'scf' };
const USERS = Array.from({ length: 1000 }, (_, i) => ({ OPENID: `oBenchUser${String(i).padStart(6, '0')}`, APPID: 'wx0123456789abcdef', SOURCE: 'wx_client' }));
let callNo = 0;
let call;
let logBytes = 0;
function load() {
  const m = require(job.module);
  if (job.target === 'genscheme') {
    const { settings, policy } = m.configure({ GENSCHEME_REUSE: 'off' }, {}, job.pages, m.ACTION_ACCESS);
    const handle = m.createHandler({
      openapi,
      clock,
      actions: m.ACTIONS,
      settings,
      policy,
      state: m.createState({ mode: 'memory', clock, log: () => undefined }),
      log: (line) => {
        logBytes += line.length; // the line is built (JSON.stringify) as in production; not printed
      },
    });
    call = job.caller === 'user' ? (event) => handle(event, undefined, USERS[callNo++ % USERS.length]) : (event) => handle(event, undefined, TRUSTED);
  } else {
    const handle = m.createHandler({ openapi, pages: job.pages, now: clock.now });
    call = (event) => handle(event);
  }
}

let wrong = 0;
const leaked = [];
const LEAK = job.leakBytesPerCall | 0;
async function run(n, from, sink) {
  for (let i = 0; i < n; i++) {
    const { event, valid } = eventAt(from + i);
    offset += STEP_MS;
    const t = process.hrtime.bigint();
    const reply = await call(event);
    const dt = process.hrtime.bigint() - t;
    if ((reply.errcode === 0) !== valid) wrong++;
    if (LEAK) leaked.push(job.leakKind === 'buffer' ? Buffer.alloc(LEAK) : new Array(LEAK / 8).fill(i)); // kept: LEAK bytes a call
    if (sink) sink(i, Number(dt) / 1000, valid);
  }
}

function pct(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] : NaN;
}
function stats(values) {
  const s = Float64Array.from(values).sort();
  const sum = s.reduce((a, b) => a + b, 0);
  return { n: s.length, p50: pct(s, 0.5), p90: pct(s, 0.9), p99: pct(s, 0.99), max: s[s.length - 1], mean: sum / s.length };
}

async function settle() {
  for (let i = 0; i < 4; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external };
}

async function main() {
  if (job.mode === 'latency') {
    load();
    await run(job.warmup, 0, null);
    const all = new Float64Array(job.calls);
    const valid = [];
    const invalid = [];
    const started = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    await run(job.calls, job.warmup, (i, us, ok) => {
      all[i] = us;
      (ok ? valid : invalid).push(us);
    });
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6; // this process's CPU time: what one core did, however busy the machine
    const out = {
      all: stats(all),
      valid: stats(valid),
      invalid: stats(invalid),
      callsPerSec: job.calls / elapsedS,
      callsPerCpuSec: job.calls / cpuS,
      wrong,
      sleeps,
      generated,
      logBytes,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const before = await settle();
    if (job.sdk) require(require.resolve('wx-server-sdk', { paths: [require('path').dirname(job.module)] }));
    load();
    const afterLoad = await settle();
    await run(job.calls, 0, null);
    const steps = [];
    for (let k = 0; k < 4; k++) {
      await run(job.calls, k * job.calls, null);
      steps.push({ calls: (k + 1) * job.calls, ...(await settle()) });
    }
    process.stdout.write(`${JSON.stringify({ before, afterLoad, steps, wrong, sleeps })}\n`);
  }
  process.exit(0);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
