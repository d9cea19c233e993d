/** `npm start -- --kind urllink` (issue 14): a URL Link from the real function, the real SDK and the emulator. */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { ROOT } from '../support/app-pages';

function start(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}
jest.setTimeout(30_000);

describe('npm start -- --kind urllink', () => {
  it('prints an https://wxaurl.cn/ link with ?cq= and exits 0', () => {
    const { code, out } = start('--kind', 'urllink', '--path', 'pages/product/detail', '--query', 'id=42', '--days', '7', '--cq', 'uid=9');
    expect(code).toBe(0);
    expect(out).toMatch(/^urlLink: {2}https:\/\/wxaurl\.cn\/[0-9A-Za-z]+\?cq=uid%3D9$/m);
    expect(out).toMatch(/^expires: {2}\d{4}-\d\d-\d\dT/m);
  });

  it('--json: the reply of action urllink; a user asking for a develop one exits 1', () => {
    const ok = start('--kind', 'urllink', '--json', '--openid', 'oDemoUser');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ errcode: 0, action: 'urllink' });
    const denied = start('--kind', 'urllink', '--env-version', 'develop', '--openid', 'oDemoUser');
    expect(denied.code).toBe(1);
    expect(denied.out).toContain('errcode -900010');
  });

  it('an unknown --kind is a usage error (exit 2)', () => {
    const { code, err } = start('--kind', 'shortlink');
    expect(code).toBe(2);
    expect(err).toContain('--kind shortlink');
  });
});
