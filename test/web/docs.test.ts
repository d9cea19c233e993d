/**
 * The screenshots of each view are committed and shown (embedded as images, not only linked)
 * in the README's H5 section and in web/README.md; the README tells how to deploy the page and
 * how to use it in an SMS campaign.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const SHOTS = ['web-android', 'web-iphone', 'web-wechat-fallback', 'web-wecom', 'web-desktop-qr', 'web-error', 'web-stable-link', 'web-stable-disabled'];

/** Image sources embedded in markdown: ![alt](src) and <img src="src">. */
function images(markdown: string): string[] {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
}

function h5Section(readme: string): string {
  const start = readme.indexOf('## The H5 jump page');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

it('every view has a committed PNG screenshot', () => {
  for (const name of SHOTS) {
    const file = join(root, 'docs/screenshots', `${name}.png`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  }
  expect(
    readdirSync(join(root, 'docs/screenshots'))
      .filter((f) => f.startsWith('web-'))
      .sort(),
  ).toEqual(SHOTS.map((s) => `${s}.png`).sort());
});

it.each([
  ['README.md (its H5 section)', 'README.md', 'docs/screenshots/'],
  ['web/README.md', 'web/README.md', '../docs/screenshots/'],
])('%s shows every screenshot as an image', (_what, file, prefix) => {
  const text = readFileSync(join(root, file), 'utf8');
  const shown = images(file === 'README.md' ? h5Section(text) : text);
  expect(shown.sort()).toEqual(SHOTS.map((s) => `${prefix}${s}.png`).sort());
});

it("the README's H5 section covers deploying to static hosting and SMS campaigns (cq per recipient, plaintext links)", () => {
  const section = h5Section(readFileSync(join(root, 'README.md'), 'utf8'));
  expect(section).toMatch(/static hosting/);
  expect(section).toMatch(/tcb hosting deploy web\/dist/);
  expect(section).toMatch(/&cq=/);
  expect(section).toMatch(/plaintext/);
  const web = readFileSync(join(root, 'web/README.md'), 'utf8');
  expect(web).toMatch(/## Build and deploy[\s\S]*静态网站托管/);
  expect(web).toMatch(/## Using it in an SMS campaign[\s\S]*cq[\s\S]*Plaintext links/);
});
