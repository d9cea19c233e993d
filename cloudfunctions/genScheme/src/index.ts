/**
 * Cloud function entry: the only file that touches wx-server-sdk. It reads the configuration once
 * per instance and hands every call to the handler with the caller's WeChat context.
 * Built by `npm run build` into ../index.js (esbuild), with wx-server-sdk bundled into it.
 */
// `import = require` and `export =` compile to a plain require and module.exports.
import cloud = require('wx-server-sdk');
import { readFileSync } from 'fs';
import { join } from 'path';
import { ACTION_ACCESS, ACTIONS } from './actions';
import type { WxContext } from './access/caller';
import { systemClock } from './clock';
import { createHandler, internalReply, type RuntimeContext } from './handle';
import { configure, type PolicyFile } from './settings';
import { createState } from './state';
import type { OpenApi } from './wechat/openapi';

/** Pages of app.json, injected by the build (scripts/function-build.mjs reads miniprogram/app.json). */
declare const __GENSCHEME_PAGES__: string[];

// platform-rules §1 notes: DYNAMIC_CURRENT_ENV is a symbol where the typings declare a string.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** policy.json beside index.js: optional; edit it in the function folder and upload, no rebuild. */
function readPolicyFile(): PolicyFile {
  try {
    return { json: JSON.parse(readFileSync(join(__dirname, 'policy.json'), 'utf8')) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: `policy.json: ${(error as Error).message}` };
  }
}

const configuration = configure(process.env, readPolicyFile(), __GENSCHEME_PAGES__, ACTION_ACCESS);
for (const line of configuration.startupLog) console.error(line);

const state = createState({
  mode: configuration.settings.stateMode,
  // Asked for on first use only: an instance that serves only plaintext links never touches it.
  database: () => cloud.database(),
  secret: configuration.settings.stateSecret,
  clock: systemClock,
  log: (line) => console.error(line),
});

const handle = createHandler({
  openapi: cloud.openapi as unknown as OpenApi,
  storage: { uploadFile: (options) => cloud.uploadFile(options), getTempFileURL: (options) => cloud.getTempFileURL(options) as never },
  clock: systemClock,
  actions: ACTIONS,
  settings: configuration.settings,
  policy: configuration.policy,
  adminToken: configuration.adminToken,
  state,
  log: (line) => console.log(line),
});

/** The caller's context; outside a call (or in a console test) it may be empty. */
function wxContext(): WxContext {
  try {
    return (cloud.getWXContext() ?? {}) as WxContext;
  } catch {
    return {};
  }
}

async function main(event: unknown, context?: RuntimeContext) {
  try {
    return await handle(event, context, wxContext());
  } catch (error) {
    // handle() replies to everything; this is the last guard, so main never rejects.
    return internalReply(error, 'generate');
  }
}

// The wx-server-sdk bundled into index.js, under a symbol (CloudBase calls only `main`) for
// test/bundle/, which checks that its storage, database and openapi paths load and answer.
export = Object.defineProperty({ main }, Symbol.for('genScheme.bundledSdk'), { value: cloud });
