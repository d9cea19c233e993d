/**
 * The emulated CloudBase gateway: POST /admin?env=…&seqId=… with a multipart form
 * (action=wx.openApi, apiName, requestData = protobuf CommApiData, envName), answered with
 * HTTP 200 + protobuf CommOpenApiResp (cloudbase-wire.md; openapi-service.ts), JSON bodies for
 * the database and storage, and the control API. Listens on 127.0.0.1 only and makes no
 * outbound connection of its own.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';
import { resolve } from 'path';
import { pagesReader, permissionsReader, type Permissions } from './config-files';
import { handleControl } from './control';
import { DatabaseService } from './database/service';
import { FaultInjector } from './faults';
import { buildFunctionEnv } from './function-env';
import { isLoopbackHost, readBody, sendJson } from './http-util';
import { OpenApiService } from './openapi-service';
import { StorageService } from './storage';
import { createRng } from './rng';
import type { Caller, Emulator, EmulatorDatabase, EmulatorStorage, EmulatorOptions, FaultPlan, RecordedCall, RecordedDatabaseCall } from './types';

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
  /** wx.openApi calls: multipart bodies (openapi-service.ts). */
  private readonly openapi: OpenApiService;
  private readonly log: (line: string) => void;
  /** `cloud.database()`: JSON bodies with a `database.*` action (cloudbase-database-wire.md). */
  readonly databaseService: DatabaseService;
  /** `cloud.uploadFile` & co: JSON bodies with a `storage.*` action, and the object store at /__cos/ (storage.ts). */
  readonly storageService: StorageService;
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
    this.openapi = new OpenApiService({
      appid: this.appid,
      now: this.now,
      rng: this.rng,
      log: this.log,
      pages: this.pages,
      permissions: this.permissions,
      faults: this.faults,
      ratePerSecond: options.ratePerSecond ?? DEFAULTS.ratePerSecond,
      dailyCap: options.dailyCap ?? DEFAULTS.dailyCap,
      wxacodePerMinute: options.wxacodePerMinute ?? DEFAULTS.wxacodePerMinute,
      visitQuota: options.visitQuota ?? DEFAULTS.visitQuota,
      delay: (ms) => this.delay(ms),
    });
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
    return this.openapi.calls;
  }

  get databaseCalls(): RecordedDatabaseCall[] {
    return this.databaseService.calls;
  }

  get database(): EmulatorDatabase {
    return this.databaseService;
  }

  get storage(): EmulatorStorage {
    const service = this.storageService;
    return {
      list: () => service.list(),
      get: (id) => service.get(id),
      get calls() {
        return service.calls;
      },
    };
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
    this.openapi.reset();
    this.faults.clear();
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
        return await this.openapi.handle(req, res, url);
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
