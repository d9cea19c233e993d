/**
 * The faults a real database has: a write that lands late (`slow`), a write that lands at once but
 * is answered late (`lateReply`), and the next N requests failing — set before or during a test,
 * in-process or over HTTP. Two clients, as two function instances: a patient one and one that
 * gives up after 100 ms (`cloud.init({ timeout })`).
 */
import { failure, useDatabase, type Db } from './database-support';

const h = useDatabase();
const GIVE_UP_MS = 100;
let impatient: Db;

beforeAll(() => {
  // A second wx-server-sdk instance, with its own timeout: another client of the same emulator.
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk');
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV, timeout: GIVE_UP_MS });
    impatient = cloud.database();
  });
});

beforeEach(() => h.emu.database.seed('counters', [{ _id: 'c', n: 0 }]));

// Each client its own db.command: the SDK recognises only the operators of its own instance.
const bump = (db: Db) =>
  db
    .collection('counters')
    .doc('c')
    .update({ data: { n: db.command.inc(1) } });
const read = async () => ((await h.db.collection('counters').doc('c').get()) as { data: { n: number } }).data.n;
const stored = () => h.emu.database.collection('counters')?.[0].n;
const faultsUrl = () => h.emu.url.replace(/\/admin$/, '/__emulator/faults');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; outcome: T | { failed: number | undefined } }> {
  const started = Date.now();
  const outcome = await work().catch((e: { errCode?: number }) => ({ failed: e?.errCode }));
  return { ms: Date.now() - started, outcome };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !condition(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error('condition not met in time');
  }
}

describe('lateReply: applied at once, answered late', () => {
  it('a write whose client gave up is already visible to another client, and a retry applies it twice', async () => {
    h.emu.setFaults({ faults: [{ kind: 'lateReply', api: 'database.modifyDocument', ms: 500 }] });
    const gaveUp = await timed(() => bump(impatient));
    expect(gaveUp.outcome).toEqual({ failed: -501001 }); // the SDK's own timeout
    const reading = await timed(read);
    expect(reading.outcome).toBe(1); // the write happened although its client saw a failure
    expect(reading.ms).toBeLessThan(300); // reads are not held
    await bump(impatient).catch(() => undefined); // the naive retry
    expect(stored()).toBe(2);
    expect(h.emu.databaseCalls.filter((c) => c.action === 'database.modifyDocument')).toMatchObject([
      { fault: 'lateReply', code: null, reply: { data: { updated: 1 } } },
      { fault: 'lateReply', code: null, reply: { data: { updated: 1 } } },
    ]);
  });

  it('a patient client gets the normal answer, after the hold', async () => {
    h.emu.setFaults({ faults: [{ kind: 'lateReply', api: 'database', ms: 200 }] });
    const patient = await timed(() => bump(h.db));
    expect(patient.outcome).toMatchObject({ stats: { updated: 1 } });
    expect(patient.ms).toBeGreaterThanOrEqual(190);
  });
});

describe('slow: the write lands only after the wait', () => {
  it('while the wait lasts another client reads the old value; then the write lands although its client gave up', async () => {
    h.emu.setFaults({ faults: [{ kind: 'slow', api: 'database.modifyDocument', ms: 500 }] });
    const gaveUp = await timed(() => bump(impatient));
    expect(gaveUp.outcome).toEqual({ failed: -501001 });
    expect(gaveUp.ms).toBeLessThan(400);
    await expect(read()).resolves.toBe(0); // not applied yet
    expect(stored()).toBe(0);
    await until(() => stored() === 1, 1500); // a real backend finishes what it started
    await expect(read()).resolves.toBe(1);
  });

  it('per-action latency: an api list slows the writes and leaves reads fast', async () => {
    h.emu.setFaults({ faults: [{ kind: 'slow', api: ['database.insertDocument', 'database.modifyDocument', 'database.removeDocument'], ms: 250 }] });
    const reading = await timed(read);
    const writing = await timed(() => bump(h.db));
    const adding = await timed(() => h.db.collection('counters').add({ data: { n: 9 } }));
    expect(reading).toMatchObject({ outcome: 0 });
    expect(reading.ms).toBeLessThan(200);
    expect(writing.outcome).toMatchObject({ stats: { updated: 1 } });
    expect(writing.ms).toBeGreaterThanOrEqual(240);
    expect(adding.ms).toBeGreaterThanOrEqual(240);
    expect(h.emu.databaseCalls.map((c) => c.fault ?? null)).toEqual([null, 'slow', 'slow']);
  });
});

describe('failing the next N requests', () => {
  it('the next 2 updates fail with SERVER_TIMEOUT (SDK -501002) and change nothing; reads are not counted; the third update succeeds', async () => {
    await bump(h.db);
    h.emu.updateFaults({
      faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocument', code: 'SERVER_TIMEOUT', message: 'request timeout', on: [1, 2] }],
    });
    expect(await failure(bump(h.db))).toMatchObject({ errCode: -501002, errMsg: expect.stringContaining('request timeout') });
    await expect(read()).resolves.toBe(1);
    expect(await failure(bump(h.db))).toMatchObject({ errCode: -501002 });
    expect(stored()).toBe(1);
    await expect(bump(h.db)).resolves.toMatchObject({ stats: { updated: 1 } });
    expect(stored()).toBe(2);
    expect(h.emu.databaseCalls.map((c) => [c.action.replace('database.', ''), c.code])).toEqual([
      ['modifyDocument', null],
      ['modifyDocument', 'SERVER_TIMEOUT'],
      ['getDocument', null],
      ['modifyDocument', 'SERVER_TIMEOUT'],
      ['modifyDocument', null],
    ]);
  });

  it('a list of actions is counted together: the next 2 writes fail, whichever they are', async () => {
    h.emu.setFaults({ faults: [{ kind: 'cloudbaseError', api: ['database.insertDocument', 'database.modifyDocument'], code: 'SERVER_TIMEOUT', on: [1, 2] }] });
    expect(await failure(h.db.collection('counters').add({ data: { _id: 'd', n: 5 } }))).toMatchObject({ errCode: -501002 });
    expect(await failure(bump(h.db))).toMatchObject({ errCode: -501002 });
    await expect(h.db.collection('counters').add({ data: { _id: 'd', n: 5 } })).resolves.toMatchObject({ _id: 'd' });
    expect(h.emu.database.collection('counters')).toEqual([
      { _id: 'c', n: 0 },
      { _id: 'd', n: 5 },
    ]);
  });
});

describe('changing faults mid-test', () => {
  it('updateFaults changes the latency of requests still to come and keeps the earlier faults and their counts', async () => {
    h.emu.setFaults({ databaseLatencyMs: 400, faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocument', code: 'SERVER_TIMEOUT', on: [2] }] });
    const slowUpdate = timed(() => bump(h.db)); // update 1: in flight, waits 400 ms
    await new Promise((r) => setTimeout(r, 20));
    h.emu.updateFaults({ databaseLatencyMs: 0 });
    const quick = await timed(() => bump(h.db)); // update 2: no wait, and still the fault's 2nd update
    expect(quick.outcome).toEqual({ failed: -501002 });
    expect(quick.ms).toBeLessThan(300);
    expect(await slowUpdate).toMatchObject({ outcome: { stats: { updated: 1 } } });
    expect(h.emu.faultPlan).toEqual({
      databaseLatencyMs: 0,
      faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocument', code: 'SERVER_TIMEOUT', on: [2] }],
    });
  });

  it('a refused change changes nothing; clearFaults ends every mode', async () => {
    h.emu.setFaults({ faults: [{ kind: 'lateReply', api: 'database', ms: 300 }] });
    expect(() => h.emu.updateFaults({ databaseLatencyMs: 5, faults: [{ kind: 'slow', api: 'database' } as never] })).toThrow(/slow fault needs ms/);
    expect(h.emu.faultPlan).toEqual({ faults: [{ kind: 'lateReply', api: 'database', ms: 300 }] });
    h.emu.clearFaults();
    const after = await timed(() => bump(h.db));
    expect(after.ms).toBeLessThan(200);
    expect(h.emu.databaseCalls.at(-1)?.fault).toBeUndefined();
  });
});

describe('over HTTP, for a test in another process', () => {
  const send = async (method: string, body?: unknown) => {
    const res = await fetch(faultsUrl(), { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('PATCH /__emulator/faults adds faults and changes latency mid-test; DELETE clears them', async () => {
    await send('POST', { faults: [{ kind: 'lateReply', api: 'database.modifyDocument', ms: 400 }] });
    const late = await timed(() => bump(impatient));
    expect(late.outcome).toEqual({ failed: -501001 });
    expect(stored()).toBe(1);

    const patched = await send('PATCH', {
      databaseLatencyMs: 10,
      faults: [{ kind: 'cloudbaseError', api: 'database.getDocument', code: 'SERVER_TIMEOUT', on: [1] }],
    });
    expect(patched).toEqual({
      status: 200,
      json: {
        databaseLatencyMs: 10,
        faults: [
          { kind: 'lateReply', api: 'database.modifyDocument', ms: 400 },
          { kind: 'cloudbaseError', api: 'database.getDocument', code: 'SERVER_TIMEOUT', on: [1] },
        ],
      },
    });
    expect(await failure(read())).toMatchObject({ errCode: -501002 });
    await expect(read()).resolves.toBe(1);

    expect(await send('PATCH', { faults: [{ kind: 'lateReply', api: ['database', 'urlscheme.generate'], ms: 5 }] })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('mixes openapi and database') },
    });
    expect(await send('DELETE')).toEqual({ status: 200, json: { faults: [] } });
    const cleared = await timed(() => bump(impatient));
    expect(cleared.outcome).toMatchObject({ stats: { updated: 1 } });
    expect(stored()).toBe(2);
  });
});

it.each([
  [{ faults: [{ kind: 'slow', api: 'database' }] }, /slow fault needs ms/],
  [{ faults: [{ kind: 'lateReply', api: 'database', ms: -1 }] }, /lateReply fault needs ms/],
  [{ faults: [{ kind: 'slow', ms: 10 }] }, /slow is a database fault/],
  [{ faults: [{ kind: 'lateReply', api: '*', ms: 10 }] }, /lateReply is a database fault/],
  [{ faults: [{ kind: 'slow', api: [], ms: 10 }] }, /at least one api/],
  [{ faults: [{ kind: 'slow', api: ['database.modifyDocument', 'database.updateDocument'], ms: 10 }] }, /unknown api "database.updateDocument"/],
])('a timing fault without its delay, on an openapi api or with a bad api list is refused: %j', async (plan, message) => {
  expect(() => h.emu.updateFaults(plan as never)).toThrow(message);
  const res = await fetch(faultsUrl(), { method: 'PATCH', body: JSON.stringify(plan) });
  expect(res.status).toBe(400);
});
