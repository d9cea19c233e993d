/** `npm start` as a user runs it: a child process, flags, exit codes, what it prints. */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { ROOT } from '../support/app-pages';

function start(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm start', () => {
  it('prints a weixin:// link generated through the real function and SDK, and exits 0', () => {
    const { code, out } = start('--path', 'pages/product/detail', '--query', 'id=42', '--days', '7');
    expect(code).toBe(0);
    expect(out).toMatch(/^openlink: weixin:\/\/dl\/business\/\?t=[0-9A-Za-z]+$/m);
    expect(out).toMatch(/^expires:  \d{4}-\d\d-\d\dT/m);
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
});
