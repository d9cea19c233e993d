// The one definition of how cloudfunctions/genScheme/index.js is built: used by `npm run build`
// (scripts/build.mjs) and by the bench, which checks the committed file against a fresh build.
// One deterministic file, wx-server-sdk left external (the only runtime dependency the function
// folder declares); the page list of miniprogram/app.json is injected so the function knows them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FN_DIR = join(ROOT, 'cloudfunctions/genScheme');
export const INDEX_JS = join(FN_DIR, 'index.js');

/** Pages of miniprogram/app.json: the main package, then each subpackage's under its root. */
export function appPages() {
  const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram/app.json'), 'utf8'));
  const pages = [...(app.pages ?? [])];
  for (const sub of app.subPackages ?? app.subpackages ?? []) {
    for (const p of sub.pages ?? []) pages.push(`${sub.root.replace(/\/+$/, '')}/${p}`);
  }
  return pages;
}

/** esbuild options for index.js (pass to build() or buildSync(); add `write: false` to keep it in memory). */
export function functionBuildOptions(pages = appPages()) {
  return {
    entryPoints: [join(FN_DIR, 'src/index.ts')],
    outfile: INDEX_JS,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // CloudBase's oldest Node runtime that wx-server-sdk 4 supports is 16.13; newer ones run it as is.
    target: 'node16.13',
    external: ['wx-server-sdk'],
    define: { __GENSCHEME_PAGES__: JSON.stringify(pages) },
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    banner: { js: '// Built by `npm run build` from cloudfunctions/genScheme/src — do not edit; see README.md.' },
    logLevel: 'warning',
    metafile: true,
  };
}
