/** Public types of the CloudBase gateway emulator. */

/** Who calls the cloud function, as `cloud.getWXContext()` should report it. */
export interface Caller {
  /** Present for a mini-program call; leave out for a console-like call (no OPENID). */
  openid?: string;
  /** Defaults to the emulator's appid when an openid is given (a mini program calls for itself). */
  appid?: string;
  unionid?: string;
  /** TCB_SOURCE, e.g. `wx_client`, `wx_devtools`, `wx_client,scf`. */
  source?: string;
  clientIp?: string;
  clientIpV6?: string;
  /** The CloudBase environment id (SCF_NAMESPACE); defaults to the emulator's `env`. */
  env?: string;
}

export interface EmulatorOptions {
  /** 0 / undefined = a free port chosen by the OS. The server listens on 127.0.0.1 only. */
  port?: number;
  /** Default `miniprogram/app.json` (relative to the working directory). */
  appJsonPath?: string;
  /** Default `cloudfunctions/genScheme/config.json` (relative to the working directory). */
  functionConfigPath?: string;
  /** Declared openapi permissions; when given, replaces reading `functionConfigPath`. */
  permissions?: string[];
  /** Generated links per day, schemes and URL Links together (platform-rules §5: 500,000). */
  dailyCap?: number;
  /** Generate calls per sliding second, urlscheme.generate and urllink.generate together (platform-rules §5: 100). */
  ratePerSecond?: number;
  /** wxacode.getUnlimited calls per sliding minute (platform-rules §12: 5,000; 45009 beyond). */
  wxacodePerMinute?: number;
  /** remain_visit_quota answered by urlscheme.query and urllink.query (platform-rules §1: 3,000,000 opens a day). */
  visitQuota?: number;
  /** Clock in milliseconds; inject one in tests. Default `Date.now`. */
  now?: () => number;
  /** The mini program's AppID. Default `wx0123456789abcdef`. */
  appid?: string;
  /** CloudBase environment id put in functionEnv(). Default `genscheme-local`. */
  env?: string;
  /** Seeds the RNG used for tickets and `rate` faults, for repeatable runs. */
  seed?: number;
  /** One line per call received, and warnings. */
  log?: (line: string) => void;
  /**
   * Keep the database in this directory across restarts (one `<collection>.ejson.json` file per
   * collection, loaded at start, rewritten after each change). Default: in memory only.
   */
  dataDir?: string;
}

/** Which calls a fault applies to. Calls are counted per api (1-based) from the last setFaults(). */
export interface CallSelector {
  /**
   * Api the fault applies to: `urlscheme.generate` (default), `urlscheme.query`, `urllink.generate`,
   * `urllink.query`, `*` = every wx.openApi call (counted together); a database action such as
   * `database.modifyDocument`, or `database` = every database call (counted together, apart from `*`).
   * A list selects a call of any of them, counted together (e.g. the three database writes).
   */
  api?: string | string[];
  /**
   * 1-based indices among the calls this fault selects, counted from when it was set (setFaults)
   * or added (updateFaults): `on: [1, 2]` added mid-test = "the next two".
   */
  on?: number[];
  /** Probability 0..1 per call, drawn from the seeded RNG (ignored when `on` is given). */
  rate?: number;
  /* Neither `on` nor `rate`: every call. */
}

export type FaultAction =
  /** WeChat's "system busy": respData errcode -1. */
  | { kind: 'busy' }
  /** Any WeChat errcode in respData, e.g. 44990, 40002, 45009. */
  | { kind: 'errcode'; errcode: number; errmsg?: string }
  /** A platform failure in CommOpenApiResp.errorCode, e.g. -604102 (timeout). */
  | { kind: 'platformError'; errorCode: number }
  /** A CloudBase gateway error: JSON `{code,message,requestId}`; the SDK maps `code` (INVALID_PARAM → -501007, else -501001). */
  | { kind: 'cloudbaseError'; code: string; message?: string }
  /** Destroy the socket without replying. */
  | { kind: 'drop' }
  /** HTTP 200 with an empty body. */
  | { kind: 'emptyBody' }
  /** A well-formed CommOpenApiResp whose JSON respData is `null`: the SDK fails inside itself with errCode -1. */
  | { kind: 'nullBody' }
  /** Database only: an HTTP error status (default 500) with a JSON body; the SDK throws -501001 naming the status. */
  | { kind: 'httpError'; status?: number }
  /** Database only: wait `ms` (on top of databaseLatencyMs), then apply the request and answer: nothing lands before the wait ends. */
  | { kind: 'slow'; ms: number }
  /**
   * Database only: apply the request at once (other requests see its effect), then hold the answer
   * `ms`. A client that gives up before then and retries applies a write twice.
   */
  | { kind: 'lateReply'; ms: number };

export type Fault = FaultAction & CallSelector;

export interface FaultPlan {
  /** Delay added before every wx.openApi reply, ms. */
  latencyMs?: number;
  /** Delay added before every database reply, ms (the request is applied after the delay). */
  databaseLatencyMs?: number;
  /** The first matching fault wins. */
  faults?: Fault[];
}

/** One wx.openApi call as the gateway received and answered it. */
export interface RecordedCall {
  /** 1-based, over all calls since start or reset(). */
  seq: number;
  apiName: string;
  /** The request's pairs, each value JSON-parsed, keys snake_case as received. */
  request: Record<string, unknown>;
  /** CommApiData.appid: set when the function called `cloud.openapi({ appid })`. */
  appid?: string;
  /** envName form field. */
  env: string;
  /** Emulator clock, ms. */
  time: number;
  /** The errcode answered in respData (0 = success), or CommOpenApiResp.errorCode (negative); null when no WeChat answer was sent. */
  errcode: number | null;
  /** Why the emulator refused the call, in words (not sent to the function). */
  reason?: string;
  /** The injected fault, if any. */
  fault?: FaultAction['kind'];
  /** WeChat's JSON answer, when there was one. */
  response?: Record<string, unknown>;
}

/**
 * One `database.*` request as the gateway received and answered it. Database faults are
 * `cloudbaseError` (a `DATABASE_*` code: COLLECTION_NOT_EXIST → SDK -502005, REQUEST_FAILED →
 * -502001, SERVER_TIMEOUT → -501002, …), `drop` and `httpError`, which change nothing, and the
 * timing faults `slow` and `lateReply`, which still apply the request (`code` then says how it went).
 */
export interface RecordedDatabaseCall {
  /** 1-based, over all database calls since start or reset(). */
  seq: number;
  /** As on the wire, e.g. `database.modifyDocument`. */
  action: string;
  collection?: string;
  transactionId?: string;
  /** envName. */
  env: string;
  /** Emulator clock, ms. */
  time: number;
  /** The request body's fields as sent (EJSON strings left as strings), without the empty token fields. */
  request: Record<string, unknown>;
  /** null = success; else the error code answered, e.g. `DATABASE_COLLECTION_NOT_EXIST`. Also null for a drop or HTTP error. */
  code: string | null;
  message?: string;
  fault?: FaultAction['kind'];
  /** The JSON answered on success (list items are EJSON strings). */
  reply?: Record<string, unknown>;
}

/** The emulated database, for tests to seed and inspect. Documents go in and come out as plain JS values (Date for dates). */
export interface EmulatorDatabase {
  /** Names of the collections that exist. */
  collections(): string[];
  /** Deep copies of a collection's documents in insertion order; undefined when it does not exist. */
  collection(name: string): Array<Record<string, unknown>> | undefined;
  /** Creates the collection, or replaces all its documents; an `_id` is generated where missing. */
  seed(name: string, documents?: Array<Record<string, unknown>>): void;
  /** Removes a collection; false when there was none. */
  drop(name: string): boolean;
  /** Removes every collection (and, with `dataDir`, their files) and open transactions. */
  clear(): void;
}

/** A file in the emulated cloud storage. */
export interface StoredFile {
  /** `cloud://ENV.BUCKET/cloudPath`, as `cloud.uploadFile` answers it. */
  fileID: string;
  cloudPath: string;
  size: number;
  contentType: string;
  /** Emulator clock, ms. */
  uploadedAt: number;
}

/** One storage request: a gateway action (`storage.getUploadMetadata`, `storage.batchGetDownloadUrl`, `storage.batchDeleteFile`) or a transfer (`cos.put`, `cos.get`). */
export interface RecordedStorageCall {
  seq: number;
  action: string;
  time: number;
  cloudPath?: string;
  fileIDs?: string[];
  bytes?: number;
  /** Set when the gateway refused it, e.g. `INVALID_PARAM`. */
  code?: string;
}

/** The emulated cloud storage, for tests to inspect. */
export interface EmulatorStorage {
  /** Every stored file, in upload order. */
  list(): StoredFile[];
  /** A file by fileID or cloudPath, with a copy of its bytes. */
  get(fileIdOrPath: string): (StoredFile & { bytes: Buffer }) | undefined;
  /** Storage requests since start or reset(). A copy. */
  readonly calls: RecordedStorageCall[];
}

export interface Emulator {
  /** Gateway URL, e.g. `http://127.0.0.1:PORT/admin` (what TCB_CONTEXT_CNFG.URL holds). */
  readonly url: string;
  readonly port: number;
  readonly appid: string;
  /** Environment variables that point the real wx-server-sdk here and make getWXContext() return `caller`. */
  functionEnv(caller?: Caller): Record<string, string>;
  /** Replaces the fault plan and restarts the per-api call counters. */
  setFaults(plan: FaultPlan): void;
  /**
   * Changes the plan while calls go on: a `latencyMs` / `databaseLatencyMs` given replaces the
   * current one, `faults` given are appended after the current ones (which keep their counters)
   * and count calls from now. Validated like setFaults; a refused change changes nothing.
   */
  updateFaults(change: FaultPlan): void;
  /** The fault plan in force (a copy), as `GET /__emulator/faults` shows it. */
  readonly faultPlan: FaultPlan;
  clearFaults(): void;
  /** Every wx.openApi call received since start or reset(). A copy. */
  readonly calls: RecordedCall[];
  /** Every database call received since start or reset(), in order. A copy. */
  readonly databaseCalls: RecordedDatabaseCall[];
  /** The database `cloud.database()` reaches. */
  readonly database: EmulatorDatabase;
  /** The cloud storage `cloud.uploadFile` / `getTempFileURL` / `downloadFile` reach. */
  readonly storage: EmulatorStorage;
  /** Forgets calls, faults, issued links, rate/daily counters, stored files and the database (its files too). */
  reset(): void;
  close(): Promise<void>;
}
