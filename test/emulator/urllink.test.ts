/** urllink.generate through the real wx-server-sdk (platform-rules §8): success, and each refusal at its boundary. */
import { startEmulator } from '../../emulator/src';
import { loadFunction } from '../../emulator/src/run-function';
import { APP_JSON, DAY_S, FUNCTION_CONFIG, PASSTHROUGH, T0, T0_S, URL_LINK, useEmulator, type SdkResult } from './support';

const h = useEmulator();

const generate = (request: Record<string, unknown>) => h.fn.invoke({ api: 'urllink.generate', ...request });

/** Asserts the SDK throws WeChat's errcode with its errmsg, and the emulator recorded why. */
async function expectRefused(request: Record<string, unknown>, errCode: number, errmsg: string): Promise<void> {
  await expect(generate(request)).rejects.toMatchObject({
    errCode,
    errMsg: expect.stringMatching(new RegExp(`^openapi\\.urllink\\.generate:fail ${errmsg} rid: [0-9a-f-]+$`)),
  });
  expect(h.emu.calls.at(-1)).toMatchObject({ apiName: 'urllink.generate', errcode: errCode, reason: expect.any(String) });
}

const EXPIRY = 'time limit between 1min and 30days';

describe('success', () => {
  it('answers a url_link the SDK returns as urlLink with errCode 0', async () => {
    const result = await generate({ path: 'pages/index/index', query: 'id=42', envVersion: 'trial', expireType: 1, expireInterval: 7 });
    expect(result).toEqual({ urlLink: expect.stringMatching(URL_LINK), errCode: 0, errMsg: 'openapi.urllink.generate:ok' });
  });

  it('records the flat request as received (snake_case, cloud_base included)', async () => {
    const { urlLink } = await generate({
      path: '/pages/publishHomework/publishHomework',
      query: '',
      isExpire: true,
      expireType: 1,
      expireInterval: 1,
      envVersion: 'release',
      cloudBase: { env: 'xxx', domain: '', path: '/jump-wxa.html', query: 'a=1', resourceAppid: '' },
    });
    expect(h.emu.calls).toEqual([
      {
        seq: 1,
        apiName: 'urllink.generate',
        request: {
          path: '/pages/publishHomework/publishHomework',
          query: '',
          is_expire: true,
          expire_type: 1,
          expire_interval: 1,
          env_version: 'release',
          cloud_base: { env: 'xxx', domain: '', path: '/jump-wxa.html', query: 'a=1', resource_appid: '' },
        },
        env: 'genscheme-local',
        time: T0,
        errcode: 0,
        response: { errcode: 0, errmsg: 'ok', url_link: urlLink },
      },
    ]);
  });

  it('issues a different URL-safe ticket each time', async () => {
    const links = new Set<string>();
    for (let i = 0; i < 5; i++) links.add((await generate({})).urlLink);
    expect(links.size).toBe(5);
    for (const link of links) expect(link).toMatch(URL_LINK);
  });

  it.each([
    ['a subpackage page', 'packageA/pages/promo/index'],
    ['a leading "/"', '/pages/order/list'],
    ['an empty path (home page)', ''],
    ['no path (home page)', undefined],
  ])('accepts %s', async (_name, path) => {
    await expect(generate({ path })).resolves.toMatchObject({ errCode: 0 });
  });

  it.each(['release', 'trial', 'develop'])('accepts env_version %s', async (envVersion) => {
    await expect(generate({ envVersion })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts every allowed query character and exactly 1024 of them', async () => {
    await expect(generate({ path: 'pages/index/index', query: "aZ9!#$&'()*+,/:;=?@-._~%" })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ path: 'pages/index/index', query: 'q'.repeat(1024) })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts expire_time just over 60 s ahead and exactly 30 days ahead', async () => {
    await expect(generate({ expireType: 0, expireTime: T0_S + 61 })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ expireType: 0, expireTime: T0_S + 30 * DAY_S })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts expire_interval 1 and 30, and the legacy isExpire shape', async () => {
    await expect(generate({ expireType: 1, expireInterval: 1 })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ expireType: 1, expireInterval: 30 })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ isExpire: true, expireTime: T0_S + 3600 })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ isExpire: false })).resolves.toMatchObject({ errCode: 0 });
  });

  it('accepts a cloud_base with only env, and one with a query of exactly 1024 characters', async () => {
    await expect(generate({ cloudBase: { env: 'prod-1a2b' } })).resolves.toMatchObject({ errCode: 0 });
    await expect(generate({ cloudBase: { env: 'prod-1a2b', path: '/jump-wxa.html', query: 'q'.repeat(1024) } })).resolves.toMatchObject({ errCode: 0 });
  });
});

describe('refusals', () => {
  it('40165: a page that is not in app.json', () => expectRefused({ path: 'pages/missing/index' }, 40165, 'invalid weapp pagepath'));
  it('40165: a path carrying a query string', () => expectRefused({ path: 'pages/index/index?id=1' }, 40165, 'invalid weapp pagepath'));
  it('40212: a query of 1025 characters', () => expectRefused({ path: 'pages/index/index', query: 'q'.repeat(1025) }, 40212, 'invalid query'));
  it.each([' ', '中', '`', '"', '<', '^'])('40212: a query with %j', (ch) => expectRefused({ query: `a=${ch}` }, 40212, 'invalid query'));
  it.each(['Release', 'beta', ''])('85402: env_version %j', (envVersion) => expectRefused({ envVersion }, 85402, 'invalid env_version'));

  it('85401: expire_time in the past', () => expectRefused({ expireType: 0, expireTime: T0_S - 1 }, 85401, EXPIRY));
  it('85401: expire_time exactly 60 s ahead (no margin beyond the rule)', () => expectRefused({ expireType: 0, expireTime: T0_S + 60 }, 85401, EXPIRY));
  it('85401: expire_time 30 days + 1 s ahead', () => expectRefused({ expireType: 0, expireTime: T0_S + 30 * DAY_S + 1 }, 85401, EXPIRY));
  it('85401: expire_time 31 days ahead', () => expectRefused({ expireType: 0, expireTime: T0_S + 31 * DAY_S }, 85401, EXPIRY));
  it('85401: expire_time in milliseconds', () => expectRefused({ expireType: 0, expireTime: T0 + 3_600_000 }, 85401, EXPIRY));
  it('85401: expire_interval 0', () => expectRefused({ expireType: 1, expireInterval: 0 }, 85401, EXPIRY));
  it('85401: expire_interval 31', () => expectRefused({ expireType: 1, expireInterval: 31 }, 85401, EXPIRY));
  it('85401: expire_type 1 without expire_interval', () => expectRefused({ expireType: 1 }, 85401, EXPIRY));

  it('47001: jump_wxa, the scheme shape, nested', () =>
    expectRefused({ jumpWxa: { path: 'pages/index/index', envVersion: 'release' } }, 47001, 'data format error'));
  it('47001: a number sent as a string', () => expectRefused({ expireType: '1', expireInterval: 7 }, 47001, 'data format error'));
  it('47001: a fractional expire_interval', () => expectRefused({ expireType: 1, expireInterval: 1.5 }, 47001, 'data format error'));
  it('47001: path that is not a string', () => expectRefused({ path: ['pages/index/index'] }, 47001, 'data format error'));
  it('47001: is_expire that is not a boolean', () => expectRefused({ isExpire: 'true' }, 47001, 'data format error'));
  it.each([
    ['that is a string', 'xxx'],
    ['that is an array', ['xxx']],
    ['without env', { path: '/jump-wxa.html' }],
    ['with an empty env', { env: '' }],
    ['with a numeric env', { env: 42 }],
    ['with a path that is not a string', { env: 'xxx', path: { p: 1 } }],
    ['with a path carrying a query string', { env: 'xxx', path: '/jump-wxa.html?a=1' }],
    ['with a query of 1025 characters', { env: 'xxx', query: 'q'.repeat(1025) }],
  ])('47001: a cloud_base %s', (_name, cloudBase) => expectRefused({ cloudBase }, 47001, 'data format error'));

  it('says why in the record', async () => {
    await generate({ path: 'pages/nope' }).catch(() => undefined);
    await generate({ jumpWxa: { path: 'pages/index/index' } }).catch(() => undefined);
    expect(h.emu.calls.map((c) => c.reason)).toEqual([
      'path "pages/nope" is not a page of app.json',
      'jump_wxa sent to urllink.generate; a URL Link takes path, query and env_version at the top level',
    ]);
  });
});

describe('the call log', () => {
  it('shows the URL Link issued, as it shows an openlink', async () => {
    const lines: string[] = [];
    const emu = await startEmulator({ appJsonPath: APP_JSON, functionConfigPath: FUNCTION_CONFIG, seed: 5, log: (line) => lines.push(line) });
    try {
      const { urlLink } = await loadFunction<Record<string, unknown>, SdkResult>(PASSTHROUGH, emu).invoke({ api: 'urllink.generate' });
      expect(lines).toEqual([`#1 urllink.generate env=genscheme-local → 0 ${urlLink}`]);
    } finally {
      await emu.close();
    }
  });
});
