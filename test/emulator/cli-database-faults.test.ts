/** scripts/emulator.mjs's database fault flags, seen by a function process through the real wx-server-sdk. */
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'child_process';
import { join } from 'path';
import { ROOT } from './support';

const SCRIPT = join(ROOT, 'scripts', 'emulator.mjs');

/** Starts the CLI and resolves with its banner (or rejects with what it printed when it exits). */
function start(args: string[]): { cli: ChildProcessWithoutNullStreams; banner: Promise<string>; exited: Promise<{ code: number | null; output: string }> } {
  const cli = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT });
  let output = '';
  cli.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => cli.on('exit', (code) => resolve({ code, output })));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      if (!output.includes('Ctrl-C stops it.')) return;
      clearInterval(timer);
      resolve(output);
    }, 10);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`exited: ${output}`));
    });
  });
  banner.catch(() => undefined);
  return { cli, banner, exited };
}

/** Three updates and a read of counters/c, one after the other, in a fresh node process with `env` only. */
function updateThrice(env: Record<string, string>): Promise<Array<{ ms: number; errCode?: number; updated?: number; n?: number }>> {
  const script = `const cloud = require('wx-server-sdk');
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    const db = cloud.database();
    const doc = db.collection('counters').doc('c');
    (async () => {
      const out = [];
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        const r = await doc.update({ data: { n: db.command.inc(1) } }).then((r) => ({ updated: r.stats.updated }), (e) => ({ errCode: e.errCode }));
        out.push({ ms: Date.now() - started, ...r });
      }
      const started = Date.now();
      const { data } = await doc.get();
      out.push({ ms: Date.now() - started, n: data.n });
      console.log(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

describe('--db-actions modifyDocument --db-fail 2 --db-late-reply 300', () => {
  let run: ReturnType<typeof start>;
  let banner = '';
  let base = '';
  beforeAll(async () => {
    run = start(['--quiet', '--db-actions', 'modifyDocument', '--db-fail', '2', '--db-late-reply', '300']);
    banner = await run.banner;
    base = /on (http:\/\/127\.0\.0\.1:\d+)\/admin/.exec(banner)?.[1] ?? '';
  });
  afterAll(() => {
    if (run.cli.exitCode === null) run.cli.kill('SIGKILL');
  });

  it('sets the plan the flags describe, and prints it', async () => {
    const plan = await (await fetch(`${base}/__emulator/faults`)).json();
    expect(plan).toEqual({
      faults: [
        { kind: 'cloudbaseError', api: ['database.modifyDocument'], code: 'SERVER_TIMEOUT', message: 'injected SERVER_TIMEOUT', on: [1, 2] },
        { kind: 'lateReply', api: ['database.modifyDocument'], ms: 300 },
      ],
    });
    expect(banner).toMatch(/^# Database faults: .*"SERVER_TIMEOUT".*"lateReply"/m);
  });

  it('a function process sees two failed updates that change nothing, then a late answer; reads are untouched', async () => {
    const put = await fetch(`${base}/__emulator/database/collections/counters`, { method: 'PUT', body: '[{"_id":"c","n":0}]' });
    expect(put.status).toBe(200);
    const env = Object.fromEntries([...banner.matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
    const [first, second, third, read] = await updateThrice(env);
    expect([first.errCode, second.errCode]).toEqual([-501002, -501002]);
    expect(third).toMatchObject({ updated: 1 });
    expect(third.ms).toBeGreaterThanOrEqual(290);
    expect(read.n).toBe(1);
    expect(read.ms).toBeLessThan(250);
  });
});

it('--help lists the database fault flags', async () => {
  const { exited } = start(['--help']);
  const { code, output } = await exited;
  expect(code).toBe(0);
  for (const flag of ['--db-actions LIST', '--db-fail N', '--db-fail-code CODE', '--db-slow MS', '--db-late-reply MS']) expect(output).toContain(flag);
});

it.each([
  [['--db-actions', 'updateDocument', '--db-slow', '50'], /unknown api "database\.updateDocument"/],
  [['--db-fail', '1.5'], /--db-fail must be an integer/],
])('refuses %j and exits 2', async (args, message) => {
  const { exited } = start(['--quiet', ...args]);
  const { code, output } = await exited;
  expect(code).toBe(2);
  expect(output).toMatch(message);
});
