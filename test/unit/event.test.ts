/** Parsing the event against the action table (src/event.ts). */
import { ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import { parseEvent } from '../../cloudfunctions/genScheme/src/event';
import { EVENT_NOT_OBJECT, INVALID_FIELD, UNKNOWN_ACTION, UNKNOWN_FIELD } from '../../cloudfunctions/genScheme/src/wechat/codes';

function failureOf(event: unknown) {
  const r = parseEvent(event, ACTIONS);
  if (!('failure' in r)) throw new Error(`expected a failure for ${JSON.stringify(event)}`);
  return r.failure;
}

function parsedOf(event: unknown) {
  const r = parseEvent(event, ACTIONS);
  if ('failure' in r) throw new Error(`unexpected failure: ${r.failure.message.en}`);
  return r;
}

describe('parseEvent', () => {
  it.each([
    [null, 'null'],
    ['pages/index/index', 'a string'],
    [[{ jumpWxa: {} }], 'an array'],
    [42, 'a number'],
    [undefined, 'nothing'],
  ])('rejects a non-object event (%p) and says what it got', (event, got) => {
    const p = failureOf(event);
    expect(p).toMatchObject({ errcode: EVENT_NOT_OBJECT, source: 'input', rule: 'event.notObject' });
    expect(p.message.en).toContain(got);
  });

  it('accepts the cloud-call shape field for field (generate when no action is given)', () => {
    const parsed = parsedOf({ jumpWxa: { path: '/pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 1, expireInterval: 7 });
    expect(parsed.action.name).toBe('generate');
    expect(parsed.input).toEqual({
      jumpWxa: { path: '/pages/index/index', query: 'a=1', envVersion: 'trial' },
      isExpire: true,
      expireType: 1,
      expireInterval: 7,
    });
  });

  it('accepts the HTTPS shape and maps it to the same request, remembering the spelling', () => {
    const parsed = parsedOf({
      jump_wxa: { path: 'pages/index/index', query: 'a=1', env_version: 'trial' },
      is_expire: true,
      expire_type: 0,
      expire_time: 1900000000,
    });
    expect(parsed.input).toEqual({
      jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' },
      isExpire: true,
      expireType: 0,
      expireTime: 1900000000,
    });
    expect(parsed.names.shown('jumpWxa.envVersion')).toBe('jump_wxa.env_version');
    expect(parsed.names.shown('expireTime')).toBe('expire_time');
    expect(parsed.names.shown('expireInterval')).toBe('expireInterval');
  });

  it('picks the action from the table', () => {
    expect(parsedOf({ action: 'query', scheme: 'weixin://dl/business/?t=A' })).toMatchObject({
      action: { name: 'query' },
      input: { scheme: 'weixin://dl/business/?t=A' },
    });
    expect(parsedOf({ action: 'quota' })).toMatchObject({ action: { name: 'quota' }, input: {} });
    expect(parsedOf({ action: 'plaintext', jump_wxa: { path: 'pages/index/index' } })).toMatchObject({
      action: { name: 'plaintext' },
      input: { jumpWxa: { path: 'pages/index/index' } },
    });
  });

  it('names an unknown field and suggests the right one (expire_intervel)', () => {
    const p = failureOf({ jump_wxa: { path: '' }, expire_intervel: 7 });
    expect(p).toMatchObject({ errcode: UNKNOWN_FIELD, field: 'expire_intervel' });
    expect(p.hint.en).toBe('Did you mean expire_interval?');
  });

  it('names an unknown field inside jumpWxa', () => {
    const p = failureOf({ jumpWxa: { page: 'pages/index/index' } });
    expect(p).toMatchObject({ errcode: UNKNOWN_FIELD, field: 'jumpWxa.page' });
  });

  it('a field of another action is unknown to this one', () => {
    expect(failureOf({ action: 'quota', scheme: 'x' })).toMatchObject({ errcode: UNKNOWN_FIELD, field: 'scheme' });
    expect(failureOf({ action: 'plaintext', expireInterval: 7 })).toMatchObject({ errcode: UNKNOWN_FIELD, field: 'expireInterval' });
  });

  it('says env_version at the top level belongs inside jump_wxa (47001)', () => {
    const p = failureOf({ jump_wxa: { path: '' }, env_version: 'trial' });
    expect(p).toMatchObject({ errcode: 47001, field: 'env_version', rule: 'event.envVersionAtTop' });
    expect(p.hint.en).toContain('jump_wxa.env_version');
  });

  it('says a top-level path belongs in jumpWxa', () => {
    expect(failureOf({ path: 'pages/index/index' }).hint.en).toBe('Move it to jumpWxa.path.');
  });

  it('rejects numbers sent as strings with 47001 and the number to send', () => {
    const p = failureOf({ expireTime: '1900000000' });
    expect(p).toMatchObject({ errcode: 47001, field: 'expireTime', rule: 'event.type' });
    expect(p.hint.en).toContain('1900000000');
  });

  it("rejects a jumpWxa that is not an object, in the caller's spelling", () => {
    expect(failureOf({ jump_wxa: '{"path":"pages/index/index"}' })).toMatchObject({ errcode: 47001, field: 'jump_wxa', rule: 'event.type' });
  });

  it('rejects a field given in both spellings', () => {
    expect(failureOf({ expireTime: 1, expire_time: 2 })).toMatchObject({ errcode: INVALID_FIELD, rule: 'event.duplicateField' });
  });

  it('rejects an unknown action and suggests one', () => {
    const p = failureOf({ action: 'genrate' });
    expect(p.errcode).toBe(UNKNOWN_ACTION);
    expect(p.hint.en).toContain('"generate"');
    expect(failureOf({ action: 7 }).rule).toBe('event.type');
  });

  it("action query takes scheme or urlLink: neither is the query action's own failure (see actions/query.test.ts), not a parse error", () => {
    expect(parsedOf({ action: 'query' }).action.name).toBe('query');
  });

  it('accepts userInfo, which wx.cloud.callFunction adds, and keeps the admin token out of the input', () => {
    const parsed = parsedOf({ userInfo: { appId: 'wx1', openId: 'o1' }, adminToken: 's3cret', jumpWxa: {} });
    expect(parsed.adminToken).toBe('s3cret');
    expect(JSON.stringify(parsed.input)).not.toContain('s3cret');
    expect(parsed.input).not.toHaveProperty('userInfo');
    expect(parsedOf({ admin_token: 's3cret' }).adminToken).toBe('s3cret');
  });

  it('keeps __proto__ and constructor keys as plain data (unknown fields), never touching prototypes', () => {
    const event = JSON.parse('{"__proto__":{"polluted":1},"jumpWxa":{"constructor":{"x":1}}}');
    const p = failureOf(event);
    expect(p.errcode).toBe(UNKNOWN_FIELD);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('clips huge unknown field names in messages', () => {
    const p = failureOf({ ['x'.repeat(10_000)]: 1 });
    expect(p.message.en.length).toBeLessThan(300);
    expect(p.field!.length).toBeLessThan(100);
  });
});

describe('timer trigger events', () => {
  it('a CloudBase timer event runs the action its trigger is named after, with no fields', () => {
    const parsed = parseEvent({ Type: 'timer', TriggerName: 'sweep', Time: '2026-11-29T19:30:00Z', Message: '' }, ACTIONS);
    expect('failure' in parsed).toBe(false);
    expect((parsed as { action: { name: string } }).action.name).toBe('sweep');
  });

  it('a timer named after no action gets the unknown-action failure, naming it', () => {
    const parsed = parseEvent({ Type: 'Timer', TriggerName: 'nightly', Time: 'x' }, ACTIONS);
    expect(parsed).toMatchObject({ failure: { rule: 'event.unknownAction' } });
  });

  it('an event with a Type field that is not a timer is an ordinary event (Type is then unknown)', () => {
    expect(parseEvent({ Type: 'cos', TriggerName: 'sweep' }, ACTIONS)).toMatchObject({ failure: { rule: 'event.unknownField' } });
  });
});
