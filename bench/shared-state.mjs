// The shared-state part of `npm run bench` (issue 12 item 8), called by scripts/bench.mjs:
// several instances of the BUILT function (cloudfunctions/genScheme/index.js), each in its own
// process with its own real wx-server-sdk (test/support/instance-worker.js), against one emulator that
// serves openapi AND the database. What each figure means and how it is taken: bench/README.md,
// "6. Shared state".
//
//   A. database round trips and the latency they add: requests one at a time, the emulator's
//      database latency 10 ms, GENSCHEME_STATE=database vs memory (same 10 ms) in the same rounds;
//   B. WeChat calls per 1,000 generate requests, Zipf (s = 1) over 100 targets, seeded, with reuse
//      (GENSCHEME_REUSE=on) and without (off), four instances;
//   C. the 400-request burst over four instances (distinct targets, reuse off).
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The same worker the multi-instance tests use.
const workerJs = join(here, '../test/support/instance-worker.js');

export const SHARED_STATE = Object.freeze({
  dbLatencyMs: 10,
  latencyRounds: 40, // A: samples per kind (user / public callers: CALLER_ROUNDS)
  callerRounds: 10,
  zipfRequests: 1000,
  zipfTargets: 100,
  zipfS: 1,
  zipfSeed: 12,
  zipfConcurrency: 8,
  burstRequests: 400,
  instances: 4,
  secret: 'bench-secret-for-hashing',
});
const TRUSTED = { source: 'wx_client,scf' };
// The collections the function creates on first use; seeded empty after each reset() so every
// part starts from an empty state without paying the first-use createCollection round trips.
const COLLECTIONS = ['genscheme_limits', 'genscheme_counters', 'genscheme_links'];

// ---- helpers ----------------------------------------------------------------------------------
export function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : NaN;
}
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
}
/** mulberry32: a small seeded RNG, so every run draws the same workload. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** `count` ranks in 1..n drawn from Zipf(s): P(k) ∝ 1 / k^s, by inverting the cumulative weights. */
export function zipfRanks(count, n, s, seed) {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const u = random();
    const k = cdf.findIndex((c) => u < c);
    return (k < 0 ? n - 1 : k) + 1;
  });
}
/** The most calls whose arrival times fall in any window of `ms` (sliding, both ends by arrival). */
export function busiestWindow(times, ms) {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
/**
 * The longest chain of round trips each of which arrived at least `gapMs` after the previous one:
 * with the database answering `latencyMs` after a request arrives, a round trip that waited for
 * another's answer arrives ≥ latencyMs after it; ones that arrive closer together were in flight
 * together. An upper bound on the sequential round trips (a core busy elsewhere can only spread
 * concurrent ones, never bring dependent ones closer).
 */
function chainLength(times, gapMs) {
  let n = 0;
  let last = -Infinity;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t - last >= gapMs) {
      n++;
      last = t;
    }
  }
  return n;
}
const shortCall = (c) => `${(c.collection ?? '?').replace(/^genscheme_/, '')}.${c.action.replace(/^database\./, '').replace(/Document$/, '')}`;

// ---- instances --------------------------------------------------------------------------------
export async function startFleet(emulator, indexJs, count, env) {
  const children = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = fork(workerJs, [indexJs], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      await new Promise((ready, fail) => (child.once('message', () => ready()), child.once('error', fail)));
      return child;
    }),
  );
  const instances = children.map((child) => {
    const pending = new Map();
    child.on('message', (m) => {
      if (m.id === undefined) return;
      const { reply } = m;
      pending.get(m.id)?.({
        errcode: reply?.errcode,
        openlink: reply?.openlink,
        reused: reply?.reused === true,
        attempts: reply?.attempts,
        source: reply?.source,
        rule: reply?.rule,
        startedAt: m.startedAt,
        ms: m.ms,
      });
      pending.delete(m.id);
    });
    let next = 0;
    return {
      invoke(event, caller = TRUSTED, timeLimitMs = 15_000) {
        const id = next++;
        return new Promise((done) => {
          pending.set(id, done);
          child.send({ id, env: { ...env, ...emulator.functionEnv(caller) }, event, timeLimitMs });
        });
      },
    };
  });
  return {
    instances,
    stop: () => Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((gone) => (c.once('exit', () => gone()), c.send('exit')))))),
  };
}

/** Forgets calls, faults, the emulator's rate and daily counters and the database; the collections exist again, empty. */
export function freshState(emulator) {
  emulator.reset();
  for (const name of COLLECTIONS) emulator.database.seed(name, []);
}

const generateEvent = (query, extra = {}) => ({ jumpWxa: { path: 'pages/product/detail', query }, expireInterval: 7, ...extra });

// ---- A. database round trips and latency -------------------------------------------------------
async function measureDatabaseCost(emulator, fleets) {
  const { on, off, memOn, memOff } = fleets;
  freshState(emulator);
  emulator.setFaults({ databaseLatencyMs: SHARED_STATE.dbLatencyMs });
  const samples = {};
  const kinds = {
    dbFirstUse: 'database: the first generate on an empty database (window and counter documents created)',
    dbMiss: 'database: miss that generates (reuse on)',
    memMiss: 'memory: miss that generates (reuse on)',
    dbOff: 'database: reuse off (always generates)',
    memOff: 'memory: reuse off (always generates)',
    dbHitShared: 'database: reuse hit, link made by another instance',
    dbHitLocal: 'database: reuse hit, link known to this instance',
    memHitLocal: 'memory: reuse hit, link known to this instance',
    dbUserFirst: "database: miss, a mini-program user's first request (the user's window document is created)",
    dbUser: 'database: miss, the same user again',
    dbPublicFirst: "database: miss, a public caller's first request from an IP (the IP's window document is created)",
    dbPublic: 'database: miss, the same IP again',
  };
  for (const k of Object.keys(kinds)) samples[k] = [];
  // One request at a time over every instance, so each database call belongs to the request in
  // flight: the calls recorded between sending it and its reply.
  async function one(kind, instance, event, caller) {
    const before = emulator.databaseCalls.length;
    const openapiBefore = emulator.calls.length;
    const reply = await instance.invoke(event, caller);
    const db = emulator.databaseCalls.slice(before);
    const wechat = emulator.calls.slice(openapiBefore).filter((c) => c.apiName === 'urlscheme.generate');
    samples[kind].push({
      ms: reply.ms,
      errcode: reply.errcode,
      reused: reply.reused,
      startedAt: reply.startedAt,
      db: db.map((c) => ({ t: c.time, call: shortCall(c) })),
      wechat: wechat.map((c) => c.time),
    });
  }
  await one('dbFirstUse', on[0], generateEvent('first'));
  for (let r = 0; r < SHARED_STATE.latencyRounds; r++) {
    await one('dbMiss', on[0], generateEvent(`lat=${r}`));
    await one('memMiss', memOn[0], generateEvent(`lat=${r}`));
    await one('dbOff', off[0], generateEvent(`off=${r}`));
    await one('memOff', memOff[0], generateEvent(`off=${r}`));
    await one('dbHitShared', on[1], generateEvent(`lat=${r}`));
    await one('dbHitLocal', on[1], generateEvent(`lat=${r}`));
    await one('memHitLocal', memOn[0], generateEvent(`lat=${r}`));
    if (r < SHARED_STATE.callerRounds) {
      // Distinct users and IPs: each one's first request, then a second one (the per-IP limit is 5 a minute).
      const user = { openid: `oBenchUser${r}`, source: 'wx_client' };
      const visitor = { source: 'wx_client', clientIp: `10.0.0.${r + 1}` };
      await one('dbUserFirst', on[2], generateEvent(`user=${r}`), user);
      await one('dbUser', on[2], generateEvent(`user=${r}.2`), user);
      await one('dbPublicFirst', on[3], generateEvent(`public=${r}`), visitor);
      await one('dbPublic', on[3], generateEvent(`public=${r}.2`), visitor);
    }
  }
  emulator.clearFaults();
  const gap = SHARED_STATE.dbLatencyMs - 2; // timer rounding: a dependent call arrives ≥ ~10 ms later
  const summary = {};
  for (const [kind, list] of Object.entries(samples)) {
    const ok = list.filter((s) => s.errcode === 0);
    const perRequest = ok.map((s) => {
      const wechatAt = s.wechat.length ? Math.min(...s.wechat) : Infinity;
      const beforeCalls = s.db.filter((c) => c.t <= wechatAt);
      const afterCalls = s.db.filter((c) => c.t > wechatAt);
      const before = chainLength(
        beforeCalls.map((c) => c.t),
        gap,
      );
      const after = chainLength(
        afterCalls.map((c) => c.t),
        gap,
      );
      // e.g. "[limits.modify ‖ links.query] → WeChat → [counters.modify ‖ links.set]"
      const stages = (calls) => {
        const out = [];
        let cur = null;
        for (const c of [...calls].sort((a, b) => a.t - b.t)) {
          if (!cur || c.t - cur.t >= gap) out.push((cur = { t: c.t, calls: [] }));
          cur.calls.push(c.call);
        }
        return out.map((st) => `[${st.calls.sort().join(' ‖ ')}]`);
      };
      const layout =
        [...stages(beforeCalls), ...(s.wechat.length ? [`WeChat${s.wechat.length > 1 ? ` ×${s.wechat.length}` : ''}`] : []), ...stages(afterCalls)].join(
          ' → ',
        ) || '(none)';
      return { dbCalls: s.db.length, wechatCalls: s.wechat.length, sequential: before + after, before, after, layout };
    });
    const layouts = new Map();
    for (const p of perRequest) layouts.set(p.layout, (layouts.get(p.layout) ?? 0) + 1);
    const count = (f) => perRequest.map(f);
    summary[kind] = {
      what: kinds[kind],
      requests: list.length,
      failed: list.length - ok.length,
      errcodes: [...new Set(list.filter((s) => s.errcode !== 0).map((s) => s.errcode))],
      reused: ok.filter((s) => s.reused).length,
      p50Ms: median(ok.map((s) => s.ms)),
      p90Ms: pct(
        ok.map((s) => s.ms),
        0.9,
      ),
      dbCallsPerRequest: {
        median: median(count((p) => p.dbCalls)),
        min: Math.min(...count((p) => p.dbCalls)),
        max: Math.max(...count((p) => p.dbCalls)),
        mean: count((p) => p.dbCalls).reduce((a, b) => a + b, 0) / Math.max(1, ok.length),
      },
      wechatCallsPerRequest: { min: Math.min(...count((p) => p.wechatCalls)), max: Math.max(...count((p) => p.wechatCalls)) },
      sequentialRoundTrips: {
        median: median(count((p) => p.sequential)),
        max: Math.max(...count((p) => p.sequential)),
        beforeWeChatMax: Math.max(...count((p) => p.before)),
        afterWeChatMax: Math.max(...count((p) => p.after)),
      },
      layouts: [...layouts].sort((a, b) => b[1] - a[1]).map(([layout, n]) => ({ layout, n })),
      samplesMs: ok.map((s) => Number(s.ms.toFixed(2))),
    };
  }
  return {
    latencyMs: SHARED_STATE.dbLatencyMs,
    rounds: SHARED_STATE.latencyRounds,
    callerRounds: SHARED_STATE.callerRounds,
    gapMs: gap,
    kinds: summary,
    addedP50Ms: summary.dbMiss.p50Ms - summary.memMiss.p50Ms,
    addedP50OffMs: summary.dbOff.p50Ms - summary.memOff.p50Ms,
  };
}

// ---- B. Zipf workload: WeChat calls per 1,000 requests ------------------------------------------
async function zipfRun(emulator, instances, ranks, label) {
  freshState(emulator);
  const replies = [];
  let next = 0;
  const t0 = performance.now();
  async function worker() {
    while (next < ranks.length) {
      const i = next++;
      replies.push(await instances[i % instances.length].invoke(generateEvent(`z=${ranks[i]}`)));
    }
  }
  await Promise.all(Array.from({ length: SHARED_STATE.zipfConcurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const wechat = emulator.calls.filter((c) => c.apiName === 'urlscheme.generate');
  const db = emulator.databaseCalls;
  return {
    label,
    requests: ranks.length,
    seconds,
    wechatCalls: wechat.length,
    callsPer1000: (wechat.length / ranks.length) * 1000,
    gateway44990: wechat.filter((c) => c.errcode === 44990).length,
    reused: replies.filter((r) => r.reused).length,
    failed: replies.filter((r) => r.errcode !== 0).length,
    dbCalls: db.length,
    dbCallsPerRequest: db.length / ranks.length,
    dbCallsByKind: Object.fromEntries([...db.reduce((m, c) => m.set(shortCall(c), (m.get(shortCall(c)) ?? 0) + 1), new Map())].sort()),
  };
}

// ---- C. the 400-request burst over four instances -----------------------------------------------
async function burst(emulator, instances) {
  freshState(emulator);
  const t0 = Date.now();
  const replies = await Promise.all(
    Array.from({ length: SHARED_STATE.burstRequests }, (_, i) => instances[i % instances.length].invoke(generateEvent(`burst=${i}`))),
  );
  const seconds = (Date.now() - t0) / 1000;
  const wechat = emulator.calls.filter((c) => c.apiName === 'urlscheme.generate');
  const times = wechat.map((c) => c.time).sort((a, b) => a - b);
  const idealSeconds = SHARED_STATE.burstRequests / 100;
  return {
    requests: SHARED_STATE.burstRequests,
    instances: instances.length,
    seconds,
    idealSeconds,
    ratioToIdeal: seconds / idealSeconds,
    wechatCalls: wechat.length,
    busiestSecond: busiestWindow(times, 1000),
    meanPerSecond: wechat.length / seconds,
    arrivalSpanSeconds: times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0,
    firstArrivalAfterMs: times.length ? times[0] - t0 : NaN,
    gateway44990: wechat.filter((c) => c.errcode === 44990).length,
    gatewayRefused: wechat.filter((c) => c.errcode !== 0).length,
    replies44990: replies.filter((r) => r.errcode === 44990).length,
    repliesFailed: replies.filter((r) => r.errcode !== 0).length,
    failedErrcodes: [...new Set(replies.filter((r) => r.errcode !== 0).map((r) => r.errcode))],
    dbCalls: emulator.databaseCalls.length,
  };
}

/**
 * Runs A, B and C; returns every figure (the bench writes them into latest.json, `sharedState`).
 * `startEmulator` is the emulator module's (emulator/load.mjs), `indexJs` the built function.
 */
export async function measureSharedState({ startEmulator, indexJs, appJsonPath, functionConfigPath, log }) {
  const t0 = performance.now();
  const emulator = await startEmulator({ appJsonPath, functionConfigPath, seed: 12 });
  const env = { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: SHARED_STATE.secret };
  const fleets = [];
  try {
    log(`bench: shared state — starting ${2 * SHARED_STATE.instances + 2} instances of the built function (own process, own SDK) …`);
    const [on, off, memOn, memOff] = await Promise.all([
      startFleet(emulator, indexJs, SHARED_STATE.instances, { ...env, GENSCHEME_REUSE: 'on' }),
      startFleet(emulator, indexJs, SHARED_STATE.instances, { ...env, GENSCHEME_REUSE: 'off' }),
      startFleet(emulator, indexJs, 1, { GENSCHEME_STATE: 'memory', GENSCHEME_REUSE: 'on' }),
      startFleet(emulator, indexJs, 1, { GENSCHEME_STATE: 'memory', GENSCHEME_REUSE: 'off' }),
    ]);
    fleets.push(on, off, memOn, memOff);
    // Warm-up: every instance loads the function and the SDK and makes a few links (collections created, JIT).
    const all = fleets.flatMap((f) => f.instances);
    for (let round = 0; round < 2; round++) await Promise.all(all.map((instance, i) => instance.invoke(generateEvent(`warm=${round}.${i}`))));
    const startSeconds = (performance.now() - t0) / 1000;

    log(
      `bench: shared state — A. database round trips, ${SHARED_STATE.latencyRounds} rounds one request at a time, database latency ${SHARED_STATE.dbLatencyMs} ms …`,
    );
    let t = performance.now();
    const database = await measureDatabaseCost(emulator, { on: on.instances, off: off.instances, memOn: memOn.instances, memOff: memOff.instances });
    const databaseSeconds = (performance.now() - t) / 1000;
    await Promise.all([memOn.stop(), memOff.stop()]);

    log(
      `bench: shared state — B. ${SHARED_STATE.zipfRequests} generate requests, Zipf over ${SHARED_STATE.zipfTargets} targets, reuse on and off (off is paced by the function: ≥ 12.6 s) …`,
    );
    t = performance.now();
    const ranks = zipfRanks(SHARED_STATE.zipfRequests, SHARED_STATE.zipfTargets, SHARED_STATE.zipfS, SHARED_STATE.zipfSeed);
    const zipfOn = await zipfRun(emulator, on.instances, ranks, 'GENSCHEME_REUSE=on');
    const zipfOff = await zipfRun(emulator, off.instances, ranks, 'GENSCHEME_REUSE=off');
    const counts = ranks.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map());
    const zipf = {
      requests: SHARED_STATE.zipfRequests,
      targets: SHARED_STATE.zipfTargets,
      s: SHARED_STATE.zipfS,
      seed: SHARED_STATE.zipfSeed,
      concurrency: SHARED_STATE.zipfConcurrency,
      instances: SHARED_STATE.instances,
      distinctTargets: counts.size,
      topTargetShare: (counts.get(1) ?? 0) / ranks.length,
      on: zipfOn,
      off: zipfOff,
      ratio: zipfOff.callsPer1000 / zipfOn.callsPer1000,
    };
    const zipfSeconds = (performance.now() - t) / 1000;

    log(`bench: shared state — C. burst of ${SHARED_STATE.burstRequests} distinct generate requests over ${SHARED_STATE.instances} instances, reuse off …`);
    t = performance.now();
    const burstResult = await burst(emulator, off.instances);
    const burstSeconds = (performance.now() - t) / 1000;
    return {
      ...SHARED_STATE,
      caller: TRUSTED,
      database,
      zipf,
      burst: burstResult,
      phases: { startSeconds, databaseSeconds, zipfSeconds, burstSeconds, totalSeconds: (performance.now() - t0) / 1000 },
    };
  } finally {
    await Promise.all(fleets.map((f) => f.stop()));
    await emulator.close();
  }
}

/** The table's rows: [section, measurement, value, goal, pass|undefined]. */
export function sharedStateRows(r, goals, fmt) {
  const d = r.database.kinds;
  const ms = (k) => `${fmt(d[k].p50Ms, 1)} / ${fmt(d[k].p90Ms, 1)} ms`;
  const trips = (k) => {
    const c = d[k].dbCallsPerRequest;
    const range = c.min === c.max ? `${c.min}` : `${c.min}–${c.max} (median ${c.median})`;
    const failed = d[k].failed ? `, ${d[k].failed} failed (${d[k].errcodes.join(', ')})` : '';
    const w = d[k].wechatCallsPerRequest;
    return `${range} · ${d[k].sequentialRoundTrips.max} · ${w.min === w.max ? w.min : `${w.min}–${w.max}`}${failed}`;
  };
  const z = r.zipf;
  const b = r.burst;
  const lat = r.database.latencyMs;
  return [
    [
      'shared',
      `WeChat calls / 1,000 generate, Zipf s=${z.s}, ${z.targets} targets`,
      `reuse on ${fmt(z.on.callsPer1000, 0)} · off ${fmt(z.off.callsPer1000, 0)}`,
    ],
    ['state', '… ratio off / on', `${fmt(z.ratio, 1)}× (${z.distinctTargets} of ${z.targets} targets drawn)`],
    ['', '… database round trips per request, on / off', `${fmt(z.on.dbCallsPerRequest, 2)} / ${fmt(z.off.dbCallsPerRequest, 2)}`],
    [
      '',
      `burst of ${b.requests}, ${b.instances} instances: busiest second at WeChat`,
      `${b.busiestSecond} calls`,
      `≤ ${goals.gatewayPerSecond}/s`,
      b.busiestSecond <= goals.gatewayPerSecond,
    ],
    ['', '… mean rate (calls / time to finish)', `${fmt(b.meanPerSecond, 0)} per second`],
    [
      '',
      '… 44990: answered at the gateway / returned',
      `${b.gateway44990} / ${b.replies44990}${b.repliesFailed > b.replies44990 ? ` (+${b.repliesFailed - b.replies44990} other failures)` : ''}`,
    ],
    ['', '… time to finish vs the 4 s ideal', `${fmt(b.seconds, 2)} s = ${fmt(b.ratioToIdeal, 2)}× ideal`],
    ['', `database round trips per generate (${lat} ms each)`, 'count · most in sequence · WeChat calls'],
    ['', '… reuse hit, link known to this instance', trips('dbHitLocal')],
    ['', '… reuse hit, link made by another instance', trips('dbHitShared')],
    ['', '… miss that generates (reuse on)', trips('dbMiss')],
    ['', '… reuse off', trips('dbOff')],
    ['', '… miss, mini-program user: returning / first', `${trips('dbUser')} / ${trips('dbUserFirst')}`],
    ['', '… miss, public caller: same IP again / first', `${trips('dbPublic')} / ${trips('dbPublicFirst')}`],
    ['', '… first generate on an empty database', trips('dbFirstUse')],
    ['', `generate p50 / p90, database ${lat} ms: miss`, `${ms('dbMiss')} (memory state ${ms('memMiss')})`],
    ['', '… reuse off', `${ms('dbOff')} (memory state ${ms('memOff')})`],
    ['', '… added by the database at p50: miss / reuse off', `${fmt(r.database.addedP50Ms, 1)} / ${fmt(r.database.addedP50OffMs, 1)} ms`],
    ['', '… reuse hit, link made by another instance', ms('dbHitShared')],
    ['', '… reuse hit, link known to this instance', `${ms('dbHitLocal')} (memory state ${ms('memHitLocal')})`],
    ['', 'time of this part (10 processes, 3 workloads)', `${fmt(r.phases.totalSeconds, 1)} s`],
  ];
}

/** Lines under the table: the round trips of each kind of request in order (most common layout first). */
export function sharedStateNotes(r) {
  const d = r.database.kinds;
  const layout = (k) => {
    const n = d[k].requests - d[k].failed;
    return d[k].layouts
      .slice(0, 2)
      .map((l) => (d[k].layouts.length > 1 ? `${l.layout} (${l.n} of ${n})` : l.layout))
      .join('; ');
  };
  return [
    `database round trips in order, one request at a time (database ${r.database.latencyMs} ms; ‖ = in flight together; counters.get = today's count, read once a second per instance):`,
    `  miss: ${layout('dbMiss')}`,
    `  reuse off: ${layout('dbOff')}`,
    `  hit, link made by another instance: ${layout('dbHitShared')}`,
    `  user, returning: ${layout('dbUser')}`,
    `  user, first: ${layout('dbUserFirst')}`,
    `  public, same IP again: ${layout('dbPublic')}`,
    `  first generate on an empty database: ${layout('dbFirstUse')}`,
  ];
}
