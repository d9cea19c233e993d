// Builds cloudfunctions/genScheme/index.js from its TypeScript source and wx-server-sdk (options:
// function-build.mjs), and prints the bundle's size by package (esbuild's metafile).
import { build } from 'esbuild';
import { appPages, bytesByPackage, functionBuildOptions } from './function-build.mjs';

const pages = appPages();
const main = await build(functionBuildOptions(pages));
const bytes = Object.values(main.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`built cloudfunctions/genScheme/index.js: ${bytes} bytes, ${pages.length} pages`);
const packages = bytesByPackage(main.metafile);
const top = packages.slice(0, 12);
const rest = packages.slice(12);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(
  `bundle size by package: ${top.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}${rest.length ? `, ${rest.length} more ${kb(rest.reduce((n, p) => n + p.bytes, 0))}` : ''}`,
);
