/** `npm start` as a user runs it: a child process, flags, exit codes, what it prints. */
import { execFile, spawnSync } from 'child_process';
import { join } from 'path';
import { startEmulator, type Emulator } from '../../emulator/src';
import { ROOT } from '../support/app-pages';

function start(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Like start(), without blocking this process: for runs against an emulator that lives in this test. */
function startAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, out, err }),
    );
  });
}

const nowS = () => Math.floor(Date.now() / 1000);
jest.setTimeout(30_000); // each test runs node processes; slow on a loaded CI machine

describe('npm start', () => {
  it('prints a one-line hint on stderr when GENSCHEME_STATE_SECRET is not set, and none when it is', () => {
    const env = { ...process.env };
    delete env.GENSCHEME_STATE_SECRET;
    const run = (extra: Record<string, string>) =>
      spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...env, ...extra } });
    const without = run({});
    expect(without.status).toBe(0);
    const hints = without.stderr.split('\n').filter((l) => l.includes('GENSCHEME_STATE_SECRET'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/^hint: GENSCHEME_STATE_SECRET is not set.*environment variables/);
    expect(JSON.parse(without.stdout).errcode).toBe(0); // stdout stays clean JSON
    const withSecret = run({ GENSCHEME_STATE_SECRET: 'start-e2e-secret-4Kq8' });
    expect(withSecret.status).toBe(0);
    expect(withSecret.stderr).not.toContain('GENSCHEME_STATE_SECRET');
  });

  it('prints a weixin:// link generated through the real function and SDK, and exits 0', () => {
    const { code, out } = start('--path', 'pages/product/detail', '--query', 'id=42', '--days', '7');
    expect(code).toBe(0);
    expect(out).toMatch(/^openlink: weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]+$/m);
    expect(out).toMatch(/^expires: {2}\d{4}-\d\d-\d\dT/m);
  });

  it('--stable creates a stable link as an admin and resolves it as a visitor: its fixed URL and its live link', () => {
    const { code, out } = start('--stable', '--path', 'pages/product/detail', '--query', 'id=7', '--h5-base', 'https://env-1a2b.tcloudbaseapp.com/jump.html');
    expect(code).toBe(0);
    expect(out).toMatch(/^stable link: https:\/\/env-1a2b\.tcloudbaseapp\.com\/jump\.html\?l=[A-Za-z0-9_-]{3,32}$/m);
    const linkCode = /\?l=([A-Za-z0-9_-]+)$/m.exec(out)![1];
    expect(out).toMatch(new RegExp(`^openlink: weixin://dl/business/\\?t=[0-9A-Za-z]+&cq=gsl%3D${linkCode}$`, 'm'));
  });

  it('--help documents the stable-link flags', () => {
    const { code, out } = start('--help');
    expect(code).toBe(0);
    for (const flag of ['--stable', '--code', '--name', '--disable', '--h5-base', 'createLink', 'resolveLink']) expect(out).toContain(flag);
  });

  it('--json prints the reply only; --openid calls as a mini-program user', () => {
    const { code, out } = start('--json', '--openid', 'oDemoUser', '--cq', 'uid=9');
    expect(code).toBe(0);
    const reply = JSON.parse(out);
    expect(reply).toMatchObject({ errcode: 0, action: 'generate' });
    expect(reply.openlink).toMatch(/&cq=uid%3D9$/);
  });

  it('exits 1 and explains a rejected request in both languages', () => {
    const { code, out } = start('--env-version', 'develop', '--openid', 'oDemoUser');
    expect(code).toBe(1);
    expect(out).toContain('errcode -900010');
    expect(out).toContain('办法');
  });

  it('--event sends a console-style event file as is', () => {
    const ok = start('--json', '--event', join(ROOT, 'examples/console-event.json'));
    expect(ok.code).toBe(0);
    const old = start('--json', '--event', join(ROOT, 'examples/doc-example-2020.json'));
    expect(old.code).toBe(1);
    expect(JSON.parse(old.out)).toMatchObject({ errcode: 85401, rule: 'expireTime.past' });
  });

  it('--help exits 0; an unknown flag exits 2 with the usage', () => {
    expect(start('--help')).toMatchObject({ code: 0 });
    const bad = start('--pathh', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('usage: npm start');
  });

  it('--days passes a decimal number on as a number and anything else as the text given', () => {
    const hex = start('--json', '--days', '0x10');
    expect(hex.code).toBe(1);
    expect(JSON.parse(hex.out)).toMatchObject({ errcode: 47001 }); // not a 16-day link
    const seven = start('--json', '--days', '7');
    expect(seven.code).toBe(0);
    expect(Math.abs(JSON.parse(seven.out).expireTime - (nowS() + 7 * 86400))).toBeLessThanOrEqual(5);
  });

  it('--openid calls as a mini-program user (the function logs the caller class)', () => {
    expect(start('--openid', 'oDemoUser').out).toMatch(/"caller":"user","reason":"openid"/);
    expect(start().out).toMatch(/"caller":"public","reason":"no-openid"/);
  });

  it('says how to get past the policy with npm start: trial links need --admin-token', () => {
    const refused = start('--env-version', 'trial');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('npm start: it calls like a console test without adminToken');
    expect(start('--env-version', 'trial', '--admin')).toMatchObject({ code: 0 });
  });

  it('nothing leaves 127.0.0.1: every lookup and connect of the process is loopback', () => {
    const run = spawnSync(process.execPath, ['-r', join(__dirname, 'fixtures/net-trap.cjs'), join(ROOT, 'scripts/start.mjs'), '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const seen = JSON.parse(/^NET-TRAP (.*)$/m.exec(run.stderr)?.[1] ?? 'null') as string[];
    expect(seen).toContain('connect 127.0.0.1'); // the trap works: it saw the call to the emulator
    expect(seen.filter((s) => !/ (127\.0\.0\.1|localhost)$/.test(s))).toEqual([]);
  });
});

describe('npm start --emulator URL (one that `npm run emulator` keeps running)', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('sends --path, --query, --days and --env-version to the gateway as the platform expects', async () => {
    const run = await startAsync(
      '--json',
      '--emulator',
      emulator.url,
      '--path',
      'pages/product/detail',
      '--query',
      'id=42',
      '--days',
      '7',
      '--env-version',
      'trial',
      '--admin',
    );
    expect(run.code).toBe(0);
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]).toMatchObject({
      errcode: 0,
      request: { jump_wxa: { path: 'pages/product/detail', query: 'id=42', env_version: 'trial' }, expire_type: 1, expire_interval: 7 },
      response: { openlink: JSON.parse(run.out).openlink },
    });
  });

  it('generate in one run, query in the next: the running emulator remembers the link', async () => {
    const made = await startAsync('--json', '--emulator', emulator.url, '--path', 'pages/order/list', '--query', 'from=sms');
    expect(made.code).toBe(0);
    const { openlink } = JSON.parse(made.out);
    const found = await startAsync('--json', '--emulator', emulator.url, '--action', 'query', '--scheme', openlink, '--admin');
    expect(found.code).toBe(0);
    expect(found.out).toContain('pages/order/list');
    expect(found.out).toContain('from=sms');
    // A fresh emulator (no --emulator) never issued it, and npm start says why.
    const fresh = start('--action', 'query', '--scheme', openlink, '--admin');
    expect(fresh.code).toBe(1);
    expect(fresh.out).toContain('errcode 85403');
    expect(fresh.out).toContain('npm start: each run starts a fresh emulator');
  });

  it('stable links across runs: create (admin), resolve (a visitor), disable (admin), and a disabled link no longer resolves', async () => {
    const before = emulator.calls.length;
    const created = await startAsync(
      '--json',
      '--emulator',
      emulator.url,
      '--action',
      'createLink',
      '--code',
      'spring-sale',
      '--path',
      'pages/product/detail',
      '--query',
      'id=9',
      '--name',
      'Spring sale',
      '--admin',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out).link).toMatchObject({
      code: 'spring-sale',
      name: 'Spring sale',
      path: 'pages/product/detail',
      query: 'id=9',
      disabled: false,
    });
    const resolved = await startAsync('--json', '--emulator', emulator.url, '--action', 'resolveLink', '--code', 'spring-sale');
    expect(resolved.code).toBe(0);
    expect(JSON.parse(resolved.out)).toMatchObject({ action: 'resolveLink', code: 'spring-sale', path: 'pages/product/detail', query: 'id=9' });
    expect(JSON.parse(resolved.out).openlink).toMatch(/&cq=gsl%3Dspring-sale$/);
    expect((await startAsync('--json', '--emulator', emulator.url, '--action', 'updateLink', '--code', 'spring-sale', '--disable', '--admin')).code).toBe(0);
    const refused = await startAsync('--json', '--emulator', emulator.url, '--action', 'resolveLink', '--code', 'spring-sale');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ errcode: -900031 });
    // One ticket made for the visitor; the refusal of the disabled link made none.
    expect(emulator.calls.slice(before).filter((c) => c.apiName === 'urlscheme.generate')).toHaveLength(1);
  });

  it('exits 1 when no emulator answers, and 2 for a non-loopback URL', async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const none = await startAsync('--emulator', url);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no emulator answers');
    expect(start('--emulator', 'http://example.com:9090/admin')).toMatchObject({ code: 2, err: expect.stringContaining('loopback') });
  });
});
