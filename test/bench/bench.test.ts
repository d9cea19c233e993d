/**
 * Keeps `npm run bench`'s published figures honest without running the bench (it takes ~30 s
 * and its timings depend on the machine):
 *  - README.md's "## Performance" block is what the bench wrote for bench/results/latest.json;
 *  - that run measured the index.js that is committed now (otherwise: run `npm run bench`);
 *  - the memory goal's check really catches a leak (the same child, the same threshold).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { PAGES, ROOT } from '../support/app-pages';

type Result = {
  table: string;
  machine: { node: string; cores: number; cpu: string; loadavgAtStart: number[] };
  size: { bundleBytes: number; bundleSha256: string };
  goals: { goal: string; pass: boolean }[];
};
// The bench's helpers are untyped CommonJS, shared with scripts/bench.mjs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readmeBlock, currentBlock } = require('../../bench/readme-block.cjs') as {
  readmeBlock(result: Result): string;
  currentBlock(readme: string): string | undefined;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const GOALS = require('../../bench/goals.cjs') as { heapGrowthBytes: number };
const latest = JSON.parse(readFileSync(join(ROOT, 'bench/results/latest.json'), 'utf8')) as Result;

it("README's Performance section is the table of bench/results/latest.json (npm run bench writes both)", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(currentBlock(readme)).toBe(readmeBlock(latest));
  expect(latest.table).toMatch(/own load = \(b\) − \(a\)/);
  // Issue 20: the whole-process cold start, self-contained vs naive layout, paired, with its goal; the bundle by package.
  expect(latest.table).toMatch(/whole process → loaded function: self-contained \/ naive/);
  expect(latest.table).toMatch(/… ratio self-contained \/ naive \(median of (1[5-9]|[2-9]\d) pairs\)\s+[\d.]+×\s+≤ 0\.6×\s+(PASS|FAIL)/);
  expect(latest.table).toMatch(/whole process → first reply \(emulator\)/);
  expect(latest.table).toMatch(/bundle size by package \(minified\): .*wx-server-sdk/);
  // Issue 12 item 8: the shared-state part ran (bench/shared-state.mjs).
  expect(latest.table).toMatch(/WeChat calls \/ 1,000 generate, Zipf/);
  expect(latest.table).toMatch(/burst of 400, 4 instances: busiest second at WeChat/);
  // Issue 17: the burst at each database latency, with its two goals; issue 18: the campaign, with its goal.
  expect(latest.table).toMatch(/database 10 · 100 · 600 · 1500 ms: 100 generates, 4 instances, 6 s limit/);
  expect(latest.table).toMatch(/… links issued at the gateway \/ returned \(dropped\)\s+\S.*issued = returned\s+(PASS|FAIL)/);
  expect(latest.table).toMatch(/… busiest second at WeChat \/ 44990 at the gateway\s+\S.*≤ 100\/s, 0×44990\s+(PASS|FAIL)/);
  expect(latest.table).toMatch(/… database round trips per generate\s+[\d.]+ · [\d.]+ · [\d.]+ · [\d.]+/);
  expect(latest.table).toMatch(/2,000 visitors, one stable link, 8 instances, database 10 ms: served \/ refused/);
  expect(latest.table).toMatch(/… database requests per resolve\s+[\d.]+\s+≤ 1\.5\s+(PASS|FAIL)/);
  expect(latest.table).toMatch(/… one at a time: cold instance \(first resolve\) \/ warm, p50/);
});

it('the latest bench run measured the committed index.js (otherwise: npm run bench, commit the results)', () => {
  const index = readFileSync(join(ROOT, 'cloudfunctions/genScheme/index.js'));
  expect(latest.size.bundleSha256).toBe(createHash('sha256').update(index).digest('hex'));
  expect(latest.size.bundleBytes).toBe(index.length);
});

describe('the memory check detects a leak', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genscheme-bench-'));
  const handler = join(dir, 'handler.cjs');
  beforeAll(() => {
    buildSync({
      stdin: {
        contents:
          "export { createHandler } from './handle'; export { ACTIONS, ACTION_ACCESS } from './actions'; export { configure } from './settings'; export { createState } from './state';",
        resolveDir: join(ROOT, 'cloudfunctions/genScheme/src'),
        loader: 'ts',
      },
      outfile: handler,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node16.13',
      define: { __GENSCHEME_PAGES__: JSON.stringify(PAGES) },
      logLevel: 'warning',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function growth(leakBytesPerCall: number, leakKind: 'heap' | 'buffer' = 'heap'): number {
    const job = { target: 'genscheme', module: handler, pages: PAGES, mode: 'memory', calls: 10_000, sdk: false, leakBytesPerCall, leakKind };
    const out = execFileSync(process.execPath, ['--expose-gc', join(ROOT, 'bench/child/calls.cjs'), JSON.stringify(job)], { cwd: ROOT, encoding: 'utf8' });
    const { steps, wrong } = JSON.parse(out.trim().split('\n').pop() as string);
    expect(wrong).toBe(0);
    const [at10k, , , at40k] = steps;
    return at40k.heapUsed + at40k.external - (at10k.heapUsed + at10k.external);
  }

  it('no leak: within the goal', () => expect(growth(0)).toBeLessThanOrEqual(GOALS.heapGrowthBytes), 60_000);
  it('64 bytes a call kept on the heap: over the goal', () => expect(growth(64)).toBeGreaterThan(GOALS.heapGrowthBytes), 60_000);
  it('1 KiB a call kept in Buffers: over the goal', () => expect(growth(1024, 'buffer')).toBeGreaterThan(GOALS.heapGrowthBytes), 60_000);
});
