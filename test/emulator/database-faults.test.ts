/** Database faults and latency, and what the real wx-server-sdk makes of each. */
import { failure, useDatabase } from './database-support';

const h = useDatabase();
const counters = () => h.db.collection('counters');

beforeEach(() => h.emu.database.seed('counters', [{ _id: 'c', n: 0 }]));

const bump = () =>
  counters()
    .doc('c')
    .update({ data: { n: h._.inc(1) } });
const stored = () => h.emu.database.collection('counters')?.[0].n;

it('a chosen DATABASE_* code on chosen calls of one action; the faulted write is not applied', async () => {
  h.emu.setFaults({
    faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocument', code: 'DATABASE_REQUEST_FAILED', message: 'write conflict', on: [2] }],
  });
  await expect(bump()).resolves.toMatchObject({ stats: { updated: 1 } });
  expect(await failure(bump())).toMatchObject({ errCode: -502001, errMsg: expect.stringContaining('write conflict') });
  await expect(bump()).resolves.toMatchObject({ stats: { updated: 1 } });
  await expect(counters().doc('c').get()).resolves.toMatchObject({ data: { n: 2 } }); // reads are not counted by this fault
  expect(stored()).toBe(2);
  expect(h.emu.databaseCalls.map((c) => c.fault ?? null)).toEqual([null, 'cloudbaseError', null, null]);
  expect(h.emu.databaseCalls[1]).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: 'write conflict' });
});

it.each([
  ['DATABASE_COLLECTION_NOT_EXIST', -502005],
  ['DATABASE_INVALID_OPERRATOR', -502002],
  ['DATABASE_PERMISSION_DENIED', -502003],
  ['INVALID_PARAM', -501007],
  ['SOMETHING_ELSE', -501001],
])('api "database" faults every database call: %s → SDK %d', async (code, errCode) => {
  h.emu.setFaults({ faults: [{ kind: 'cloudbaseError', api: 'database', code }] });
  expect(await failure(bump())).toMatchObject({ errCode });
  expect(await failure(counters().where({ n: 0 }).count())).toMatchObject({ errCode });
  expect(stored()).toBe(0);
});

it('database faults are counted apart from openapi calls: `on` indexes count database calls only', async () => {
  h.emu.setFaults({
    faults: [
      { kind: 'cloudbaseError', api: 'database', code: 'DATABASE_REQUEST_FAILED', on: [3] },
      { kind: 'busy', api: '*' },
    ],
  });
  await expect(bump()).resolves.toBeDefined();
  await expect(counters().count()).resolves.toMatchObject({ total: 1 });
  expect(await failure(bump())).toMatchObject({ errCode: -502001 });
  expect(h.emu.databaseCalls.map((c) => c.fault ?? null)).toEqual([null, null, 'cloudbaseError']); // the `*` busy fault never touches the database
});

it('a dropped connection and an HTTP 500: the SDK throws -501001 naming the cause, and recovers', async () => {
  h.emu.setFaults({
    faults: [
      { kind: 'drop', api: 'database', on: [1] },
      { kind: 'httpError', api: 'database', on: [2] },
    ],
  });
  expect(await failure(bump())).toMatchObject({ errCode: -501001, errMsg: expect.stringContaining('socket hang up') });
  expect(await failure(bump())).toMatchObject({ errCode: -501001, errMsg: expect.stringMatching(/500/) });
  await expect(bump()).resolves.toMatchObject({ stats: { updated: 1 } });
  expect(stored()).toBe(1); // neither faulted request reached the data
  expect(h.emu.databaseCalls.map((c) => [c.fault ?? null, c.code])).toEqual([
    ['drop', null],
    ['httpError', null],
    [null, null],
  ]);
});

it('a fault at a random rate hits some calls and spares others', async () => {
  const pattern = async () => {
    h.emu.setFaults({ faults: [{ kind: 'cloudbaseError', api: 'database', code: 'DATABASE_REQUEST_FAILED', rate: 0.5 }] });
    const out: number[] = [];
    for (let i = 0; i < 16; i++)
      out.push(
        await bump().then(
          () => 0,
          (e: { errCode: number }) => e.errCode,
        ),
      );
    return out;
  };
  const first = await pattern();
  expect(first.filter((c) => c === -502001).length).toBeGreaterThan(2);
  expect(first.filter((c) => c === 0).length).toBeGreaterThan(2);
});

it('databaseLatencyMs delays database replies only; latencyMs does not touch them', async () => {
  h.emu.setFaults({ latencyMs: 300 });
  let started = Date.now();
  await bump();
  expect(Date.now() - started).toBeLessThan(250);
  h.emu.setFaults({ databaseLatencyMs: 120 });
  started = Date.now();
  await bump();
  expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  expect(await (await fetch(h.emu.url.replace(/\/admin$/, '/__emulator/faults'))).json()).toEqual({ databaseLatencyMs: 120, faults: [] });
});

it('a slow database call is still applied atomically: concurrent conditional updates never overshoot', async () => {
  h.emu.setFaults({ databaseLatencyMs: 20 });
  const admit = () =>
    counters()
      .where({ _id: 'c', n: h._.lt(3) })
      .update({ data: { n: h._.inc(1) } });
  const results = await Promise.all(Array.from({ length: 10 }, admit));
  expect(results.map((r: { stats: { updated: number } }) => r.stats.updated).reduce((a: number, b: number) => a + b, 0)).toBe(3);
  expect(stored()).toBe(3);
});

it.each([
  [{ faults: [{ kind: 'cloudbaseError', api: 'database.modifyDocuments', code: 'X' }] }, /unknown api "database.modifyDocuments"/],
  [{ faults: [{ kind: 'busy', api: 'database' }] }, /busy is an openapi fault/],
  [{ faults: [{ kind: 'emptyBody', api: 'database.getDocument' }] }, /emptyBody is an openapi fault/],
  [{ faults: [{ kind: 'httpError' }] }, /httpError is a database fault/],
  [{ faults: [{ kind: 'httpError', api: 'database', status: 200 }] }, /status must be 400…599/],
  [{ databaseLatencyMs: -1 }, /databaseLatencyMs must be a number/],
])('a misspelt or misplaced database fault is refused: %j', async (plan, message) => {
  expect(() => h.emu.setFaults(plan as never)).toThrow(message);
  const res = await fetch(h.emu.url.replace(/\/admin$/, '/__emulator/faults'), { method: 'POST', body: JSON.stringify(plan) });
  expect(res.status).toBe(400);
});
