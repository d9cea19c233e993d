/** urlscheme.generate through the real wx-server-sdk: success, and each refusal the platform answers. */
import { DAY_S, ENCRYPTED_LINK, T0, T0_S, useEmulator } from './support';

const h = useEmulator();

/** Asserts the SDK throws WeChat's errcode with its errmsg. */
async function expectRefused(event: Record<string, unknown>, errCode: number, errmsg: string): Promise<void> {
  await expect(h.fn.invoke(event)).rejects.toMatchObject({
    errCode,
    errMsg: expect.stringMatching(new RegExp(`^openapi\\.urlscheme\\.generate:fail ${errmsg} rid: [0-9a-f-]+$`)),
  });
  expect(h.emu.calls.at(-1)).toMatchObject({ apiName: 'urlscheme.generate', errcode: errCode, reason: expect.any(String) });
}

describe('success', () => {
  it('answers an openlink the SDK returns with errCode 0', async () => {
    const result = await h.fn.invoke({ jumpWxa: { path: 'pages/index/index', query: 'id=42', envVersion: 'trial' }, expireType: 1, expireInterval: 7 });
    expect(result).toEqual({ openlink: expect.stringMatching(ENCRYPTED_LINK), errCode: 0, errMsg: 'openapi.urlscheme.generate:ok' });
  });

  it('issues a different ticket each time', async () => {
    const links = new Set<string>();
    for (let i = 0; i < 5; i++) links.add((await h.fn.invoke({})).openlink);
    expect(links.size).toBe(5);
  });

  it.each([
    ['a subpackage page', 'packageA/pages/promo/index'],
    ['a leading "/"', '/pages/order/list'],
    ['no path (home page)', undefined],
  ])('accepts %s', async (_name, path) => {
    await expect(h.fn.invoke({ jumpWxa: { path } })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts every allowed query character and exactly 1024 of them', async () => {
    await expect(h.fn.invoke({ jumpWxa: { path: 'pages/index/index', query: "aZ9!#$&'()*+,/:;=?@-._~%" } })).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({ jumpWxa: { path: 'pages/index/index', query: 'q'.repeat(1024) } })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts expire_time just over 60 s ahead and exactly 30 days ahead', async () => {
    await expect(h.fn.invoke({ expireType: 0, expireTime: T0_S + 61 })).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({ expireType: 0, expireTime: T0_S + 30 * DAY_S })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts expire_interval 1 and 30, and the legacy isExpire shape', async () => {
    await expect(h.fn.invoke({ expireType: 1, expireInterval: 1 })).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({ expireType: 1, expireInterval: 30 })).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({ isExpire: true, expireTime: T0_S + 3600 })).resolves.toMatchObject({ errCode: 0 });
  });

  it('records the request as received (snake_case), the time and the errcode', async () => {
    const { openlink } = await h.fn.invoke({ jumpWxa: { path: 'pages/index/index', envVersion: 'develop' }, expireType: 1, expireInterval: 2 });
    expect(h.emu.calls).toEqual([
      {
        seq: 1,
        apiName: 'urlscheme.generate',
        request: { jump_wxa: { path: 'pages/index/index', env_version: 'develop' }, expire_type: 1, expire_interval: 2 },
        env: 'genscheme-local',
        time: T0,
        errcode: 0,
        response: { errcode: 0, errmsg: 'ok', openlink },
      },
    ]);
  });
});

describe('refusals', () => {
  it('40165: a page that is not in app.json', () => expectRefused({ jumpWxa: { path: 'pages/missing/index' } }, 40165, 'invalid weapp pagepath'));
  it('40165: a path carrying a query string', () => expectRefused({ jumpWxa: { path: 'pages/index/index?id=1' } }, 40165, 'invalid weapp pagepath'));
  it('40212: a query of 1025 characters', () => expectRefused({ jumpWxa: { path: 'pages/index/index', query: 'q'.repeat(1025) } }, 40212, 'invalid query'));
  it.each([' ', '中', '`', '"', '<', '^'])('40212: a query with %j', (ch) =>
    expectRefused({ jumpWxa: { path: 'pages/index/index', query: `a=${ch}` } }, 40212, 'invalid query'),
  );
  it('85401: expire_time in the past', () => expectRefused({ expireType: 0, expireTime: T0_S - 1 }, 85401, 'time limit between 1min and 30days'));
  it('85401: expire_time exactly 60 s ahead (no margin beyond the rule)', () =>
    expectRefused({ expireType: 0, expireTime: T0_S + 60 }, 85401, 'time limit between 1min and 30days'));
  it('85401: expire_time 30 days + 1 s ahead', () =>
    expectRefused({ expireType: 0, expireTime: T0_S + 30 * DAY_S + 1 }, 85401, 'time limit between 1min and 30days'));
  it('85401: expire_time in milliseconds', () => expectRefused({ expireType: 0, expireTime: T0 + 3_600_000 }, 85401, 'time limit between 1min and 30days'));
  it('85401: expire_interval 0', () => expectRefused({ expireType: 1, expireInterval: 0 }, 85401, 'time limit between 1min and 30days'));
  it('85401: expire_interval 31', () => expectRefused({ expireType: 1, expireInterval: 31 }, 85401, 'time limit between 1min and 30days'));
  it('85402: an unknown env_version', () => expectRefused({ jumpWxa: { path: 'pages/index/index', envVersion: 'Release' } }, 85402, 'invalid env_version'));
  it('47001: env_version at the top level', () => expectRefused({ jumpWxa: { path: 'pages/index/index' }, envVersion: 'trial' }, 47001, 'data format error'));
  it('47001: a number sent as a string', () => expectRefused({ expireType: '1', expireInterval: 7 }, 47001, 'data format error'));
  it('47001: a fractional expire_interval', () => expectRefused({ expireType: 1, expireInterval: 1.5 }, 47001, 'data format error'));
  it('47001: jump_wxa that is not an object', () => expectRefused({ jumpWxa: 'pages/index/index' }, 47001, 'data format error'));

  it('says why in the record, for the test that finds the offending request', async () => {
    await h.fn.invoke({ jumpWxa: { path: 'pages/nope' } }).catch(() => undefined);
    expect(h.emu.calls[0].reason).toBe('jump_wxa.path "pages/nope" is not a page of app.json');
  });
});
