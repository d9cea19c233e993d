/**
 * The emulated CloudBase gateway: POST /admin?env=…&seqId=… with a multipart form
 * (action=wx.openApi, apiName, requestData = protobuf CommApiData, envName), answered with
 * HTTP 200 + protobuf CommOpenApiResp (cloudbase-wire.md). Listens on 127.0.0.1 only and
 * makes no outbound connection of its own.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { randomBytes } from 'crypto';
import type { AddressInfo, Socket } from 'net';
import { resolve } from 'path';
import { pagesReader, permissionsReader, type Permissions } from './config-files';
import { handleControl } from './control';
import { DatabaseService } from './database/service';
import { FaultInjector } from './faults';
import { buildFunctionEnv } from './function-env';
import { isLoopbackHost, readBody, sendBytes, sendJson } from './http-util';
import { DailyCounter, SlidingWindow } from './limits';
import { LinkStore } from './links';
import { boundaryOf, parseMultipart } from './multipart';
import { API_HANDLERS, BinaryAnswer } from './openapi';
import { StorageService } from './storage';
import { decodeCommApiData, encodeCommOpenApiResp } from './protobuf';
import { createRng } from './rng';
import type { Caller, Emulator, EmulatorDatabase, EmulatorStorage, EmulatorOptions, FaultAction, FaultPlan, RecordedCall, RecordedDatabaseCall } from './types';
import { ERRMSG, Refusal } from './wechat-errors';

export const DEFAULTS = {
  appJsonPath: 'miniprogram/app.json',
  functionConfigPath: 'cloudfunctions/genScheme/config.json',
  dailyCap: 500_000, // platform-rules §5: 500k schemes + URL Links a day → 44993
  ratePerSecond: 100, // platform-rules §5: 100 generate calls/s → 44990
  visitQuota: 3_000_000, // platform-rules §1: 3M opens a day (⚠️ newer pages say 6M)
  wxacodePerMinute: 5_000, // platform-rules §12: wxacode.getUnlimited 5,000 calls/min → 45009
  appid: 'wx0123456789abcdef',
  env: 'genscheme-local',
};

const PERMISSION_DENIED = -604101; // platform-rules §1: api not declared in config.json
const API_NOT_FOUND = -604100;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export class Gateway implements Emulator {
  readonly appid: string;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly rng: () => number;
  private readonly pages: () => Set<string>;
  private readonly permissions: () => Permissions;
  private readonly faults: FaultInjector;
  private readonly links = new LinkStore();
  private readonly rate: SlidingWindow;
  private readonly daily: DailyCounter;
  private readonly wxacodeRate: SlidingWindow;
  private readonly log: (line: string) => void;
  /** `cloud.database()`: JSON bodies with a `database.*` action (cloudbase-database-wire.md). */
  readonly databaseService: DatabaseService;
  /** `cloud.uploadFile` & co: JSON bodies with a `storage.*` action, and the object store at /__cos/ (storage.ts). */
  readonly storageService: StorageService;
  private recorded: RecordedCall[] = [];
  private address: AddressInfo | null = null;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.appid = options.appid ?? DEFAULTS.appid;
    this.now = options.now ?? Date.now;
    this.rng = createRng(options.seed);
    this.log = options.log ?? (() => undefined);
    this.pages = pagesReader(resolve(options.appJsonPath ?? DEFAULTS.appJsonPath));
    this.pages(); // fail at start, not at the first call, when app.json is missing or broken
    const declared = options.permissions ? { declared: new Set(options.permissions) } : null;
    this.permissions = declared ? () => declared : permissionsReader(resolve(options.functionConfigPath ?? DEFAULTS.functionConfigPath));
    const { problem } = this.permissions();
    if (problem) this.log(`warning: ${problem}; every openapi call will answer -604101`);
    this.faults = new FaultInjector(this.rng);
    this.rate = new SlidingWindow(options.ratePerSecond ?? DEFAULTS.ratePerSecond);
    this.daily = new DailyCounter(options.dailyCap ?? DEFAULTS.dailyCap);
    this.wxacodeRate = new SlidingWindow(options.wxacodePerMinute ?? DEFAULTS.wxacodePerMinute, 60_000);
    this.databaseService = new DatabaseService({ now: this.now, faults: this.faults, log: this.log, dataDir: options.dataDir && resolve(options.dataDir) });
    this.storageService = new StorageService({ env: options.env ?? DEFAULTS.env, now: this.now, origin: () => `http://127.0.0.1:${this.port}`, log: this.log });
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<this> {
    return new Promise((done, fail) => {
      this.server.once('error', fail);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.address = this.server.address() as AddressInfo;
        done(this);
      });
    });
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/admin`;
  }

  get calls(): RecordedCall[] {
    return this.recorded.map((c) => ({ ...c }));
  }

  get databaseCalls(): RecordedDatabaseCall[] {
    return this.databaseService.calls;
  }

  get database(): EmulatorDatabase {
    return this.databaseService;
  }

  get storage(): EmulatorStorage {
    const service = this.storageService;
    return { list: () => service.list(), get: (id) => service.get(id), get calls() { return service.calls; } };
  }

  get faultPlan(): FaultPlan {
    return this.faults.current;
  }

  functionEnv(caller?: Caller): Record<string, string> {
    return buildFunctionEnv(this.url, { env: this.options.env ?? DEFAULTS.env, appid: this.appid }, caller);
  }

  setFaults(plan: FaultPlan): void {
    this.faults.set(plan);
  }

  updateFaults(change: FaultPlan): void {
    this.faults.update(change);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  reset(): void {
    this.recorded = [];
    this.faults.clear();
    this.links.clear();
    this.rate.reset();
    this.daily.reset();
    this.wxacodeRate.reset();
    this.storageService.reset();
    this.databaseService.reset();
  }

  close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.databaseService.close();
    return new Promise((done) => {
      this.server.close(() => done());
      for (const socket of this.sockets) socket.destroy(); // keep-alive sockets of the SDK
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!isLoopbackHost(req.headers.host)) return sendJson(res, 403, { error: 'loopback only' });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith('/__emulator')) return await handleControl(this, req, res, url);
      if (await this.storageService.handleCos(req, res, url)) return;
      if (req.method === 'POST' && url.pathname === '/admin') {
        // The SDK sends database and storage calls as JSON, openapi calls as multipart.
        if (/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return await this.jsonCall(req, res, url);
        return await this.gatewayCall(req, res, url);
      }
      sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: String((e as Error)?.message ?? e) });
      else res.destroy();
    }
  }

  /** A JSON call: storage.* goes to the storage, anything else to the database. */
  private async jsonCall(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    let action: unknown;
    try {
      action = (JSON.parse(raw.toString('utf8')) as { action?: unknown } | null)?.action;
    } catch {
      // The database service explains a body that is not JSON.
    }
    if (this.storageService.isStorageAction(action)) {
      this.storageService.answer(JSON.parse(raw.toString('utf8')) as Record<string, unknown>, res);
      this.log(`storage ${String(action)}`);
      return;
    }
    return this.databaseService.handle(req, res, url, raw);
  }

  /** A CloudBase-level error: HTTP 200 + JSON; the SDK maps `code` to -501007 / -501001. */
  private cloudbaseError(res: ServerResponse, code: string, message: string): void {
    sendJson(res, 200, { code, message, requestId: randomBytes(8).toString('hex') });
  }

  private async gatewayCall(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(req);
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) return this.cloudbaseError(res, 'INVALID_PARAM', 'expected multipart/form-data');
    let form: Map<string, Buffer>;
    try {
      form = new Map(parseMultipart(body, boundary).map((p) => [p.name, p.data]));
    } catch (e) {
      return this.cloudbaseError(res, 'INVALID_PARAM', (e as Error).message);
    }
    const action = form.get('action')?.toString() ?? '';
    if (action !== 'wx.openApi') return this.cloudbaseError(res, 'INVALID_PARAM', `action "${action}" is not emulated (only wx.openApi)`);
    const apiName = form.get('apiName')?.toString() ?? '';
    let data;
    try {
      data = decodeCommApiData(form.get('requestData') ?? Buffer.alloc(0));
    } catch (e) {
      return this.cloudbaseError(res, 'INVALID_PARAM', `requestData: ${(e as Error).message}`);
    }
    const call: RecordedCall = {
      seq: this.recorded.length + 1,
      apiName,
      request: Object.fromEntries(data.pairs.map((p) => [p.key, parseValue(p.value)])),
      env: form.get('envName')?.toString() || url.searchParams.get('env') || '',
      time: this.now(),
      errcode: null,
    };
    if (data.appid) call.appid = data.appid;
    this.recorded.push(call);

    const fault = this.faults.next(apiName);
    if (this.faults.latencyMs > 0) await this.delay(this.faults.latencyMs);
    if (fault) this.injectFault(fault, call, res);
    else this.answer(call, res);
    this.log(describe(call));
  }

  private answer(call: RecordedCall, res: ServerResponse): void {
    const { declared, problem } = this.permissions();
    if (!declared.has(call.apiName)) {
      call.reason = problem ? `${problem}, so ${call.apiName} is not declared` : `${call.apiName} is not declared under permissions.openapi of the function's config.json`;
      return this.platformError(call, res, PERMISSION_DENIED);
    }
    const handler = API_HANDLERS[call.apiName];
    if (!handler) {
      call.reason = `${call.apiName} is not emulated`;
      return this.platformError(call, res, API_NOT_FOUND);
    }
    const result = handler(call.request, {
      nowMs: call.time,
      appid: this.appid,
      pages: this.pages,
      links: this.links,
      rng: this.rng,
      rate: this.rate,
      daily: this.daily,
      visitQuota: this.options.visitQuota ?? DEFAULTS.visitQuota,
      wxacodeRate: this.wxacodeRate,
    });
    if (result instanceof BinaryAnswer) {
      call.errcode = 0;
      call.response = result.summary;
      return sendBytes(res, encodeCommOpenApiResp({ respData: result.bytes, contentType: result.contentType, httpCode: 200 }));
    }
    if (result instanceof Refusal) {
      call.reason = result.reason;
      return this.wechatReply(call, res, { errcode: result.errcode, errmsg: this.errmsg(result.errcode) });
    }
    this.wechatReply(call, res, { errcode: 0, errmsg: 'ok', ...result });
  }

  private injectFault(fault: FaultAction, call: RecordedCall, res: ServerResponse): void {
    call.fault = fault.kind;
    call.reason = 'injected fault';
    switch (fault.kind) {
      case 'busy':
        return this.wechatReply(call, res, { errcode: -1, errmsg: this.errmsg(-1) });
      case 'errcode':
        return this.wechatReply(call, res, { errcode: fault.errcode, errmsg: fault.errmsg ?? this.errmsg(fault.errcode) });
      case 'platformError':
        return this.platformError(call, res, fault.errorCode);
      case 'cloudbaseError':
        return this.cloudbaseError(res, fault.code, fault.message ?? `injected ${fault.code}`);
      case 'drop':
        res.socket?.destroy();
        return;
      case 'emptyBody':
        res.writeHead(200);
        res.end();
        return;
      case 'nullBody':
        sendBytes(res, encodeCommOpenApiResp({ respData: Buffer.from('null'), contentType: JSON_CONTENT_TYPE, httpCode: 200 }));
        return;
      default:
        // validatePlan() keeps database kinds away from openapi apis.
        throw new Error(`fault ${fault.kind} cannot apply to a wx.openApi call`);
    }
  }

  private wechatReply(call: RecordedCall, res: ServerResponse, json: Record<string, unknown>): void {
    call.errcode = json.errcode as number;
    call.response = json;
    sendBytes(res, encodeCommOpenApiResp({ respData: Buffer.from(JSON.stringify(json)), contentType: JSON_CONTENT_TYPE, httpCode: 200 }));
  }

  private platformError(call: RecordedCall, res: ServerResponse, errorCode: number): void {
    call.errcode = errorCode;
    sendBytes(res, encodeCommOpenApiResp({ errorCode }));
  }

  /** WeChat's errmsg carries a request id ("… rid: 6745…"); so does the emulator's. */
  private errmsg(errcode: number): string {
    const rid = [8, 8, 8].map((n) => Math.floor(this.rng() * 16 ** n).toString(16).padStart(n, '0')).join('-');
    return `${ERRMSG[errcode] ?? 'error'} rid: ${rid}`;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((done) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        done();
      }, ms);
      this.timers.add(t);
    });
  }
}

/** Pair values are JSON (cloudbase-wire.md); anything else is kept as text. */
function parseValue(value: Buffer): unknown {
  const text = value.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(call: RecordedCall): string {
  const outcome = call.fault && call.errcode === null ? `fault ${call.fault}` : String(call.errcode);
  const why = call.reason ? ` (${call.reason})` : '';
  const issued = call.response?.openlink ?? call.response?.url_link;
  const link = typeof issued === 'string' ? ` ${issued}` : '';
  return `#${call.seq} ${call.apiName} env=${call.env} → ${outcome}${link}${why}`;
}
