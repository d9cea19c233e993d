// Builds cloudfunctions/genScheme/index.js from its TypeScript source: one deterministic file,
// wx-server-sdk left external (the only runtime dependency the function folder declares).
// The page list of miniprogram/app.json is injected so the function knows the mini program's pages.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fnDir = join(root, 'cloudfunctions/genScheme');

function pagesOf(app) {
  const pages = [...(app.pages ?? [])];
  for (const sub of app.subPackages ?? app.subpackages ?? []) {
    for (const p of sub.pages ?? []) pages.push(`${sub.root.replace(/\/+$/, '')}/${p}`);
  }
  return pages;
}

const app = JSON.parse(readFileSync(join(root, 'miniprogram/app.json'), 'utf8'));
const pages = pagesOf(app);

const result = await build({
  entryPoints: [join(fnDir, 'src/index.ts')],
  outfile: join(fnDir, 'index.js'),
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
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`built cloudfunctions/genScheme/index.js: ${bytes} bytes, ${pages.length} pages`);
