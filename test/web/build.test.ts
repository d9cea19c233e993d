/**
 * web/dist is committed so it can be uploaded as it is: it must be exactly what the sources
 * build to (deterministic esbuild output), and within the page budget.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

it('web/dist matches its sources (otherwise: node scripts/build-web.mjs, then commit web/dist)', () => {
  const out = execFileSync(process.execPath, ['scripts/build-web.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  expect(out).toContain('up to date');
}, 30_000);

it('the page loads config.js before jump.js, and nothing else', () => {
  const html = readFileSync(join(root, 'web/dist/jump.html'), 'utf8');
  const sources = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  expect(sources).toEqual([expect.stringMatching(/^config\.js$/), expect.stringMatching(/^jump\.js\?v=[0-9a-f]{10}$/)]);
  expect(html).not.toMatch(/<link[^>]+href="(?!data:)/); // no stylesheet or icon request
  expect(html).not.toMatch(/https?:\/\//);
});
