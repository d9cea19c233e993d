// The goals, as numbers: used by scripts/bench.mjs for PASS/FAIL and by test/bench/.
'use strict';

module.exports = Object.freeze({
  // Issue 20: a fresh process to a loaded function, genScheme's self-contained index.js (wx-server-sdk
  // bundled in) over the naive layout (require('wx-server-sdk') from node_modules): median of the
  // per-pair ratios of ≥ 15 pairs run A B A B in the same bench run.
  wholeProcessRatio: 0.6,
  // genScheme's own cold load, (b) − (a) per fresh process, is reported without a goal since issue
  // 20: the whole process is what a visitor waits for, and the bundled SDK is most of it.
  // Per call, genScheme's own work with an instant openapi, p99 of the mix.
  perCallP99Us: 200,
  // The bundle's size is reported, not judged: the 60 KB budget was withdrawn (issue 11) in favour
  // of readable code; own load above is the goal that stays.
  // heapUsed + external (Buffers) after forced GCs, from 10,000 to 40,000 calls: < 18 bytes a
  // call. Run-to-run noise of one step is ±250 KiB (JIT code and feedback, GC timing) in genScheme
  // and the baseline alike. test/bench/bench.test.ts checks that a leak of 64 B a call fails it.
  heapGrowthBytes: 512 * 1024,
  // Issue 12 item 7/8: the 400-request burst over four instances reaches WeChat at ≤ 100 calls in
  // the busiest 1-second window of arrivals (platform-rules §5; WeChat counts a sliding second).
  gatewayPerSecond: 100,
  // Issue 17 (bench/slow-db-campaign.mjs): at every database latency (10, 100, 600, 1,500 ms, slow
  // before applying) the 100-generate burst over four instances keeps the busiest second at WeChat
  // ≤ gatewayPerSecond with no 44990 answered there, and every link issued at the gateway is
  // returned to a caller (issued = returned; judged in the bench, no number here).
  // Issue 18: 2,000 visitors resolving one stable link over eight instances, database at 10 ms:
  // database requests per resolve (all requests during the burst / visitors), at most this.
  campaignDbPerResolve: 1.5,
  // npm run bench itself. Was 60 s; the shared-state part (issue 12 item 8, bench/shared-state.mjs)
  // adds ~30 s, ≥ 20 s of it by design: 1,400 generate calls (1,000 Zipf requests with reuse off,
  // then the 400-request burst) at the function's own pacing of 100 calls per 1.4 s — the runs
  // that show the pacing cannot be shorter than the pacing. Measured totals with it: 65.5 s at a
  // load average of 2.3–3.3 on the shared 2-core machine (the other parts took 32 s of it, 18 s
  // when quiet). Issue 20 adds a third kind of cold start and ≥ 32 first-reply processes (15 pairs
  // and a discarded one): 47 s of a 108 s run at a load average of 3.5–5.4, about 20 s when quiet.
  // Issues 17 and 18 add the slow-database and campaign part: ~30 s at a load average of 1.5–2
  // (four fleets of four processes, the 1.5 s run alone ~7 s; the campaign's 2,000 resolves ~4 s
  // of its ~9 s), 47 s at 6–7. Whole runs with it: 146.5 s at a load average of 6–7.6, 228 s at
  // ~15. 150 s keeps the goal a guard against a bench that grows by accident.
  totalSeconds: 150,
});
