/**
 * The emulator's wx.openApi calls: the SDK's multipart POST /admin (action=wx.openApi, apiName,
 * requestData = protobuf CommApiData), recorded, answered by the API handlers of openapi.ts under
 * the platform's limits and permissions, or by an injected fault, with HTTP 200 + protobuf
 * CommOpenApiResp (cloudbase-wire.md). The Gateway routes these calls here.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { randomBytes } from 'crypto';
import type { Permissions } from './config-files';
import type { FaultInjector } from './faults';
import { readBody, sendBytes, sendJson } from './http-util';
import { DailyCounter, SlidingWindow } from './limits';
import { LinkStore } from './links';
import { boundaryOf, parseMultipart } from './multipart';
import { API_HANDLERS, BinaryAnswer } from './openapi';
import { decodeCommApiData, encodeCommOpenApiResp } from './protobuf';
import type { FaultAction, RecordedCall } from './types';
import { ERRMSG, Refusal } from './wechat-errors';

const PERMISSION_DENIED = -604101; // platform-rules §1: api not declared in config.json
const API_NOT_FOUND = -604100;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface OpenApiServiceOptions {
  appid: string;
  now: () => number;
  rng: () => number;
  log: (line: string) => void;
  pages: () => Set<string>;
  permissions: () => Permissions;
  faults: FaultInjector;
  /** platform-rules §5, §12 and §1: the limits the platform enforces. */
  ratePerSecond: number;
  dailyCap: number;
  wxacodePerMinute: number;
  visitQuota: number;
  /** A pause the gateway cancels when it closes. */
  delay(ms: number): Promise<void>;
}

export class OpenApiService {
  private readonly links = new LinkStore();
  private readonly rate: SlidingWindow;
  private readonly daily: DailyCounter;
  private readonly wxacodeRate: SlidingWindow;
  private recorded: RecordedCall[] = [];

  constructor(private readonly o: OpenApiServiceOptions) {
    this.rate = new SlidingWindow(o.ratePerSecond);
    this.daily = new DailyCounter(o.dailyCap);
    this.wxacodeRate = new SlidingWindow(o.wxacodePerMinute, 60_000);
  }

  get calls(): RecordedCall[] {
    return this.recorded.map((c) => ({ ...c }));
  }

  reset(): void {
    this.recorded = [];
    this.links.clear();
    this.rate.reset();
    this.daily.reset();
    this.wxacodeRate.reset();
  }

  /** A CloudBase-level error: HTTP 200 + JSON; the SDK maps `code` to -501007 / -501001. */
  private cloudbaseError(res: ServerResponse, code: string, message: string): void {
    sendJson(res, 200, { code, message, requestId: randomBytes(8).toString('hex') });
  }

  /** One POST /admin multipart call: recorded, then a fault or the API's answer. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
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
      time: this.o.now(),
      errcode: null,
    };
    if (data.appid) call.appid = data.appid;
    this.recorded.push(call);

    const fault = this.o.faults.next(apiName);
    if (this.o.faults.latencyMs > 0) await this.o.delay(this.o.faults.latencyMs);
    if (fault) this.injectFault(fault, call, res);
    else this.answer(call, res);
    this.o.log(describe(call));
  }

  private answer(call: RecordedCall, res: ServerResponse): void {
    const { declared, problem } = this.o.permissions();
    if (!declared.has(call.apiName)) {
      call.reason = problem
        ? `${problem}, so ${call.apiName} is not declared`
        : `${call.apiName} is not declared under permissions.openapi of the function's config.json`;
      return this.platformError(call, res, PERMISSION_DENIED);
    }
    const handler = API_HANDLERS[call.apiName];
    if (!handler) {
      call.reason = `${call.apiName} is not emulated`;
      return this.platformError(call, res, API_NOT_FOUND);
    }
    const result = handler(call.request, {
      nowMs: call.time,
      appid: this.o.appid,
      pages: this.o.pages,
      links: this.links,
      rng: this.o.rng,
      rate: this.rate,
      daily: this.daily,
      visitQuota: this.o.visitQuota,
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
    const rid = [8, 8, 8]
      .map((n) =>
        Math.floor(this.o.rng() * 16 ** n)
          .toString(16)
          .padStart(n, '0'),
      )
      .join('-');
    return `${ERRMSG[errcode] ?? 'error'} rid: ${rid}`;
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
