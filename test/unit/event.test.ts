import { parseEvent } from '../../cloudfunctions/genScheme/src/event';
import { GS } from '../../cloudfunctions/genScheme/src/catalogue';

function problemOf(event: unknown) {
  const r = parseEvent(event);
  if (!('problem' in r)) throw new Error(`expected a problem for ${JSON.stringify(event)}`);
  return r.problem;
}

function parsedOf(event: unknown) {
  const r = parseEvent(event);
  if ('problem' in r) throw new Error(`unexpected problem: ${r.problem.en}`);
  return r.parsed;
}

describe('parseEvent', () => {
  it.each([
    [null, 'null'],
    ['pages/index/index', 'a string'],
    [[{ jumpWxa: {} }], 'an array'],
    [42, 'a number'],
    [undefined, 'nothing'],
  ])('rejects a non-object event (%p) and says what it got', (event, got) => {
    const p = problemOf(event);
    expect(p.errcode).toBe(GS.EVENT_NOT_OBJECT);
    expect(p.en).toContain(got);
  });

  it('accepts the cloud-call shape field for field', () => {
    const { input } = parsedOf({ jumpWxa: { path: '/pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 1, expireInterval: 7 });
    expect(input).toEqual({ action: 'generate', jumpWxa: { path: '/pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 1, expireInterval: 7 });
  });

  it('accepts the HTTPS shape and maps it to the same request', () => {
    const parsed = parsedOf({ jump_wxa: { path: 'pages/index/index', query: 'a=1', env_version: 'trial' }, is_expire: true, expire_type: 0, expire_time: 1900000000 });
    expect(parsed.input).toEqual({ action: 'generate', jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 0, expireTime: 1900000000 });
    expect(parsed.names['jumpWxa.envVersion']).toBe('jump_wxa.env_version');
  });

  it('names an unknown field and suggests the right one (expire_intervel)', () => {
    const p = problemOf({ jump_wxa: { path: '' }, expire_intervel: 7 });
    expect(p).toMatchObject({ errcode: GS.UNKNOWN_FIELD, field: 'expire_intervel' });
    expect(p.hintEn).toBe('Did you mean expire_interval?');
  });

  it('names an unknown field inside jumpWxa', () => {
    const p = problemOf({ jumpWxa: { page: 'pages/index/index' } });
    expect(p).toMatchObject({ errcode: GS.UNKNOWN_FIELD, field: 'jumpWxa.page' });
  });

  it('says env_version at the top level belongs inside jump_wxa (47001)', () => {
    const p = problemOf({ jump_wxa: { path: '' }, env_version: 'trial' });
    expect(p).toMatchObject({ errcode: 47001, field: 'env_version', rule: 'event.envVersionAtTop' });
    expect(p.hintEn).toContain('jump_wxa.env_version');
  });

  it('says a top-level path belongs in jumpWxa', () => {
    expect(problemOf({ path: 'pages/index/index' }).hintEn).toBe('Move it to jumpWxa.path.');
  });

  it('rejects numbers sent as strings with 47001 and the number to send', () => {
    const p = problemOf({ expireTime: '1900000000' });
    expect(p).toMatchObject({ errcode: 47001, field: 'expireTime', rule: 'event.type' });
    expect(p.hintEn).toContain('1900000000');
  });

  it('rejects a field given in both spellings', () => {
    expect(problemOf({ expireTime: 1, expire_time: 2 }).rule).toBe('event.duplicateField');
  });

  it('rejects an unknown action and suggests one', () => {
    const p = problemOf({ action: 'genrate' });
    expect(p.errcode).toBe(GS.UNKNOWN_ACTION);
    expect(p.hintEn).toContain('"generate"');
    expect(problemOf({ action: 7 }).rule).toBe('event.type');
  });

  it('requires scheme for action query', () => {
    expect(problemOf({ action: 'query' })).toMatchObject({ field: 'scheme', rule: 'event.required' });
  });

  it('accepts userInfo, which wx.cloud.callFunction adds, and keeps the admin token out of the input', () => {
    const parsed = parsedOf({ userInfo: { appId: 'wx1', openId: 'o1' }, adminToken: 's3cret', jumpWxa: {} });
    expect(parsed.adminToken).toBe('s3cret');
    expect(JSON.stringify(parsed.input)).not.toContain('s3cret');
  });

  it('keeps __proto__ and constructor keys as plain data (unknown fields), never touching prototypes', () => {
    const event = JSON.parse('{"__proto__":{"polluted":1},"jumpWxa":{"constructor":{"x":1}}}');
    const p = problemOf(event);
    expect(p.errcode).toBe(GS.UNKNOWN_FIELD);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('clips huge unknown field names in messages', () => {
    const p = problemOf({ ['x'.repeat(10_000)]: 1 });
    expect(p.en.length).toBeLessThan(300);
  });
});
