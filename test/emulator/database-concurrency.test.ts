/**
 * Several Node processes (like several function instances) run conditional updates against one
 * emulator at once: each request must be applied atomically, so the counter never passes its limit.
 */
import { execFile } from 'child_process';
import { join } from 'path';
import { useDatabase } from './database-support';

const h = useDatabase();
const WORKER = join(__dirname, 'fixtures', 'database-worker.js');
const PROCESSES = 3;
const ATTEMPTS = 60; // per process
const LIMIT = 50; // far fewer than the 180 attempts
const IN_FLIGHT = 8; // concurrent requests per process

function runWorker(tag: string): Promise<{ admitted: number; pushed: number }> {
  const env = { PATH: process.env.PATH ?? '', ...h.emu.functionEnv() };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [WORKER, tag, String(ATTEMPTS), String(LIMIT), String(IN_FLIGHT)], { env, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${tag}: ${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as { admitted: number; pushed: number }),
    );
  });
}

jest.setTimeout(90_000);

it(`${PROCESSES} processes of conditional increments admit exactly the limit; capped pushes keep the last 100`, async () => {
  h.emu.database.seed('quota', [{ _id: 'day', n: 0 }]);
  h.emu.database.seed('recent', [{ _id: 'log', items: [] }]);
  const results = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => runWorker(`p${i}`)));

  expect(h.emu.database.collection('quota')).toEqual([{ _id: 'day', n: LIMIT }]);
  expect(results.reduce((sum, r) => sum + r.admitted, 0)).toBe(LIMIT);
  // Every process got a share of the contended requests.
  expect(results.every((r) => r.pushed === ATTEMPTS)).toBe(true);
  const items = h.emu.database.collection('recent')?.[0].items as string[];
  expect(items).toHaveLength(100);
  expect(new Set(items).size).toBe(100);
  const modify = h.emu.databaseCalls.filter((c) => c.action === 'database.modifyDocument');
  expect(modify).toHaveLength(PROCESSES * ATTEMPTS * 2);
  // Requests really interleaved between processes (else the test would prove nothing).
  const tags = modify.filter((c) => c.collection === 'recent').map((c) => /"\$each":\["(p\d)-/.exec(String(c.request.data))?.[1]);
  const switches = tags.filter((t, i) => i > 0 && t !== tags[i - 1]).length;
  expect(switches).toBeGreaterThan(PROCESSES);
});
