// Loads the emulator's TypeScript without a build step of its own: esbuild bundles
// emulator/src into one CommonJS file under node_modules/.cache, keyed by a hash of the
// sources, and later runs reuse it. Measured here: ~10 ms to start from the cache,
// ~55 ms when it must bundle first; `ts-node` (transpile-only) took ~500 ms.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const srcDir = join(here, 'src');
const require = createRequire(import.meta.url);

function sourceHash() {
  const hash = createHash('sha256');
  const names = readdirSync(srcDir, { recursive: true })
    .map(String)
    .filter((n) => n.endsWith('.ts'))
    .sort();
  for (const name of names) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(srcDir, name)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Returns the emulator module (`startEmulator`, …) and the run-function helpers. */
export function loadEmulator() {
  const cacheDir = join(root, 'node_modules', '.cache', 'genscheme-emulator');
  const file = join(cacheDir, `emulator-${sourceHash()}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    require('esbuild').buildSync({
      stdin: {
        contents: "export * from './index'; export * from './run-function';",
        resolveDir: srcDir,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      outfile: tmp,
      logLevel: 'warning',
      // Required from node_modules on the first database call, so an openapi-only start stays quick.
      external: ['mingo', 'bson'],
    });
    renameSync(tmp, file); // atomic: a concurrent run never loads half a file
    for (const old of readdirSync(cacheDir)) {
      if (old.startsWith('emulator-') && old.endsWith('.cjs') && join(cacheDir, old) !== file) rmSync(join(cacheDir, old), { force: true });
    }
  }
  return require(file);
}
