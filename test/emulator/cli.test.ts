/** scripts/emulator.mjs: another process points a function at it with the printed exports. */
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'child_process';
import { join } from 'path';
import { PASSTHROUGH, ROOT } from './support';

let cli: ChildProcessWithoutNullStreams;
let output = '';

function readBanner(): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 10_000);
    cli.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops it.')) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    cli.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

/** Runs the passthrough function on each event in turn, in one fresh node process with `env` only (plus PATH). */
function runFunction(env: Record<string, string>, events: unknown[]): Promise<unknown[]> {
  const script = `const { main } = require(${JSON.stringify(PASSTHROUGH)});
    (async () => {
      const out = [];
      for (const event of ${JSON.stringify(events)}) out.push(await main(event, {}).catch((e) => ({ thrown: e.errCode })));
      console.log(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout) as unknown[]),
    );
  });
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) throw new Error(`timed out; output so far:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  cli = spawn(process.execPath, [join(ROOT, 'scripts', 'emulator.mjs'), '--seed', '3', '--openid', 'oCli', '--source', 'wx_client', '--daily-cap', '1'], {
    cwd: ROOT,
  });
  await readBanner();
});

afterAll(() => {
  if (cli.exitCode === null) cli.kill('SIGKILL');
});

it('prints the URL and `export K=V` lines a shell can eval', () => {
  expect(output).toMatch(/^CloudBase gateway emulator on http:\/\/127\.0\.0\.1:\d+\/admin \(ready in \d+ ms\)$/m);
  expect(output).toMatch(/^export TENCENTCLOUD='true'$/m);
  expect(output).toMatch(/^export WX_OPENID='oCli'$/m);
  expect(output).toMatch(/^unset TCB_ENV TCB_CONTEXT_KEYS TENCENTCLOUD_RUNENV TENCENTCLOUD_SESSIONTOKEN$/m);
  expect(output).toMatch(/^# Serves cloud\.openapi: urlscheme\.generate, urlscheme\.query, urllink\.generate, urllink\.query, wxacode\.getUnlimited$/m);
});

it('serves a function in another process, with the printed environment', async () => {
  const env = Object.fromEntries([...output.matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
  await expect(runFunction(env, [{ api: 'context' }, {}, {}])).resolves.toEqual([
    expect.objectContaining({ OPENID: 'oCli', SOURCE: 'wx_client' }),
    expect.objectContaining({ openlink: expect.stringMatching(/^weixin:\/\/dl\/business\/\?t=/), errCode: 0 }),
    { thrown: 44993 }, // --daily-cap 1
  ]);
  await waitFor(() => /\[emulator\] #2 urlscheme\.generate .*→ 44993/.test(output)); // the call log, on the emulator's stdout
});

it('counts a URL Link against the same --daily-cap as schemes', async () => {
  const env = Object.fromEntries([...output.matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
  await expect(runFunction(env, [{ api: 'urllink.generate' }])).resolves.toEqual([{ thrown: 44993 }]);
  await waitFor(() => /\[emulator\] #3 urllink\.generate .*→ 44993/.test(output));
});

it('stops on Ctrl-C (SIGINT)', async () => {
  const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
  cli.kill('SIGINT');
  await expect(exited).resolves.toBe(0);
  expect(output).toContain('emulator stopped');
});
