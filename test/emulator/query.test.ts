/** urlscheme.query: the links the emulator issued, plaintext schemes, and the refusals. */
import { DAY_S, T0_S, useEmulator } from './support';

const h = useEmulator({ visitQuota: 1234 });

async function generate(event: Record<string, unknown>): Promise<string> {
  return (await h.fn.invoke(event)).openlink as string;
}

describe('scheme info', () => {
  it('round-trips a generated link, as the SDK camelCases it', async () => {
    const openlink = await generate({ jumpWxa: { path: '/pages/product/detail', query: 'id=7', envVersion: 'trial' }, expireType: 1, expireInterval: 3 });
    await expect(h.fn.invoke({ api: 'query', scheme: openlink })).resolves.toEqual({
      schemeInfo: {
        appid: 'wx0123456789abcdef',
        path: 'pages/product/detail',
        query: 'id=7',
        createTime: T0_S,
        expireTime: T0_S + 3 * DAY_S,
        envVersion: 'trial',
      },
      quotaInfo: { remainVisitQuota: 1234 },
      errCode: 0,
      errMsg: 'openapi.urlscheme.query:ok',
    });
  });

  it('answers defaults for a bare request: home page, release, 30 days', async () => {
    const openlink = await generate({});
    const { schemeInfo } = await h.fn.invoke({ api: 'query', scheme: openlink, queryType: 0 });
    expect(schemeInfo).toMatchObject({ path: '', query: '', envVersion: 'release', expireTime: T0_S + 30 * DAY_S });
  });

  it('resolves a link with &cq= appended to the same ticket', async () => {
    const openlink = await generate({ expireType: 0, expireTime: T0_S + 3600 });
    const { schemeInfo } = await h.fn.invoke({ api: 'query', scheme: `${openlink}&cq=${encodeURIComponent('from=sms&uid=9')}` });
    expect(schemeInfo).toMatchObject({ createTime: T0_S, expireTime: T0_S + 3600 });
  });

  it('query_type 1 answers the visit quota only', async () => {
    const openlink = await generate({});
    await expect(h.fn.invoke({ api: 'query', scheme: openlink, queryType: 1 })).resolves.toEqual({
      quotaInfo: { remainVisitQuota: 1234 },
      errCode: 0,
      errMsg: 'openapi.urlscheme.query:ok',
    });
  });

  it('answers a plaintext scheme with its own fields and expire_time 0', async () => {
    const scheme = 'weixin://dl/business/?appid=wx0123456789abcdef&path=pages%2Forder%2Flist&query=a%3D1&env_version=develop';
    const { schemeInfo } = await h.fn.invoke({ api: 'query', scheme });
    expect(schemeInfo).toEqual({ appid: 'wx0123456789abcdef', path: 'pages/order/list', query: 'a=1', createTime: 0, expireTime: 0, envVersion: 'develop' });
  });
});

describe('refusals', () => {
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['85403: a ticket never issued', { scheme: 'weixin://dl/business/?t=AAAAAAAAAAAAAA' }, 85403],
    ['40097: not a weixin:// scheme', { scheme: 'https://example.com/?t=abc' }, 40097],
    ['40097: an empty ticket', { scheme: 'weixin://dl/business/?t=' }, 40097],
    ['40097: no scheme at all', {}, 40097],
    ['40212: a cq outside the allowed characters', { scheme: 'weixin://dl/business/?t=AAAAAAAAAAAAAA&cq=%20' }, 40212],
    ['40165: a plaintext scheme for a page not in app.json', { scheme: 'weixin://dl/business/?appid=wx0123456789abcdef&path=pages%2Fnope' }, 40165],
    [
      '85402: a plaintext scheme with a bad env_version',
      { scheme: 'weixin://dl/business/?appid=wx0123456789abcdef&path=pages%2Findex%2Findex&env_version=beta' },
      85402,
    ],
    ['47001: query_type as a string', { scheme: 'weixin://dl/business/?t=AAAAAAAAAAAAAA', queryType: '1' }, 47001],
  ];
  it.each(cases)('%s', async (_name, event, errCode) => {
    await expect(h.fn.invoke({ api: 'query', ...event })).rejects.toMatchObject({
      errCode,
      errMsg: expect.stringMatching(/^openapi\.urlscheme\.query:fail .+ rid: /),
    });
  });

  it('forgets issued links on reset()', async () => {
    const openlink = await generate({});
    h.emu.reset();
    await expect(h.fn.invoke({ api: 'query', scheme: openlink })).rejects.toMatchObject({
      errCode: 85403,
      errMsg: expect.stringContaining('scheme not exist'),
    });
  });
});
