/** urllink.query through the real wx-server-sdk (platform-rules §8), and URL Links kept apart from schemes. */
import { DAY_S, T0_S, useEmulator } from './support';

const h = useEmulator({ visitQuota: 4321 });

async function urlLink(request: Record<string, unknown> = {}): Promise<string> {
  return (await h.fn.invoke({ api: 'urllink.generate', ...request })).urlLink as string;
}
const query = (request: Record<string, unknown>) => h.fn.invoke({ api: 'urllink.query', ...request });
const NO_CLOUD_BASE = { env: '', domain: '', path: '', query: '', resourceAppid: '' };

describe('url_link_info', () => {
  it('round-trips a generated link, as the SDK camelCases it', async () => {
    const link = await urlLink({ path: '/pages/product/detail', query: 'id=7', envVersion: 'trial', expireType: 1, expireInterval: 3 });
    await expect(query({ urlLink: link })).resolves.toEqual({
      urlLinkInfo: {
        appid: 'wx0123456789abcdef',
        path: 'pages/product/detail',
        query: 'id=7',
        createTime: T0_S,
        expireTime: T0_S + 3 * DAY_S,
        envVersion: 'trial',
        cloudBase: NO_CLOUD_BASE,
      },
      quotaInfo: { remainVisitQuota: 4321 },
      errCode: 0,
      errMsg: 'openapi.urllink.query:ok',
    });
  });

  it('answers defaults for a bare request: home page, release, 30 days, an empty cloud_base', async () => {
    const { urlLinkInfo } = await query({ urlLink: await urlLink(), queryType: 0 });
    expect(urlLinkInfo).toMatchObject({ path: '', query: '', envVersion: 'release', expireTime: T0_S + 30 * DAY_S, cloudBase: NO_CLOUD_BASE });
  });

  it('answers the cloud_base it was given, missing fields as ""', async () => {
    const link = await urlLink({ cloudBase: { env: 'prod-1a2b', path: '/jump-wxa.html', query: 'from=sms' } });
    const { urlLinkInfo } = await query({ urlLink: link });
    expect(urlLinkInfo.cloudBase).toEqual({ env: 'prod-1a2b', domain: '', path: '/jump-wxa.html', query: 'from=sms', resourceAppid: '' });
  });

  it('resolves a link with ?cq= appended to the same ticket', async () => {
    const link = await urlLink({ expireType: 0, expireTime: T0_S + 3600 });
    const { urlLinkInfo } = await query({ urlLink: `${link}?cq=${encodeURIComponent('from=sms&uid=9')}` });
    expect(urlLinkInfo).toMatchObject({ createTime: T0_S, expireTime: T0_S + 3600 });
  });

  it('reads the same ticket on the wxmpurl.cn host (platform-rules §12)', async () => {
    const link = await urlLink({ query: 'id=3' });
    const { urlLinkInfo } = await query({ urlLink: link.replace('https://wxaurl.cn/', 'https://wxmpurl.cn/') });
    expect(urlLinkInfo).toMatchObject({ query: 'id=3', createTime: T0_S });
  });

  it('query_type 1 answers the visit quota only', async () => {
    await expect(query({ urlLink: await urlLink(), queryType: 1 })).resolves.toEqual({
      quotaInfo: { remainVisitQuota: 4321 },
      errCode: 0,
      errMsg: 'openapi.urllink.query:ok',
    });
  });

  it('counts toward neither the rate window nor the daily cap', async () => {
    const link = await urlLink();
    for (let i = 0; i < 3; i++) await query({ urlLink: link });
    expect(h.emu.calls.map((c) => [c.apiName, c.errcode])).toEqual([
      ['urllink.generate', 0],
      ['urllink.query', 0],
      ['urllink.query', 0],
      ['urllink.query', 0],
    ]);
  });
});

describe('refusals', () => {
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['85403: a ticket never issued', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA' }, 85403],
    ['85403: a ticket never issued, with ?cq=', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA?cq=a%3D1' }, 85403],
    ['40097: a weixin:// scheme', { urlLink: 'weixin://dl/business/?t=AAAAAAAAAAAAAA' }, 40097],
    ['40097: another host', { urlLink: 'https://example.com/AAAAAAAAAAAA' }, 40097],
    ['40097: http, not https', { urlLink: 'http://wxaurl.cn/AAAAAAAAAAAA' }, 40097],
    ['40097: an empty ticket', { urlLink: 'https://wxaurl.cn/' }, 40097],
    ['40097: a second path segment', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA/x' }, 40097],
    ['40097: cq joined with & as on a scheme', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA&cq=a' }, 40097],
    ['40097: a parameter other than cq', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA?from=sms' }, 40097],
    ['40097: no url_link at all', {}, 40097],
    ['40097: no url_link with query_type 1', { queryType: 1 }, 40097],
    ['40097: query_type 2', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA', queryType: 2 }, 40097],
    ['40212: a cq outside the allowed characters', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA?cq=%20' }, 40212],
    ['40212: a cq of 257 characters', { urlLink: `https://wxaurl.cn/AAAAAAAAAAAA?cq=${'c'.repeat(257)}` }, 40212],
    ['47001: query_type as a string', { urlLink: 'https://wxaurl.cn/AAAAAAAAAAAA', queryType: '1' }, 47001],
    ['47001: url_link that is not a string', { urlLink: 42 }, 47001],
  ];
  it.each(cases)('%s', async (_name, request, errCode) => {
    await expect(query(request)).rejects.toMatchObject({
      errCode,
      errMsg: expect.stringMatching(/^openapi\.urllink\.query:fail .+ rid: /),
    });
    expect(h.emu.calls.at(-1)).toMatchObject({ apiName: 'urllink.query', errcode: errCode, reason: expect.any(String) });
  });

  it('accepts a cq of exactly 256 characters', async () => {
    const link = await urlLink();
    await expect(query({ urlLink: `${link}?cq=${'c'.repeat(256)}` })).resolves.toMatchObject({ errCode: 0 });
  });

  it('forgets issued links on reset()', async () => {
    const link = await urlLink();
    h.emu.reset();
    await expect(query({ urlLink: link })).rejects.toMatchObject({ errCode: 85403 });
  });
});

describe('schemes and URL Links are apart', () => {
  it('a URL Link ticket is not a scheme, and a scheme ticket is not a URL Link', async () => {
    const link = await urlLink({ path: 'pages/index/index' });
    const { openlink } = await h.fn.invoke({ jumpWxa: { path: 'pages/index/index' } });
    const linkTicket = link.slice('https://wxaurl.cn/'.length);
    const schemeTicket = new URL(openlink).searchParams.get('t');
    await expect(h.fn.invoke({ api: 'query', scheme: `weixin://dl/business/?t=${linkTicket}` })).rejects.toMatchObject({ errCode: 85403 });
    await expect(query({ urlLink: `https://wxaurl.cn/${schemeTicket}` })).rejects.toMatchObject({ errCode: 85403 });
    await expect(query({ urlLink: openlink })).rejects.toMatchObject({ errCode: 40097 });
    await expect(h.fn.invoke({ api: 'query', scheme: link })).rejects.toMatchObject({ errCode: 40097 });
    // each still resolves through its own api
    await expect(query({ urlLink: link })).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({ api: 'query', scheme: openlink })).resolves.toMatchObject({ errCode: 0 });
  });
});
