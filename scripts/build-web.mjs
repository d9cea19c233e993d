#!/usr/bin/env node
/**
 * Builds the H5 jump page into web/dist/, ready to upload as it is:
 *   jump.html  – web/jump.html, with jump.js referenced as jump.js?v=<content hash> so a CDN never serves a stale script
 *   jump.js    – web/src/main.ts bundled and minified by esbuild (one IIFE, ES2017)
 *   config.js  – web/config.js copied unchanged (the settings; editable on the hosting without a rebuild)
 *
 * Deterministic: the same sources give byte-identical files. web/dist/ is committed;
 * `node scripts/build-web.mjs --check` rebuilds in memory and fails when it differs (CI drift check).
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const dist = join(web, 'dist');

/** Page weight budget for what a visitor loads in the static modes (html + js + config). */
export const BUDGET_BYTES = 30 * 1024;

export async function buildWeb() {
  const result = await build({
    entryPoints: [join(web, 'src/main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2017'],
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0].text;
  const hash = createHash('sha256').update(js).digest('hex').slice(0, 10);
  const htmlSource = readFileSync(join(web, 'jump.html'), 'utf8');
  if (!htmlSource.includes('<script src="jump.js"></script>')) throw new Error('web/jump.html must load <script src="jump.js"></script>');
  const html = htmlSource.replace('<script src="jump.js"></script>', `<script src="jump.js?v=${hash}"></script>`);
  const config = readFileSync(join(web, 'config.js'), 'utf8');
  return { 'jump.html': html, 'jump.js': js, 'config.js': config };
}

async function cli() {
  const files = await buildWeb();
  const total = Object.values(files).reduce((n, text) => n + Buffer.byteLength(text), 0);
  const sizes = Object.entries(files)
    .map(([name, text]) => `${name} ${Buffer.byteLength(text)} B`)
    .join(', ');
  if (total > BUDGET_BYTES) {
    console.error(`build-web: ${total} B is over the page budget of ${BUDGET_BYTES} B (${sizes})`);
    process.exit(1);
  }
  if (process.argv.includes('--check')) {
    const stale = Object.entries(files)
      .filter(([name, text]) => !existsSync(join(dist, name)) || readFileSync(join(dist, name), 'utf8') !== text)
      .map(([name]) => name);
    if (stale.length) {
      console.error(`build-web: web/dist is out of date (${stale.join(', ')}); run \`node scripts/build-web.mjs\` and commit web/dist`);
      process.exit(1);
    }
    console.log(`build-web: web/dist is up to date (${sizes}; ${total} B of ${BUDGET_BYTES})`);
    return;
  }
  mkdirSync(dist, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dist, name), text);
  console.log(`build-web: wrote ${relative(root, dist)}/ (${sizes}; ${total} B of ${BUDGET_BYTES})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
