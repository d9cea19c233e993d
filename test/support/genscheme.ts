/**
 * The function's parts with in-process stand-ins: a fake cloud.openapi, the fake clock, the
 * configuration as index.ts builds it, and a hand-made ActionContext for running one action alone.
 */
import { ACTION_ACCESS, ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import type { ActionContext } from '../../cloudfunctions/genScheme/src/actions/action';
import type { Ask, PolicyState } from '../../cloudfunctions/genScheme/src/access/authorize';
import type { Caller, WxContext } from '../../cloudfunctions/genScheme/src/access/caller';
import { FieldNames } from '../../cloudfunctions/genScheme/src/event';
import { createHandler, type RuntimeContext } from '../../cloudfunctions/genScheme/src/handle';
import { configure, type Settings } from '../../cloudfunctions/genScheme/src/settings';
import { InstanceLinks } from '../../cloudfunctions/genScheme/src/links/instance';
import { createState } from '../../cloudfunctions/genScheme/src/state';
import type { CallOptions, CallOutcome, RetryPolicy, WeChat } from '../../cloudfunctions/genScheme/src/wechat/call';
import type { ApiName, OpenApi } from '../../cloudfunctions/genScheme/src/wechat/openapi';
import type { CloudStorage } from '../../cloudfunctions/genScheme/src/wechat/storage';
import type { Failure } from '../../miniprogram/shared/failure';
import type { GenSchemeReply } from '../../miniprogram/shared/contract';
import { PAGES } from './app-pages';
import { FakeClock } from './fake-clock';

export const NOW_S = 1_780_000_000;
/** Strong enough for settings.ts (≥ 16 characters, not an example value). */
export const ADMIN_TOKEN = 'k7Qp2-Wz9xLm4Rt8Vb';
export const TRUSTED: WxContext = { SOURCE: 'wx_client,scf' };
export const USER: WxContext = { SOURCE: 'wx_client', OPENID: 'oUser', APPID: 'wx1234567890abcdef' };
export const PUBLIC: WxContext = { SOURCE: 'wx_http', CLIENTIP: '203.0.113.9' };

/** An error as wx-server-sdk throws it: `errCode` and `errMsg`. */
export const sdkError = (errCode: number, errMsg = `openapi.urlscheme.generate:fail ${errCode}`) => Object.assign(new Error(errMsg), { errCode, errMsg });
/** WeChat's own -1 answer ("system error"), the one worth retrying. */
export const wechatBusy = (api = 'urlscheme.generate') => sdkError(-1, `openapi.${api}:fail system error`);
/** An exception inside wx-server-sdk: it stamps -1 on it too, but WeChat may already have made the link. */
export const sdkInternal = () => sdkError(-1, "openapi.urlscheme.generate:fail Cannot read properties of undefined (reading 'data')");

/** A cloud.openapi whose calls answer from `answers` in turn (an Error is thrown), then with fresh links. */
export function fakeOpenApi(answers: Array<unknown | Error> = [], clock?: FakeClock, callMs = 0) {
  const sent: Array<{ api: ApiName; request: Record<string, unknown> }> = [];
  let n = 0;
  const answer = (api: ApiName) => async (request: Record<string, unknown>) => {
    sent.push({ api, request });
    if (callMs && clock) clock.ms += callMs;
    const next = answers[n++] ?? { openlink: `weixin://dl/business/?t=TICKET${n}`, errCode: 0, errMsg: 'openapi.urlscheme.generate:ok' };
    if (next instanceof Error) throw next;
    return next;
  };
  const openapi: OpenApi = {
    urlscheme: { generate: answer('urlscheme.generate'), query: answer('urlscheme.query') },
    urllink: { generate: answer('urllink.generate'), query: answer('urllink.query') },
    wxacode: { getUnlimited: answer('wxacode.getUnlimited') },
  };
  return { openapi, sent };
}

/** A PNG's first bytes: enough for a fake 小程序码. */
export const FAKE_PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

/** cloud.uploadFile / getTempFileURL in memory: what was uploaded, and how often each was called. */
export function fakeStorage() {
  const files = new Map<string, Buffer>();
  const uploads: Array<{ cloudPath: string; bytes: number }> = [];
  const tempUrlCalls: string[][] = [];
  const storage: CloudStorage = {
    uploadFile: jest.fn(async ({ cloudPath, fileContent }: { cloudPath: string; fileContent: Buffer }) => {
      uploads.push({ cloudPath, bytes: fileContent.length });
      const fileID = `cloud://test-env.bucket/${cloudPath}`;
      files.set(fileID, Buffer.from(fileContent));
      return { fileID, statusCode: 200, errMsg: 'uploadFile:ok' };
    }),
    getTempFileURL: jest.fn(async ({ fileList }: { fileList: Array<string | { fileID: string }> }) => {
      const ids = fileList.map((f) => (typeof f === 'string' ? f : f.fileID));
      tempUrlCalls.push(ids);
      return {
        fileList: ids.map((fileID) =>
          files.has(fileID)
            ? { fileID, tempFileURL: `https://tmp.example/${fileID.slice(8)}`, status: 0, errMsg: 'ok' }
            : { fileID, tempFileURL: '', status: -503003, errMsg: 'file not exist' },
        ),
      };
    }),
  };
  return { storage, files, uploads, tempUrlCalls };
}

export interface SetupOptions {
  env?: Record<string, string | undefined>;
  policyJson?: unknown;
  openapi?: OpenApi;
  retry?: RetryPolicy;
  /** ms each fake WeChat call takes. */
  callMs?: number;
  storage?: CloudStorage;
}

/** The handler as index.ts builds it, with the fake openapi and clock. */
export function setup(answers: Array<unknown | Error> = [], opts: SetupOptions = {}) {
  const clock = new FakeClock(NOW_S * 1000);
  const fake = fakeOpenApi(answers, clock, opts.callMs);
  const lines: string[] = [];
  const configuration = configure(
    { GENSCHEME_ADMIN_TOKEN: ADMIN_TOKEN, GENSCHEME_REUSE: 'off', ...opts.env },
    opts.policyJson === undefined ? {} : { json: opts.policyJson },
    PAGES,
    ACTION_ACCESS,
  );
  const handler = createHandler({
    openapi: opts.openapi ?? fake.openapi,
    storage: opts.storage,
    clock,
    actions: ACTIONS,
    settings: configuration.settings,
    policy: configuration.policy,
    adminToken: configuration.adminToken,
    state: createState({ mode: 'memory', clock, log: (l) => lines.push(l) }),
    log: (l) => lines.push(l),
    retry: opts.retry,
  });
  const handle = (event: unknown, context: RuntimeContext | undefined = undefined, wx: WxContext = TRUSTED): Promise<GenSchemeReply> =>
    handler(event, context, wx);
  return { handle, clock, sent: fake.sent, lines, configuration };
}

export const callers: Record<'trusted' | 'user' | 'public', Caller> = {
  trusted: { class: 'trusted', reason: 'source:scf', source: 'scf' },
  user: { class: 'user', reason: 'openid', source: 'wx_client', openidHash: 'u1', appid: 'wx1234567890abcdef' },
  public: { class: 'public', reason: 'no-openid', source: 'wx_http', ip: '203.0.113.9' },
};

/** A fake WeChat.call: answers from `outcomes` in turn and records what was asked. */
export function fakeWeChat(outcomes: CallOutcome[]) {
  const calls: Array<{ api: ApiName; request: Record<string, unknown>; options: CallOptions }> = [];
  let n = 0;
  const wechat = {
    call: jest.fn(async (api: ApiName, request: Record<string, unknown>, options: CallOptions) => {
      calls.push({ api, request, options });
      options.record.attempts = 1;
      return (
        outcomes[n++] ?? { ok: false, failure: { errcode: -1, source: 'wechat', message: { zh: '无', en: 'no answer left' }, hint: { zh: '无', en: 'none' } } }
      );
    }),
    pacing: { prefetch: jest.fn() },
  } as unknown as WeChat;
  return { wechat, calls };
}

export interface ContextOptions {
  caller?: Caller;
  settings?: Partial<Settings>;
  policy?: PolicyState;
  outcomes?: CallOutcome[];
  permit?: (ask: Ask) => Failure | null;
  /** Spelling of fields, canonical → shown. */
  names?: Record<string, string>;
  nowSeconds?: number;
  storage?: CloudStorage;
}

/** A hand-made ActionContext: the fake WeChat.call, a permit that allows all unless told, no handler. */
export function actionContext(opts: ContextOptions = {}) {
  const clock = new FakeClock((opts.nowSeconds ?? NOW_S) * 1000);
  const names = new FieldNames();
  for (const [canonical, shown] of Object.entries(opts.names ?? {})) names.set(canonical, shown);
  const { wechat, calls } = fakeWeChat(opts.outcomes ?? []);
  const asks: Ask[] = [];
  const permit = jest.fn(async (ask: Ask) => (asks.push(ask), opts.permit ? opts.permit(ask) : null));
  const policy = opts.policy ?? configure({}, {}, PAGES, ACTION_ACCESS).policy;
  const state = createState({ mode: 'memory', clock, log: () => undefined });
  const ctx: ActionContext = {
    caller: opts.caller ?? callers.trusted,
    names,
    clock,
    deadline: clock.now() + 3000,
    settings: { pages: PAGES, dailyCap: 500_000, stateMode: 'memory', reuse: false, resolvePerVisitorPerMinute: 30, resolvePerMinute: 6000, ...opts.settings },
    policy,
    wechat,
    record: { attempts: 0 },
    permit,
    state,
    links: new InstanceLinks({ generatedToday: async () => 0 }),
    storage: opts.storage ?? fakeStorage().storage,
  };
  return { ctx, calls, asks, permit, clock };
}
