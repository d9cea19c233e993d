#!/usr/bin/env node
// `npm start`: the main job on a laptop. Builds the function if its source changed, starts the
// local CloudBase emulator, runs the compiled cloudfunctions/genScheme/index.js — its real
// exports.main with the real wx-server-sdk — and prints the reply and the link.
// Nothing leaves 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEmulator } from '../emulator/load.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fnDir = join(root, 'cloudfunctions/genScheme');
const indexJs = join(fnDir, 'index.js');

const USAGE = `usage: npm start -- [options]
Generates a URL Scheme through the real function and wx-server-sdk against the local emulator.
  --path P           page to open, e.g. pages/product/detail (default: home page)
  --query Q          query string, e.g. id=42&from=sms
  --days N           validity in days, 1-30 (default: 30)
  --env-version V    release | trial | develop (default: release)
  --cq C             custom parameter appended to the link (&cq=…)
  --action A         generate | query | quota | plaintext (default: generate)
  --scheme S         the link to look up, with --action query
  --event FILE       send this JSON event as is (like a cloud-console test); other event flags are ignored
  --openid ID        call as a mini-program user with this OPENID (default: a console call, no OPENID)
  --source S         the caller's SOURCE, e.g. wx_client, wx_http, wx_client,scf
  --admin-token T    set GENSCHEME_ADMIN_TOKEN on the function and send it in the event
  --json             print only the reply, as JSON
  -h, --help         this text
Exit code: 0 when the reply's errcode is 0, 1 otherwise, 2 for a usage error.`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      path: { type: 'string' },
      query: { type: 'string' },
      days: { type: 'string' },
      'env-version': { type: 'string' },
      cq: { type: 'string' },
      action: { type: 'string' },
      scheme: { type: 'string' },
      event: { type: 'string' },
      openid: { type: 'string' },
      source: { type: 'string' },
      'admin-token': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

/** Rebuilds index.js when it is missing or older than its source or app.json. */
function buildIfNeeded() {
  const sources = [join(root, 'miniprogram/app.json'), ...readdirSync(join(fnDir, 'src')).map((f) => join(fnDir, 'src', f)), ...readdirSync(join(root, 'miniprogram/shared')).map((f) => join(root, 'miniprogram/shared', f))];
  const builtAt = existsSync(indexJs) ? statSync(indexJs).mtimeMs : 0;
  if (sources.some((f) => statSync(f).mtimeMs > builtAt)) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: args.json ? 'ignore' : 'inherit' });
  }
}

function eventFromArgs() {
  if (args.event) {
    try {
      return JSON.parse(readFileSync(args.event, 'utf8'));
    } catch (e) {
      console.error(`--event ${args.event}: ${e.message}`);
      process.exit(2);
    }
  }
  const event = {};
  if (args.action) event.action = args.action;
  if (args.scheme !== undefined) event.scheme = args.scheme;
  const jumpWxa = {};
  if (args.path !== undefined) jumpWxa.path = args.path;
  if (args.query !== undefined) jumpWxa.query = args.query;
  if (args['env-version'] !== undefined) jumpWxa.envVersion = args['env-version'];
  if (Object.keys(jumpWxa).length) event.jumpWxa = jumpWxa;
  if (args.days !== undefined) {
    const days = Number(args.days);
    // Passed on as given: the function itself explains a bad value (that is the point of the demo).
    event.expireInterval = Number.isFinite(days) ? days : args.days;
  }
  if (args.cq !== undefined) event.cq = args.cq;
  if (args['admin-token']) event.adminToken = args['admin-token'];
  return event;
}

buildIfNeeded();
const event = eventFromArgs();
if (args['admin-token']) process.env.GENSCHEME_ADMIN_TOKEN = args['admin-token'];

const started = performance.now();
const { startEmulator, loadFunction } = loadEmulator();
const emulator = await startEmulator({ appJsonPath: join(root, 'miniprogram/app.json'), functionConfigPath: join(fnDir, 'config.json') });
let reply;
try {
  const caller = args.openid !== undefined || args.source !== undefined ? { openid: args.openid, source: args.source ?? 'wx_client' } : undefined;
  // The function logs one JSON line per call; keep it unless --json wants clean output.
  if (args.json) console.log = () => undefined;
  const fn = loadFunction(indexJs, emulator);
  reply = await fn.invoke(event, caller);
} catch (e) {
  // The function never throws; reaching this means the set-up itself failed.
  console.error(`start: ${e.stack ?? e}`);
  process.exit(1);
} finally {
  await emulator.close();
}
const ms = performance.now() - started;

if (args.json) {
  process.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
} else {
  console.log(`\nevent  ${JSON.stringify(event).replace(/"adminToken":"[^"]*"/, '"adminToken":"***"')}`);
  console.log(`reply  ${JSON.stringify(reply, null, 2)}`);
  if (reply?.errcode === 0 && reply.openlink) {
    console.log(`\nopenlink: ${reply.openlink}`);
    if (reply.expireAt) console.log(`expires:  ${reply.expireAt}`);
  } else if (reply) {
    console.log(`\nerrcode ${reply.errcode}: ${reply.message?.en}\n  fix: ${reply.hint?.en}\n  ${reply.message?.zh}\n  办法:${reply.hint?.zh}`);
  }
  console.log(`(emulator + real wx-server-sdk, ${ms.toFixed(0)} ms; nothing left 127.0.0.1)`);
}
process.exit(reply?.errcode === 0 ? 0 : 1);
