// Builds cloudfunctions/genScheme/index.js from its TypeScript source (options: function-build.mjs).
import { build } from 'esbuild';
import { appPages, functionBuildOptions } from './function-build.mjs';

const pages = appPages();
const main = await build(functionBuildOptions(pages));
const bytes = (result) => Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`built cloudfunctions/genScheme/index.js: ${bytes(main)} bytes, ${pages.length} pages`);
