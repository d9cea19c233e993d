/** `npm start -- --code CODE` (活码): the link's 小程序码 written to a PNG file, its path printed. */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import jsQR from 'jsqr';
import { decodePng } from '../../emulator/src';
import { ROOT } from '../support/app-pages';

jest.setTimeout(30_000);

function start(...args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'genscheme-code-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start -- --code', () => {
  it('creates the link, makes its code through the real function and SDK, writes the PNG and prints its path', () => {
    const file = join(dir, 'poster.png');
    const { code, out } = start('--code', 'poster-qr', '--path', 'pages/product/detail', '--query', 'id=42', '--out', file);
    expect(code).toBe(0);
    expect(out).toContain(`小程序码 (scene l=poster-qr, page pages/code/index): ${file}`);
    expect(out).toMatch(/^fileID: {2}cloud:\/\/[\w.-]+\/genscheme\/codes\/poster-qr\.png$/m);
    const image = decodePng(readFileSync(file));
    expect([image.width, image.height]).toEqual([430, 430]);
    const qr = jsQR(new Uint8ClampedArray(image.rgba), image.width, image.height);
    expect(JSON.parse(qr!.data)).toMatchObject({ scene: 'l=poster-qr', page: 'pages/code/index', env_version: 'release' });
  });

  it('--json prints the reply with the file; a code too long for a scene fails with 40169 and exit 1, writing nothing', () => {
    const file = join(dir, 'x.png');
    const ok = start('--code', 'json-qr', '--out', file, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ errcode: 0, action: 'linkCode', code: 'json-qr', file, reused: false });
    const long = start('--code', 'a'.repeat(31), '--out', join(dir, 'long.png'));
    expect(long.code).toBe(1);
    expect(long.out).toContain('errcode 40169');
    expect(() => readFileSync(join(dir, 'long.png'))).toThrow();
  });
});
