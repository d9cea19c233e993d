/**
 * Four instances in four processes, each with its own real wx-server-sdk, against one
 * emulator: the database adapter's windows hold across all of them (issue 12 §2).
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';
import { startEmulator, type Emulator } from '../../emulator/src';
import { COLLECTIONS } from '../../cloudfunctions/genScheme/src/state';
import { APP_JSON, FUNCTION_CONFIG, ROOT } from '../emulator/support';

jest.setTimeout(60_000);

const INSTANCES = 4;
let emu: Emulator;
let children: ChildProcess[] = [];

interface Result {
  admitted: number[];
  denied: number;
  errors: string[];
}

function start(): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'fixtures', 'admit-child.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { PATH: process.env.PATH ?? '', ...emu.functionEnv(), SILENCE: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

function run(child: ChildProcess, job: object): Promise<Result> {
  return new Promise((resolve) => {
    child.once('message', (result) => resolve(result as Result));
    child.send(job);
  });
}

beforeAll(async () => {
  emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 7 });
  children = await Promise.all(Array.from({ length: INSTANCES }, start));
});
afterAll(async () => {
  for (const child of children) child.kill();
  await emu.close();
});

it('one user flooding four instances: exactly 20 of 100 admitted (limit 20 / 60 s)', async () => {
  const results = await Promise.all(children.map((c) => run(c, { key: 'user:oFlooder', limit: 20, windowMs: 60_000, attempts: 25, spreadMs: 0 })));
  expect(results.flatMap((r) => r.errors)).toEqual([]);
  const admitted = results.reduce((n, r) => n + r.admitted.length, 0);
  const denied = results.reduce((n, r) => n + r.denied, 0);
  expect({ admitted, denied }).toEqual({ admitted: 20, denied: 80 });
  // The four instances agreed on one generated secret: one window document.
  expect(emu.database.collection(COLLECTIONS.meta)).toHaveLength(1);
  expect(emu.database.collection(COLLECTIONS.limits)).toHaveLength(1);
  console.log(`[multi-process] user flood: admitted per instance ${results.map((r) => r.admitted.length).join(' + ')} = ${admitted}; denied ${denied}`);
});

it('pacing 100 / 1000 ms across four instances: no 1000 ms window ever holds more than 100 admissions', async () => {
  const results = await Promise.all(children.map((c) => run(c, { key: 'pace:generate', limit: 100, windowMs: 1000, attempts: 80, spreadMs: 2000 })));
  expect(results.flatMap((r) => r.errors)).toEqual([]);
  const times = results.flatMap((r) => r.admitted).sort((a, b) => a - b);
  // Any window [t, t + 1000) holds ≤ 100 ⇔ each admission is ≥ 1000 ms after the one 100 before it.
  let busiest = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && times[j] < times[i] + 1000) j++;
    busiest = Math.max(busiest, j - i);
  }
  expect(busiest).toBeLessThanOrEqual(100);
  // The window slides: more than one window's worth got through over ~2 s, and the limit was reached.
  expect(busiest).toBe(100);
  expect(times.length).toBeGreaterThan(100);
  console.log(
    `[multi-process] pacing: ${times.length} of ${INSTANCES * 80} admitted over ${times[times.length - 1] - times[0]} ms; busiest 1000 ms window ${busiest}`,
  );
});
