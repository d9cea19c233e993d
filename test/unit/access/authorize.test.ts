/** Pure policy decisions (src/access/authorize.ts). */
import { ACTION_ACCESS } from '../../../cloudfunctions/genScheme/src/actions';
import { authorize, mayRead, type PolicyState } from '../../../cloudfunctions/genScheme/src/access/authorize';
import { defaultPolicy, type Policy } from '../../../cloudfunctions/genScheme/src/access/policy';
import { POLICY_DENIED, PUBLIC_DISABLED } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import { callers } from '../../support/genscheme';

const DEFAULT = defaultPolicy(ACTION_ACCESS);
const stateWith = (patch: { user?: Partial<Policy['user']>; public?: Partial<Policy['public']> } = {}, configErrors: string[] = []): PolicyState => ({
  policy: { user: { ...DEFAULT.user, ...patch.user }, public: { ...DEFAULT.public, ...patch.public }, adminOpenids: [] },
  configErrors,
});
const { user, public: pub, trusted } = callers;

describe('policy rules', () => {
  it('by default users and public callers get release links only; trusted callers get develop too', () => {
    const state = stateWith();
    expect(authorize(state, user, { action: 'generate', envVersion: 'release' })).toBeNull();
    expect(authorize(state, user, { action: 'generate', envVersion: 'develop' })).toMatchObject({
      errcode: POLICY_DENIED,
      source: 'policy',
      rule: 'policy.envVersion',
      field: 'jumpWxa.envVersion',
    });
    expect(authorize(state, pub, { action: 'generate', envVersion: 'trial' })?.rule).toBe('policy.envVersion');
    expect(authorize(state, trusted, { action: 'generate', envVersion: 'develop' })).toBeNull();
  });

  it('names the field as the caller spelt it', () => {
    expect(authorize(stateWith(), user, { action: 'generate', envVersion: 'trial', fields: { envVersion: 'jump_wxa.env_version' } })?.field).toBe(
      'jump_wxa.env_version',
    );
  });

  it('limits pages when configured', () => {
    const state = stateWith({ user: { pages: ['pages/product/detail'] } });
    expect(authorize(state, user, { action: 'generate', path: 'pages/product/detail' })).toBeNull();
    expect(authorize(state, user, { action: 'generate', path: '/pages/product/detail' })).toBeNull();
    const denial = authorize(state, user, { action: 'generate', path: 'pages/order/list' });
    expect(denial).toMatchObject({ rule: 'policy.page' });
    expect(denial?.hint.en).toContain('pages/product/detail');
    expect(authorize(state, trusted, { action: 'generate', path: 'pages/order/list' })).toBeNull();
  });

  it('caps days and query length below the platform', () => {
    const state = stateWith({ public: { maxDays: 7, maxQueryLength: 64 } });
    expect(authorize(state, pub, { action: 'generate', days: 7, queryLength: 64 })).toBeNull();
    expect(authorize(state, pub, { action: 'generate', days: 8 })).toMatchObject({ rule: 'policy.days', field: 'expireInterval' });
    expect(authorize(state, pub, { action: 'generate', days: 8, daysField: 'expire_time' })?.field).toBe('expire_time');
    expect(authorize(state, pub, { action: 'generate', queryLength: 65 })?.rule).toBe('policy.queryLength');
  });

  it('keeps actions per class: public callers may not query links or the quota by default', () => {
    const state = stateWith();
    expect(authorize(state, pub, { action: 'query' })).toMatchObject({ rule: 'policy.action', field: 'action' });
    expect(authorize(state, pub, { action: 'quota' })?.rule).toBe('policy.action');
    expect(authorize(state, pub, { action: 'plaintext' })).toBeNull();
    expect(authorize(state, user, { action: 'query' })).toBeNull();
  });

  it('public callers can be switched off entirely', () => {
    const state = stateWith({ public: { enabled: false } });
    expect(authorize(state, pub, { action: 'generate' })).toMatchObject({ errcode: PUBLIC_DISABLED, rule: 'policy.public-disabled' });
    expect(authorize(state, user, { action: 'generate' })).toBeNull();
  });

  it('a wrong policy fails closed for untrusted callers only, and the refusal names none of its errors', () => {
    const state = stateWith({}, ['policy user.maxDays: too big', 'adminOpenids oSecretAdmin']);
    for (const caller of [user, pub]) {
      const denial = authorize(state, caller, { action: 'generate' });
      expect(denial).toMatchObject({ errcode: POLICY_DENIED, rule: 'policy.misconfigured', source: 'policy' });
      expect(denial).not.toHaveProperty('field');
      expect(JSON.stringify(denial)).not.toMatch(/maxDays|oSecretAdmin/);
    }
    expect(authorize(state, trusted, { action: 'generate' })).toBeNull();
  });
});

describe('mayRead: a caller reads only links it could have created', () => {
  it('a user reads release links of its allowed pages, not develop or trial ones', () => {
    const state = stateWith({ user: { pages: ['pages/index/index'] } });
    expect(mayRead(state, user, { path: 'pages/index/index', envVersion: 'release' })).toBe(true);
    expect(mayRead(state, user, { path: 'pages/index/index', envVersion: 'develop' })).toBe(false);
    expect(mayRead(state, user, { path: 'pages/other/other', envVersion: 'release' })).toBe(false);
    expect(mayRead(state, trusted, { path: 'pages/other/other', envVersion: 'develop' })).toBe(true);
  });

  it('an empty envVersion from WeChat is not held against the caller', () => {
    expect(mayRead(stateWith(), user, { path: 'pages/index/index', envVersion: '' })).toBe(true);
  });
});
