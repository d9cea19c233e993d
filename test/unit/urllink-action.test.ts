/**
 * actions/urllink.ts alone (platform-rules §8): the event parsed as the handler parses it, then the
 * action run with a fake context: a fake WeChat, a permit that records what it was asked, a fake clock.
 */
import type { ActionContext, ActionResult } from '../../cloudfunctions/genScheme/src/actions/action';
import { ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import { urllink } from '../../cloudfunctions/genScheme/src/actions/urllink';
import type { Ask } from '../../cloudfunctions/genScheme/src/access/authorize';
import { parseEvent } from '../../cloudfunctions/genScheme/src/event';
import type { CallOutcome, WeChat } from '../../cloudfunctions/genScheme/src/wechat/call';
import type { Failure } from '../../miniprogram/shared/failure';
import type { UrlLinkReply } from '../../miniprogram/shared/contract';
import { appendUrlLinkCq, checkUrlLink, urlLinkTicketOf, urlLinkWithCq } from '../../miniprogram/shared/url-links';
import { FakeClock } from '../support/fake-clock';
import { InstanceLinks } from '../../cloudfunctions/genScheme/src/links/instance';
import { createState } from '../../cloudfunctions/genScheme/src/state';

const NOW_MS = Date.UTC(2026, 11, 1, 4, 0, 0);
const PAGES = ['pages/index/index', 'pages/product/detail'];

interface Fake {
  ctx: ActionContext;
  calls: Array<{ api: string; request: Record<string, unknown>; paced: boolean }>;
  asks: Ask[];
}

function fake(answer: CallOutcome = { ok: true, value: { errcode: 0, errmsg: 'ok', urlLink: 'https://wxaurl.cn/AbC123xyz' } }, refuse?: Failure): Fake {
  const calls: Fake['calls'] = [];
  const asks: Ask[] = [];
  const wechat = {
    call: async (api: string, request: Record<string, unknown>, options: { paced: boolean; record: { attempts: number } }) => {
      calls.push({ api, request, paced: options.paced });
      options.record.attempts = 1;
      return answer;
    },
    pacing: { prefetch: () => undefined },
  } as unknown as WeChat;
  const clock = new FakeClock(NOW_MS);
  const ctx = {
    caller: { class: 'user', reason: 'openid', source: 'wx_client' },
    clock,
    deadline: NOW_MS + 3000,
    settings: { pages: PAGES, dailyCap: 500_000, reuse: false },
    policy: { policy: {}, configErrors: [] },
    wechat,
    record: { attempts: 0 },
    permit: async (ask: Ask) => (asks.push(ask), refuse ?? null),
    state: createState({ mode: 'memory', clock, log: () => undefined }),
    links: new InstanceLinks({ generatedToday: async () => 0 }),
  } as unknown as ActionContext;
  return { ctx, calls, asks };
}

async function run(event: Record<string, unknown>, f = fake()): Promise<ActionResult> {
  const parsed = parseEvent({ action: 'urllink', ...event }, ACTIONS);
  if ('failure' in parsed) return parsed;
  expect(parsed.action).toBe(urllink);
  return urllink.run(parsed.input as never, { ...f.ctx, names: parsed.names });
}

const failureOf = (r: ActionResult) => (r as { failure: Failure }).failure;

describe('urllink action', () => {
  it('jumpWxa shape: checks, asks the policy as "urllink", one paced call to urllink.generate with flat fields', async () => {
    const f = fake();
    const reply = (await run({ jumpWxa: { path: '/pages/product/detail', query: 'id=1' }, expireInterval: 5 }, f)) as UrlLinkReply;
    expect(reply).toMatchObject({ errcode: 0, action: 'urllink', urlLink: 'https://wxaurl.cn/AbC123xyz', expireTime: NOW_MS / 1000 + 5 * 86400, attempts: 1 });
    expect(f.calls).toEqual([
      {
        api: 'urllink.generate',
        paced: true,
        request: { path: 'pages/product/detail', query: 'id=1', envVersion: 'release', isExpire: true, expireType: 1, expireInterval: 5 },
      },
    ]);
    expect(f.asks[0]).toMatchObject({
      action: 'urllink',
      path: 'pages/product/detail',
      envVersion: 'release',
      days: 5,
      queryLength: 4,
      fields: { path: 'jumpWxa.path' },
    });
  });

  it('flat snake_case shape: the policy is told the fields as spelt', async () => {
    const f = fake();
    const reply = await run({ path: 'pages/index/index', env_version: 'trial', expire_interval: 2 }, f);
    expect(reply).toMatchObject({ errcode: 0 });
    expect(f.asks[0]).toMatchObject({ envVersion: 'trial', daysField: 'expire_interval', fields: { path: 'path', envVersion: 'env_version', query: 'query' } });
    expect(f.calls[0].request).toMatchObject({ envVersion: 'trial', expireInterval: 2 });
  });

  it('cq joins with ?cq=', async () => {
    const reply = (await run({ cq: 'u=9' })) as UrlLinkReply;
    expect(reply.urlLink).toBe('https://wxaurl.cn/AbC123xyz?cq=u%3D9');
  });

  it('cloud_base goes out under cloud-call names', async () => {
    const f = fake();
    await run({ cloud_base: { env: 'prod-4g5h6j7k8l', path: '/jump.html', resource_appid: 'wx0123456789abcdef' } }, f);
    expect(f.calls[0].request.cloudBase).toEqual({ env: 'prod-4g5h6j7k8l', path: '/jump.html', resourceAppid: 'wx0123456789abcdef' });
  });

  it('a path with ? in the flat shape: the hint says to move it into query (the flat name)', async () => {
    const f = fake();
    const failure = failureOf(await run({ path: 'pages/index/index?a=1' }, f));
    expect(failure).toMatchObject({ errcode: 40165, field: 'path' });
    expect(failure.hint.en).toContain('into query');
    expect(f.calls).toHaveLength(0);
    expect(f.asks).toHaveLength(0);
  });

  it('both shapes at once is an error naming both', async () => {
    const failure = failureOf(await run({ jumpWxa: { path: 'pages/index/index' }, envVersion: 'release' }));
    expect(failure).toMatchObject({ rule: 'urllink.twoShapes', field: 'envVersion' });
    expect(failure.message.zh).toContain('jumpWxa');
    expect(failure.message.zh).toContain('envVersion');
  });

  it('a policy refusal stops before any call', async () => {
    const denied: Failure = {
      errcode: -900010,
      source: 'policy',
      rule: 'policy.envVersion',
      message: { zh: '拒绝', en: 'no' },
      hint: { zh: '无', en: 'none' },
    };
    const f = fake(undefined, denied);
    expect(failureOf(await run({ envVersion: 'develop' }, f))).toBe(denied);
    expect(f.calls).toHaveLength(0);
  });

  it("WeChat's failure is passed on with the expiry warnings; an answer without a URL Link is -900020", async () => {
    const wechatFailure: Failure = {
      errcode: 44993,
      source: 'wechat',
      rule: 'wechat.44993',
      message: { zh: '上限', en: 'cap' },
      hint: { zh: '明天', en: 'tomorrow' },
    };
    const failed = await run({}, fake({ ok: false, failure: wechatFailure }));
    expect(failureOf(failed)).toBe(wechatFailure);
    expect((failed as { warnings: Array<{ code: string }> }).warnings.map((w) => w.code)).toContain('expiry.defaulted');
    expect(failureOf(await run({}, fake({ ok: true, value: { errcode: 0 } })))).toMatchObject({ errcode: -900020, rule: 'wechat.noUrlLink' });
    expect(failureOf(await run({}, fake({ ok: true, value: { urlLink: 'weixin://dl/business/?t=abc' } })))).toMatchObject({ errcode: -900020 });
  });

  it('is open to users and public callers by default, like generate', () => {
    expect(urllink.defaultAccess).toEqual({ user: true, public: true });
  });
});

describe('URL Link helpers (links.ts, §8, §12)', () => {
  it('reads tickets of both hosts, nothing else', () => {
    expect(urlLinkTicketOf('https://wxaurl.cn/AbC123')).toBe('AbC123');
    expect(urlLinkTicketOf('https://wxmpurl.cn/AbC123?cq=x')).toBe('AbC123');
    for (const bad of [
      'http://wxaurl.cn/AbC123',
      'https://wxaurl.cn/',
      'https://wxaurl.cn.evil/AbC',
      'https://example.com/AbC',
      'weixin://dl/business/?t=AbC',
      'https://wxaurl.cn/A/B',
    ]) {
      expect(urlLinkTicketOf(bad)).toBeNull();
    }
  });

  it('appends ?cq=, once, checked', () => {
    expect(appendUrlLinkCq('https://wxaurl.cn/T1', 'a=1&b=2')).toBe('https://wxaurl.cn/T1?cq=a%3D1%26b%3D2');
    expect(urlLinkWithCq('https://wxaurl.cn/T1', 'id=3')).toEqual({ urlLink: 'https://wxaurl.cn/T1?cq=id%3D3' });
    expect(urlLinkWithCq('https://wxaurl.cn/T1?cq=a', 'id=3')).toHaveProperty('failure');
    expect(urlLinkWithCq('https://wxaurl.cn/T1', 'a b')).toHaveProperty('failure');
  });

  it('checkUrlLink explains &cq= and a bad cq', () => {
    expect(checkUrlLink('https://wxaurl.cn/T1?cq=ok')).toEqual({ urlLink: { host: 'wxaurl.cn', ticket: 'T1' } });
    const amp = checkUrlLink('https://wxaurl.cn/T1&cq=a') as { failure: Failure };
    expect(amp.failure).toMatchObject({ errcode: 40097, rule: 'urlLink.format' });
    expect(amp.failure.hint.zh).toContain('?cq=');
    expect((checkUrlLink('https://wxaurl.cn/T1?cq=%20') as { failure: Failure }).failure).toMatchObject({ errcode: 40212, rule: 'urlLink.cq' });
  });
});
