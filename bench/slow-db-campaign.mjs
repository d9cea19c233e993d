// Two parts of `npm run bench`, called by scripts/bench.mjs after the shared-state part, on
// processes of the BUILT function (test/support/instance-worker.js, one process and one real
// wx-server-sdk each) against one emulator serving openapi and the database. What each figure
// means and how it is taken: bench/README.md, "7. Slow database" and "8. Campaign".
//
//   7. slow database (issue 17): for each database latency, a fresh fleet of four instances,
//      warmed, then a burst of distinct generates with a 6 s time limit each: links issued at the
//      gateway vs returned, busiest second at WeChat, 44990, reply times, database round trips;
//   8. campaign (issue 18): visitors resolving one stable link over eight instances, database at
//      10 ms: served / refused, database requests per resolve, resolve times, cold vs warm instance.
import os from 'node:os';
import { busiestWindow, median, pct, startFleet } from './shared-state.mjs';

export const SLOW_DATABASE = Object.freeze({
  latenciesMs: [10, 100, 600, 1500],
  instances: 4,
  requests: 100,
  timeLimitMs: 6000,
  // Pacing counts the live instances twice, 1 s apart (SECOND_COUNT_AFTER_MS): wait past it.
  settleMs: 1200,
});
export const CAMPAIGN = Object.freeze({
  visitors: 2000,
  instances: 8,
  perInstance: 8, // requests in flight per instance during the burst (as test/multi/campaign.e2e.test.ts)
  databaseMs: 10,
  warmRounds: 3, // resolves per instance after its first, one at a time
  code: 'bench-campaign',
});
const TRUSTED = { source: 'wx_client,scf' };
const SECRET = 'bench-secret-for-hashing';
const ADMIN_TOKEN = 'bench-admin-Qm7Xr2Lp9Tz4';
const COLLECTIONS = ['genscheme_limits', 'genscheme_counters', 'genscheme_links', 'genscheme_meta', 'genscheme_stable_links', 'genscheme_stable_openers'];
const ENV = { GENSCHEME_STATE: 'database', GENSCHEME_STATE_SECRET: SECRET, GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN };
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const ticketOf = (openlink) => /[?&]t=([^&]+)/.exec(String(openlink ?? ''))?.[1] ?? '';
const slowDatabase = (emulator, ms) => emulator.setFaults({ faults: [{ kind: 'slow', api: 'database', ms }] });

function fresh(emulator) {
  emulator.reset();
  for (const name of COLLECTIONS) emulator.database.seed(name, []);
}
/** Items of `a` not matched one for one in `b` (multisets). */
function missing(a, b) {
  const left = b.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n) left.set(x, n - 1);
    return !n;
  });
}
/** instance.invoke, or `{ errcode: 'no reply' }` when the process has not answered 15 s after the time limit (it crashed). */
function ask(instance, event, caller, timeLimitMs = 15_000) {
  let timer;
  const gone = new Promise((r) => (timer = setTimeout(() => r({ errcode: 'no reply', ms: NaN, startedAt: NaN }), timeLimitMs + 15_000)));
  return Promise.race([instance.invoke(event, caller, timeLimitMs), gone]).finally(() => clearTimeout(timer));
}
const finite = (list) => list.filter((x) => Number.isFinite(x));
const countBy = (list) => Object.fromEntries([...list.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map())].sort());

// ---- 7. slow database --------------------------------------------------------------------------
async function slowRun(emulator, indexJs, latencyMs) {
  const { requests, instances: count, timeLimitMs, settleMs } = SLOW_DATABASE;
  fresh(emulator);
  const loadAtStart = os.loadavg()[0];
  const fleet = await startFleet(emulator, indexJs, count, ENV);
  try {
    const { instances } = fleet;
    // Warm: module, SDK, the state's collections, pacing's count of live instances.
    const warm = await Promise.all(instances.map((f, i) => ask(f, { jumpWxa: { path: 'pages/index/index', query: `warm=${i}` } }, TRUSTED)));
    await pause(settleMs);
    slowDatabase(emulator, latencyMs);
    const callsFrom = emulator.calls.length;
    const dbFrom = emulator.databaseCalls.length;
    const t0 = performance.now();
    const replies = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        ask(instances[i % count], { jumpWxa: { path: 'pages/product/detail', query: `slow=${latencyMs}&id=${i}` } }, TRUSTED, timeLimitMs),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const dbCalls = emulator.databaseCalls.slice(dbFrom);
    // A link WeChat issues after the last reply reached nobody: look a moment later too.
    await pause(300);
    const generate = emulator.calls.slice(callsFrom).filter((c) => c.apiName === 'urlscheme.generate');
    emulator.clearFaults();
    const issued = generate.filter((c) => c.errcode === 0).map((c) => ticketOf(c.response?.openlink));
    const returned = replies.filter((r) => r.errcode === 0).map((r) => ticketOf(r.openlink));
    const ms = finite(replies.map((r) => r.ms));
    // Each dropped link's request (its query names it): when WeChat got the call, after main()
    // began, and what the caller got instead, at what time.
    const droppedTickets = new Set(missing(issued, returned));
    const droppedDetail = generate
      .filter((c) => c.errcode === 0 && droppedTickets.has(ticketOf(c.response?.openlink)))
      .map((c) => {
        const i = Number(/[?&]id=(\d+)/.exec(String(c.request?.jump_wxa?.query ?? ''))?.[1]);
        const r = replies[i];
        return {
          request: i,
          gatewayAfterStartMs: r ? c.time - r.startedAt : null,
          replyMs: r ? Number(r.ms.toFixed(1)) : null,
          replyErrcode: r?.errcode ?? null,
          replyRule: r?.rule ?? null,
        };
      });
    return {
      latencyMs,
      warmFailed: warm.filter((r) => r.errcode !== 0).length,
      requests,
      seconds,
      issued: issued.length,
      returned: returned.length,
      dropped: missing(issued, returned).length, // issued at the gateway, never returned to a caller
      droppedDetail,
      loadavgAtStart: Number(loadAtStart.toFixed(2)),
      unknownReturned: missing(returned, issued).length, // returned, but not issued during the burst (should be 0)
      succeeded: replies.filter((r) => r.errcode === 0).length,
      failedErrcodes: countBy(replies.filter((r) => r.errcode !== 0).map((r) => String(r.errcode))),
      gatewayCalls: generate.length,
      busiestSecond: busiestWindow(
        generate.map((c) => c.time),
        1000,
      ),
      gateway44990: generate.filter((c) => c.errcode === 44990).length,
      p50Ms: pct(ms, 0.5),
      p99Ms: pct(ms, 0.99),
      maxMs: Math.max(...ms),
      lateReplies: ms.filter((m) => m >= timeLimitMs).length,
      dbCalls: dbCalls.length,
      dbCallsPerGenerate: dbCalls.length / requests,
      dbCallsByKind: countBy(
        dbCalls.map((c) => `${(c.collection ?? '?').replace(/^genscheme_/, '')}.${c.action.replace(/^database\./, '').replace(/Document$/, '')}`),
      ),
    };
  } finally {
    emulator.clearFaults();
    await fleet.stop();
  }
}

// ---- 8. campaign -------------------------------------------------------------------------------
/** Visitor i: its own address (public callers are limited per address). */
const visitor = (i) => ({ source: 'wx_http', clientIp: `198.18.${Math.floor(i / 250)}.${i % 250}` });

async function campaign(emulator, indexJs) {
  const { visitors, instances: count, perInstance, databaseMs, warmRounds, code } = CAMPAIGN;
  fresh(emulator);
  slowDatabase(emulator, databaseMs);
  // The link is made, and its ticket generated, by an admin process of its own, so the fleet's
  // instances are fresh (nothing loaded, nothing cached) when they meet their first visitor.
  const admin = await startFleet(emulator, indexJs, 1, ENV);
  let made;
  let first;
  try {
    made = await ask(admin.instances[0], { action: 'createLink', adminToken: ADMIN_TOKEN, code, jumpWxa: { path: 'pages/index/index' } });
    first = await ask(admin.instances[0], { action: 'resolveLink', code }, visitor(visitors + 100));
  } finally {
    await admin.stop();
  }
  const fleet = await startFleet(emulator, indexJs, count, ENV);
  try {
    const { instances } = fleet;
    let v = visitors + 200; // visitors of the cold / warm samples, apart from the burst's
    const cold = [];
    const warm = [];
    const sampleFailed = [];
    // One request at a time: a fresh instance's first resolve, then later ones on warm instances.
    for (const f of instances) {
      const r = await ask(f, { action: 'resolveLink', code }, visitor(v++));
      (r.errcode === 0 ? cold : sampleFailed).push(r.errcode === 0 ? r.ms : r.errcode);
    }
    for (let round = 0; round < warmRounds; round++)
      for (const f of instances) {
        const r = await ask(f, { action: 'resolveLink', code }, visitor(v++));
        (r.errcode === 0 ? warm : sampleFailed).push(r.errcode === 0 ? r.ms : r.errcode);
      }

    const callsFrom = emulator.calls.length;
    const dbFrom = emulator.databaseCalls.length;
    const replies = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      instances.flatMap((f) =>
        Array.from({ length: perInstance }, async () => {
          for (let i = next++; i < visitors; i = next++) replies.push(await ask(f, { action: 'resolveLink', code }, visitor(i)));
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const dbCalls = emulator.databaseCalls.slice(dbFrom);
    const served = replies.filter((r) => r.errcode === 0);
    const ms = finite(replies.map((r) => r.ms));
    return {
      ...CAMPAIGN,
      loadavgAtStart: Number(os.loadavg()[0].toFixed(2)),
      linkMade: made?.errcode === 0,
      firstResolve: first?.errcode,
      seconds,
      served: served.length,
      refused: replies.length - served.length,
      refusedErrcodes: countBy(replies.filter((r) => r.errcode !== 0).map((r) => String(r.errcode))),
      tickets: new Set(served.map((r) => r.openlink)).size,
      generateCalls: emulator.calls.slice(callsFrom).filter((c) => c.apiName === 'urlscheme.generate').length,
      dbCalls: dbCalls.length,
      dbCallsPerResolve: dbCalls.length / visitors,
      dbCallsByKind: countBy(
        dbCalls.map((c) => `${(c.collection ?? '?').replace(/^genscheme_/, '')}.${c.action.replace(/^database\./, '').replace(/Document$/, '')}`),
      ),
      p50Ms: pct(ms, 0.5),
      p99Ms: pct(ms, 0.99),
      maxMs: Math.max(...ms),
      perSecond: visitors / seconds,
      cold: { n: cold.length, p50Ms: median(cold), samplesMs: cold.map((x) => Number(x.toFixed(2))) },
      warm: { n: warm.length, p50Ms: median(warm), samplesMs: warm.map((x) => Number(x.toFixed(2))) },
      sampleFailed,
    };
  } finally {
    emulator.clearFaults();
    await fleet.stop();
  }
}

/** Runs 7 and 8 on one emulator of their own; returns every figure (latest.json `slowDatabase`, `campaign`). */
export async function measureSlowDatabaseAndCampaign({ startEmulator, indexJs, appJsonPath, functionConfigPath, log }) {
  const emulator = await startEmulator({ appJsonPath, functionConfigPath, seed: 17 });
  try {
    const runs = [];
    let t = performance.now();
    for (const ms of SLOW_DATABASE.latenciesMs) {
      log(
        `bench: slow database — ${ms} ms: ${SLOW_DATABASE.requests} generates over ${SLOW_DATABASE.instances} fresh instances, ${SLOW_DATABASE.timeLimitMs / 1000} s limit …`,
      );
      runs.push(await slowRun(emulator, indexJs, ms));
    }
    const slowSeconds = (performance.now() - t) / 1000;
    log(`bench: campaign — ${CAMPAIGN.visitors} visitors resolving one link over ${CAMPAIGN.instances} instances, database ${CAMPAIGN.databaseMs} ms …`);
    t = performance.now();
    const campaignResult = await campaign(emulator, indexJs);
    const campaignSeconds = (performance.now() - t) / 1000;
    return { slowDatabase: { ...SLOW_DATABASE, caller: TRUSTED, runs, seconds: slowSeconds }, campaign: { ...campaignResult, partSeconds: campaignSeconds } };
  } finally {
    await emulator.close();
  }
}

/** The table's rows: [section, measurement, value, goal, pass|undefined]. */
export function slowDatabaseRows(s, goals, fmt) {
  const runs = s.runs;
  const per = (f) => runs.map(f).join(' · ');
  const allEqual = runs.every((r) => r.dropped === 0 && r.issued === r.returned);
  const worstBusiest = Math.max(...runs.map((r) => r.busiestSecond));
  const total44990 = runs.reduce((n, r) => n + r.gateway44990, 0);
  const failed = (r) => {
    const e = Object.entries(r.failedErrcodes);
    return e.length ? ` (${e.map(([c, n]) => `${n}×${c}`).join(', ')})` : '';
  };
  return [
    [
      'slow',
      `database ${runs.map((r) => r.latencyMs).join(' · ')} ms: ${s.requests} generates, ${s.instances} instances, ${s.timeLimitMs / 1000} s limit`,
      'per latency, in that order',
    ],
    [
      'database',
      '… links issued at the gateway / returned (dropped)',
      per((r) => `${r.issued}/${r.returned}${r.dropped ? ` (${r.dropped} DROPPED)` : ''}`),
      'issued = returned',
      allEqual,
    ],
    ['', '… succeeded (failures by errcode)', per((r) => `${r.succeeded}${failed(r)}`)],
    [
      '',
      '… busiest second at WeChat / 44990 at the gateway',
      per((r) => `${r.busiestSecond}/${r.gateway44990}`),
      `≤ ${goals.gatewayPerSecond}/s, 0×44990`,
      worstBusiest <= goals.gatewayPerSecond && total44990 === 0,
    ],
    ['', '… reply time p50 / p99 (ms)', per((r) => `${fmt(r.p50Ms, 0)}/${fmt(r.p99Ms, 0)}`)],
    ['', '… database round trips per generate', per((r) => fmt(r.dbCallsPerGenerate, 1))],
    ['', '… time of this part (4 fleets, warm-up and burst each)', `${fmt(s.seconds, 1)} s`],
  ];
}

export function campaignRows(c, goals, fmt) {
  const refused = Object.entries(c.refusedErrcodes);
  return [
    [
      'campaign',
      `${c.visitors.toLocaleString('en-US')} visitors, one stable link, ${c.instances} instances, database ${c.databaseMs} ms: served / refused`,
      `${c.served} / ${c.refused}${refused.length ? ` (${refused.map(([e, n]) => `${n}×${e}`).join(', ')})` : ''} · ${c.tickets} ticket, ${c.generateCalls} generate`,
    ],
    ['', '… database requests per resolve', fmt(c.dbCallsPerResolve, 2), `≤ ${goals.campaignDbPerResolve}`, c.dbCallsPerResolve <= goals.campaignDbPerResolve],
    ['', `… resolve p50 / p99, ${c.perInstance} in flight per instance`, `${fmt(c.p50Ms, 1)} / ${fmt(c.p99Ms, 1)} ms (${fmt(c.perSecond, 0)} resolves/s)`],
    ['', '… one at a time: cold instance (first resolve) / warm, p50', `${fmt(c.cold.p50Ms, 1)} / ${fmt(c.warm.p50Ms, 1)} ms (n = ${c.cold.n} / ${c.warm.n})`],
    ['', '… time of this part', `${fmt(c.partSeconds, 1)} s`],
  ];
}

/** Lines under the table. */
export function slowCampaignNotes(s, c) {
  const kinds = (o) =>
    Object.entries(o)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const worst = s.runs[s.runs.length - 1];
  return [
    `slow database: per latency a fresh fleet of ${s.instances} (database state, default reuse, trusted caller), one generate each and ${s.settleMs} ms, then the database slowed before applying (every action) and ${s.requests} distinct generates at once; late replies (≥ ${s.timeLimitMs / 1000} s) ${s.runs.map((r) => r.lateReplies).join(' · ')}; load average at each start ${s.runs.map((r) => r.loadavgAtStart).join(' · ')}; database calls at ${worst.latencyMs} ms: ${kinds(worst.dbCallsByKind)}`,
    ...s.runs
      .filter((r) => r.droppedDetail.length)
      .map((r) => {
        const d = r.droppedDetail;
        const at = d.map((x) => x.gatewayAfterStartMs).filter((x) => x !== null);
        const got = countBy(d.map((x) => `${x.replyErrcode}${x.replyRule ? ` ${x.replyRule}` : ''}`));
        return `dropped links at ${r.latencyMs} ms: ${d.length}, reached WeChat ${Math.min(...at)}–${Math.max(...at)} ms after main() began; their callers got ${Object.entries(
          got,
        )
          .map(([k, n]) => `${n}× ${k}`)
          .join(', ')} after ${Math.min(...d.map((x) => x.replyMs))}–${Math.max(...d.map((x) => x.replyMs))} ms`;
      }),
    `campaign: link made and its ticket generated by a separate admin process; cold / warm = one resolve at a time on each fresh instance, then ${c.warmRounds} more each; burst visitors are public callers (wx_http), one address each; database calls: ${kinds(c.dbCallsByKind)}`,
  ];
}
