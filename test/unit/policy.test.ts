import { DEFAULT_POLICY, Gate, classify, hashOpenid, lastHop, loadPolicy, tokenMatches, type Caller, type Policy } from '../../cloudfunctions/genScheme/src/policy';
import { PAGES } from '../support/app-pages';

const policyWith = (patch: Partial<Policy> = {}): Policy => ({
  user: { ...DEFAULT_POLICY.user, ...patch.user },
  public: { ...DEFAULT_POLICY.public, ...patch.public },
  adminOpenids: patch.adminOpenids ?? [],
});

describe('caller classes', () => {
  const policy = policyWith({ adminOpenids: ['oAdmin'] });

  it.each([
    [{ SOURCE: 'scf' }, 'trusted', 'source:scf'],
    [{ SOURCE: 'wx_client,scf', OPENID: 'oUser' }, 'trusted', 'source:scf'],
    [{ SOURCE: 'wx_trigger' }, 'trusted', 'source:wx_trigger'],
    [{ SOURCE: 'wx_client', OPENID: 'oAdmin' }, 'trusted', 'admin-openid'],
    [{ SOURCE: 'wx_client', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'wx_devtools', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'scf,wx_client', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'wx_http' }, 'public', 'no-openid'],
    [{ SOURCE: 'wx_unknown' }, 'public', 'no-openid'],
    [{ SOURCE: 'wx_crawler' }, 'public', 'no-openid'],
    [{ SOURCE: 'web' }, 'public', 'no-openid'],
    [{}, 'public', 'no-openid'],
  ])('%j is %s (%s)', (ctx, cls, reason) => {
    const caller = classify(ctx, undefined, 'the-token', policy);
    expect(caller).toMatchObject({ class: cls, reason });
  });

  it('a console call with the right admin token is trusted; a wrong or empty one is public', () => {
    expect(classify({}, 'the-token', 'the-token', policy)).toMatchObject({ class: 'trusted', reason: 'admin-token' });
    expect(classify({}, 'the-tokeN', 'the-token', policy).class).toBe('public');
    expect(classify({}, '', 'the-token', policy).class).toBe('public');
    // No token configured: nothing matches, not even an empty one.
    expect(classify({}, '', undefined, policy).class).toBe('public');
    expect(classify({}, 'x', '', policy).class).toBe('public');
  });

  it('admin token: only the exact token is trusted — not a prefix, not a longer one, not another case', () => {
    for (const wrong of ['the-toke', 'the-token ', ' the-token', 'THE-TOKEN', 'the-token\n', 'x'])
      expect(classify({}, wrong, 'the-token', policy)).toMatchObject({ class: 'public', reason: 'no-openid' });
    expect(classify({ OPENID: 'oUser' }, 'the-tokex', 'the-token', policy)).toMatchObject({ class: 'user', reason: 'openid' });
    expect(classify({ OPENID: 'oUser' }, 'the-token', 'the-token', policy)).toMatchObject({ class: 'trusted', reason: 'admin-token' });
  });

  it('admin token: compared with crypto.timingSafeEqual (constant time), never with ===', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require('crypto') as typeof import('crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(tokenMatches('a-guess', 'the-token')).toBe(false);
      expect(tokenMatches('the-token', 'the-token')).toBe(true);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('a', 'a-much-longer-token')).toBe(false);
    expect(tokenMatches('a-much-longer-token', 'a-much-longer-token')).toBe(true);
  });

  it('reads the last hop of SOURCE', () => {
    expect(lastHop('wx_client, scf')).toBe('scf');
    expect(lastHop('')).toBe('');
    expect(lastHop(undefined)).toBe('');
  });

  it('keeps the OPENID only as a short hash', () => {
    const caller = classify({ OPENID: 'oSecretOpenid' }, undefined, undefined, policy);
    expect(caller.openidHash).toBe(hashOpenid('oSecretOpenid'));
    expect(caller.openidHash).toHaveLength(12);
    expect(JSON.stringify(caller)).not.toContain('oSecretOpenid');
  });
});

describe('policy rules', () => {
  const user: Caller = { class: 'user', reason: 'openid', source: 'wx_client', openidHash: 'u1' };
  const pub: Caller = { class: 'public', reason: 'no-openid', source: 'wx_http', ip: '203.0.113.9' };
  const trusted: Caller = { class: 'trusted', reason: 'source:scf', source: 'scf' };

  it('by default users and public callers get release links only; trusted callers get develop too', () => {
    const gate = new Gate(policyWith());
    expect(gate.authorize(user, { action: 'generate', envVersion: 'release' })).toBeNull();
    expect(gate.authorize(user, { action: 'generate', envVersion: 'develop' })).toMatchObject({ code: 'envVersion', field: 'jumpWxa.envVersion' });
    expect(gate.authorize(pub, { action: 'generate', envVersion: 'trial' })?.code).toBe('envVersion');
    expect(gate.authorize(trusted, { action: 'generate', envVersion: 'develop' })).toBeNull();
  });

  it('limits pages when configured', () => {
    const gate = new Gate(policyWith({ user: { ...DEFAULT_POLICY.user, pages: ['pages/product/detail'] } }));
    expect(gate.authorize(user, { action: 'generate', path: 'pages/product/detail' })).toBeNull();
    const denial = gate.authorize(user, { action: 'generate', path: 'pages/order/list' });
    expect(denial).toMatchObject({ code: 'page' });
    expect(denial?.hintEn).toContain('pages/product/detail');
    expect(gate.authorize(trusted, { action: 'generate', path: 'pages/order/list' })).toBeNull();
  });

  it('caps days and query length below the platform', () => {
    const gate = new Gate(policyWith({ public: { ...DEFAULT_POLICY.public, maxDays: 7, maxQueryLength: 64 } }));
    expect(gate.authorize(pub, { action: 'generate', days: 7, queryLength: 64 })).toBeNull();
    expect(gate.authorize(pub, { action: 'generate', days: 8 })?.code).toBe('days');
    expect(gate.authorize(pub, { action: 'generate', queryLength: 65 })?.code).toBe('queryLength');
  });

  it('keeps actions per class: public callers may not query links by default', () => {
    const gate = new Gate(policyWith());
    expect(gate.authorize(pub, { action: 'query' })?.code).toBe('action');
    expect(gate.authorize(user, { action: 'query' })).toBeNull();
  });

  it('public callers can be switched off entirely', () => {
    const gate = new Gate(policyWith({ public: { ...DEFAULT_POLICY.public, enabled: false } }));
    expect(gate.authorize(pub, { action: 'generate' })?.code).toBe('public-disabled');
    expect(gate.authorize(user, { action: 'generate' })).toBeNull();
  });

  it('a wrong policy fails closed for untrusted callers only', () => {
    const gate = new Gate(policyWith(), ['policy user.maxDays: too big']);
    expect(gate.authorize(user, { action: 'generate' })).toMatchObject({ code: 'policy-invalid' });
    expect(gate.authorize(trusted, { action: 'generate' })).toBeNull();
  });
});

describe('rate limits (per warm instance)', () => {
  it('cuts in for one user after 20 calls a minute, not for another', () => {
    const gate = new Gate(policyWith());
    const a: Caller = { class: 'user', reason: 'openid', source: 'wx_client', openidHash: 'aaa' };
    const b: Caller = { class: 'user', reason: 'openid', source: 'wx_client', openidHash: 'bbb' };
    for (let i = 0; i < 20; i++) expect(gate.admitRate(a, 1000 + i)).toBeNull();
    const denial = gate.admitRate(a, 1020);
    expect(denial).toMatchObject({ code: 'rate-user' });
    expect(denial?.retryAfterMs).toBe(60_000 - 20);
    expect(gate.admitRate(b, 1021)).toBeNull();
    // A minute after the first call, A may call again.
    expect(gate.admitRate(a, 61_001)).toBeNull();
  });

  it('public callers: per IP, then one shared bucket', () => {
    const gate = new Gate(policyWith({ public: { ...DEFAULT_POLICY.public, perIpPerMinute: 2, sharedPerMinute: 3 } }));
    const ip = (addr: string): Caller => ({ class: 'public', reason: 'no-openid', source: 'wx_http', ip: addr });
    expect(gate.admitRate(ip('198.51.100.1'), 0)).toBeNull();
    expect(gate.admitRate(ip('198.51.100.1'), 1)).toBeNull();
    expect(gate.admitRate(ip('198.51.100.1'), 2)?.code).toBe('rate-ip');
    expect(gate.admitRate(ip('198.51.100.2'), 3)).toBeNull();
    expect(gate.admitRate(ip('198.51.100.3'), 4)?.code).toBe('rate-shared');
    const noIp: Caller = { class: 'public', reason: 'no-openid', source: 'wx_http' };
    expect(gate.admitRate(noIp, 5)?.code).toBe('rate-shared');
  });

  it('trusted callers are not rate limited by the policy', () => {
    const gate = new Gate(policyWith({ user: { ...DEFAULT_POLICY.user, perUserPerMinute: 0 } }));
    const trusted: Caller = { class: 'trusted', reason: 'admin-token', source: '' };
    for (let i = 0; i < 100; i++) expect(gate.admitRate(trusted, i)).toBeNull();
  });
});

describe('loading the policy', () => {
  it('uses the safe defaults with no configuration', () => {
    const { policy, errors } = loadPolicy(undefined, {}, PAGES);
    expect(errors).toEqual([]);
    expect(policy).toEqual(DEFAULT_POLICY);
  });

  it('layers policy.json, then GENSCHEME_POLICY, then the single variables', () => {
    const file = { user: { envVersions: ['release', 'trial'], perUserPerMinute: 5 }, adminOpenids: ['oFile'] };
    const env = { GENSCHEME_POLICY: JSON.stringify({ public: { maxDays: 3 } }), GENSCHEME_ADMIN_OPENIDS: 'oA, oB', GENSCHEME_PUBLIC: 'off' };
    const { policy, errors } = loadPolicy(file, env, PAGES);
    expect(errors).toEqual([]);
    expect(policy.user).toMatchObject({ envVersions: ['release', 'trial'], perUserPerMinute: 5, maxDays: 30 });
    expect(policy.public).toMatchObject({ maxDays: 3, enabled: false });
    expect(policy.adminOpenids).toEqual(['oA', 'oB']);
  });

  it.each([
    [{ user: { maxDays: 31 } }, 'policy user.maxDays: 31 must be a whole number from 1 to 30 (platform-rules §1: 30 days at most)'],
    [{ user: { maxQueryLength: 2000 } }, 'policy user.maxQueryLength: 2000 must be a whole number from 0 to 1024'],
    [{ user: { envVersions: ['prod'] } }, 'policy user.envVersions: prod not one of release, trial, develop'],
    [{ public: { actions: ['delete'] } }, 'policy public.actions: delete not one of generate, query, quota, plaintext'],
    [{ user: { perUserPerMinute: '20' } }, 'policy user.perUserPerMinute: invalid type'],
    [{ publik: {} }, 'unknown key publik'],
    [{ public: { pages: ['pages/nope'] } }, 'not pages of app.json: pages/nope'],
  ])('reports %j clearly', (file, message) => {
    const { errors } = loadPolicy(file, {}, PAGES);
    expect(errors.join('\n')).toContain(message);
  });

  it('reports bad JSON and a bad switch in the environment', () => {
    expect(loadPolicy(undefined, { GENSCHEME_POLICY: '{user:' }, PAGES).errors[0]).toContain('GENSCHEME_POLICY is not valid JSON');
    expect(loadPolicy(undefined, { GENSCHEME_PUBLIC: 'maybe' }, PAGES).errors[0]).toContain('GENSCHEME_PUBLIC must be on or off');
  });
});
