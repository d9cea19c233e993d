// Builds cloudfunctions/genScheme/index.js from its TypeScript source (options: function-build.mjs).
import { build } from 'esbuild';
import { appPages, functionBuildOptions, stableCapabilityBuildOptions } from './function-build.mjs';

const pages = appPages();
const [main, stable] = await Promise.all([build(functionBuildOptions(pages)), build(stableCapabilityBuildOptions(pages))]);
const bytes = (result) => Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`built cloudfunctions/genScheme/index.js: ${bytes(main)} bytes, ${pages.length} pages; stable-capability.js (loaded on first use): ${bytes(stable)} bytes`);
