/**
 * Cloud function entry: the only file that touches wx-server-sdk.
 * Built by `npm run build` into ../index.js (esbuild; wx-server-sdk stays external).
 */
// `import = require` and `export =` (below) compile to a plain require and module.exports: no
// ESM interop helpers in the bundle.
import cloud = require('wx-server-sdk');
import { readFileSync } from 'fs';
import { join } from 'path';
import { systemClock } from './clock';
import { createHandler, type OpenApi, type RuntimeContext } from './handler';
import { Gate, loadPolicy, type WxContext } from './policy';

/** Pages of app.json, injected by the build (scripts/build.mjs reads miniprogram/app.json). */
declare const __GENSCHEME_PAGES__: string[];

// cloudbase-wire.md: DYNAMIC_CURRENT_ENV is a symbol where the typings declare a string.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** policy.json beside index.js: optional; edit it in the function folder and upload, no rebuild. */
function readPolicyFile(): { json?: unknown; error?: string } {
  try {
    return { json: JSON.parse(readFileSync(join(__dirname, 'policy.json'), 'utf8')) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: `policy.json: ${(error as Error).message}` };
  }
}

const env = process.env;
const pages = __GENSCHEME_PAGES__;
const file = readPolicyFile();
const { policy, errors } = loadPolicy(file.json, env, pages);
if (file.error) errors.unshift(file.error);
if (errors.length) console.error(`[genScheme] policy configuration is wrong; untrusted callers are refused until it is fixed: ${errors.join('; ')}`);

const handle = createHandler({
  openapi: cloud.openapi as unknown as OpenApi,
  clock: systemClock,
  settings: {
    pages,
    adminToken: env.GENSCHEME_ADMIN_TOKEN || undefined,
    appid: env.GENSCHEME_APPID || undefined,
    h5BaseUrl: env.GENSCHEME_H5_BASE_URL || undefined,
    gate: new Gate(policy, errors),
  },
  log: (line) => console.log(line),
});

function wxContext(): WxContext {
  try {
    return (cloud.getWXContext() ?? {}) as WxContext;
  } catch {
    return {};
  }
}

async function main(event: unknown, context?: RuntimeContext) {
  return handle(event, context, wxContext());
}

export = { main };
