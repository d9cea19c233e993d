#!/usr/bin/env node
// `npm run emulator`: runs the local CloudBase gateway emulator until Ctrl-C and prints the
// environment a cloud function process needs to talk to it (see emulator/README.md).
import { parseArgs } from 'node:util';
import { loadEmulator } from '../emulator/load.mjs';

const started = process.hrtime.bigint();
const USAGE = `usage: npm run emulator -- [options]
  --port N              listen on 127.0.0.1:N (default: a free port)
  --daily-cap N         schemes + URL Links generated per day before 44993 (default 500000)
  --rate N              urlscheme + urllink generate calls per second before 44990 (default 100)
  --busy-rate R         answer -1 (system busy) to a fraction R (0…1) of urlscheme.generate calls
  --latency MS          delay every openapi reply by MS milliseconds
  --db-latency MS       every database call waits MS milliseconds, then is applied and answered
  --db-actions LIST     limit the --db-fail/--db-slow/--db-late-reply faults to these database actions,
                        comma-separated (e.g. modifyDocument,removeDocument; default: every database call)
  --db-fail N           the first N of those calls fail, not applied, with --db-fail-code
  --db-fail-code CODE   the CloudBase code they answer (default SERVER_TIMEOUT: the SDK throws -501002)
  --db-slow MS          those calls wait MS milliseconds before they are applied (latency per action)
  --db-late-reply MS    those calls are applied at once and answered MS milliseconds later
                        (a client that times out and retries applies a write twice)
  --data DIR            keep the database in DIR across restarts (default: in memory)
  --seed N              seed tickets and --busy-rate, for repeatable runs
  --app-json PATH       the mini program's app.json (default miniprogram/app.json)
  --function-config P   the function's config.json (default cloudfunctions/genScheme/config.json)
  --appid ID            the mini program's AppID (default wx0123456789abcdef)
  --env ID              CloudBase environment id (default genscheme-local)
  --openid ID           print the env of a mini-program caller with this OPENID
  --source S            … with this SOURCE (e.g. wx_client)
  --client-ip IP        … with this CLIENTIP
  --quiet               do not log each call
  -h, --help            this text`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string' },
      'daily-cap': { type: 'string' },
      rate: { type: 'string' },
      'busy-rate': { type: 'string' },
      latency: { type: 'string' },
      'db-latency': { type: 'string' },
      'db-actions': { type: 'string' },
      'db-fail': { type: 'string' },
      'db-fail-code': { type: 'string' },
      'db-slow': { type: 'string' },
      'db-late-reply': { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      'app-json': { type: 'string' },
      'function-config': { type: 'string' },
      appid: { type: 'string' },
      env: { type: 'string' },
      openid: { type: 'string' },
      source: { type: 'string' },
      'client-ip': { type: 'string' },
      quiet: { type: 'boolean' },
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

function number(name, { min = 0, max = Infinity, integer = false } = {}) {
  if (args[name] === undefined) return undefined;
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    console.error(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${args[name]}`);
    process.exit(2);
  }
  return n;
}

const { startEmulator, SHELL_KEYS, API_NAMES, databaseFaultsFromFlags } = loadEmulator();
let emulator;
try {
  emulator = await startEmulator({
    port: number('port', { max: 65535 }),
    dailyCap: number('daily-cap'),
    ratePerSecond: number('rate'),
    seed: number('seed'),
    appJsonPath: args['app-json'],
    functionConfigPath: args['function-config'],
    appid: args.appid,
    env: args.env,
    dataDir: args.data,
    log: args.quiet ? undefined : (line) => console.log(`[emulator] ${line}`),
  });
} catch (e) {
  console.error(`emulator: ${e.message}`);
  process.exit(1);
}

const busyRate = number('busy-rate', { max: 1 });
const latencyMs = number('latency');
const databaseLatencyMs = number('db-latency');
const databaseFaults = databaseFaultsFromFlags({
  actions: args['db-actions'],
  fail: number('db-fail', { integer: true }),
  failCode: args['db-fail-code'],
  slowMs: number('db-slow'),
  lateReplyMs: number('db-late-reply'),
});
const faults = [...(busyRate ? [{ kind: 'busy', rate: busyRate }] : []), ...databaseFaults];
if (latencyMs || databaseLatencyMs || faults.length) {
  try {
    emulator.setFaults({ latencyMs, databaseLatencyMs, faults });
  } catch (e) {
    console.error(`emulator: ${e.message}`);
    await emulator.close();
    process.exit(2);
  }
}

const wantsCaller = args.openid !== undefined || args.source !== undefined || args['client-ip'] !== undefined;
const env = emulator.functionEnv(wantsCaller ? { openid: args.openid, source: args.source, clientIp: args['client-ip'] } : undefined);
const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
const base = emulator.url.replace(/\/admin$/, '');
const ms = Number(process.hrtime.bigint() - started) / 1e6;

console.log(`CloudBase gateway emulator on ${emulator.url} (ready in ${ms.toFixed(0)} ms)
# Serves cloud.openapi: ${API_NAMES.join(', ')}
# Database: ${args.data ? `kept in ${args.data}` : 'in memory'}; collections: ${emulator.database.collections().join(', ') || 'none'}
# Environment for a cloud function process (${wantsCaller ? 'this caller' : 'no caller: getWXContext() returns {} like a console call'}):
unset ${SHELL_KEYS.join(' ')}
${Object.entries(env)
  .map(([k, v]) => `export ${k}=${quote(v)}`)
  .join('\n')}
# Database faults: ${databaseFaults.map((f) => JSON.stringify(f)).join(' ') || 'none'}${databaseLatencyMs ? `, latency ${databaseLatencyMs} ms` : ''}
# Control: GET ${base}/__emulator/calls · POST ${base}/__emulator/faults '{"faults":[{"kind":"busy","on":[1]}]}' · GET ${base}/__emulator/database/collections/NAME · PATCH ${base}/__emulator/faults '{"databaseLatencyMs":200}' · POST ${base}/__emulator/reset
# Ctrl-C stops it.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await emulator.close();
    console.log('emulator stopped');
    process.exit(0);
  });
}
