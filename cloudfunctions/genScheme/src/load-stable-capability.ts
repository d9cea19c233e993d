/**
 * Loads the stable-link capability on first use. In the built function `./stable-capability` is
 * the file built beside index.js (scripts/function-build.mjs keeps this require as it is); run
 * from source (tests), it is stable-capability.ts.
 */
type StableCapability = typeof import('./stable-capability');

let capability: StableCapability | undefined;

export function loadStableCapability(): StableCapability {
  return (capability ??= require('./stable-capability') as StableCapability);
}
