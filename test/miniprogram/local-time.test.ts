/**
 * @jest-environment node
 *
 * The expiry a user reads is in the phone's own time zone. The page tests pin the offset with a
 * getTimezoneOffset mock, and their Intl comparison runs in the host's zone — UTC on CI, where
 * local and UTC time are the same and a page showing UTC would pass. Here formatLocalTime runs
 * in child processes under real zones (half-hour and 45-minute offsets, DST both ways) and is
 * compared with Intl for the same zone.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';
import { MINIPROGRAM_ROOT } from './helpers';

const source = ts.transpileModule(readFileSync(join(MINIPROGRAM_ROOT, 'utils/time.ts'), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
}).outputText;

const HOUR = 3600;
/** Every hour from a day before to a day after each 2026 DST change of the zones below, and the 1st of each month. */
const INSTANTS = [
  ...[
    Date.UTC(2026, 2, 8, 7),
    Date.UTC(2026, 10, 1, 6),
    Date.UTC(2026, 2, 29, 1),
    Date.UTC(2026, 9, 25, 1),
    Date.UTC(2026, 3, 4, 15),
    Date.UTC(2026, 9, 3, 15),
  ].flatMap((ms) => Array.from({ length: 49 }, (_, i) => ms / 1000 + (i - 24) * HOUR + 17 * 60)),
  ...Array.from({ length: 12 }, (_, m) => Date.UTC(2026, m, 1, 0, 30) / 1000),
];

function inZone(timeZone: string): string[] {
  const script = `const module = { exports: {} }; const exports = module.exports;\n${source}\nprocess.stdout.write(JSON.stringify(${JSON.stringify(INSTANTS)}.map(module.exports.formatLocalTime)));`;
  const run = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: timeZone }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

function expected(timeZone: string, seconds: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(seconds * 1000))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

test.each(['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'])(
  'formatLocalTime shows %s wall-clock time, DST changes included',
  (timeZone) => {
    expect(inZone(timeZone)).toEqual(INSTANTS.map((s) => expected(timeZone, s)));
  },
);

test('the zone really changes what is shown (the check above is not vacuous)', () => {
  const [shanghai, newYork] = [inZone('Asia/Shanghai'), inZone('America/New_York')];
  expect(shanghai[0]).not.toBe(newYork[0]);
});
