/** Loading the policy (src/access/policy.ts): defaults, layers, and clear errors. */
import { ACTION_ACCESS } from '../../../cloudfunctions/genScheme/src/actions';
import { defaultPolicy, loadPolicy } from '../../../cloudfunctions/genScheme/src/access/policy';
import { PAGES } from '../../support/app-pages';

const APP = { pages: PAGES, actions: ACTION_ACCESS };

describe('loading the policy', () => {
  it('defaults come from each action file: users get every action, public callers the link-making ones only', () => {
    const policy = defaultPolicy(ACTION_ACCESS);
    expect(policy.user.actions).toEqual(['generate', 'query', 'quota', 'plaintext', 'urllink', 'resolveLink', 'landed']);
    expect(policy.public.actions).toEqual(['generate', 'plaintext', 'urllink', 'resolveLink']);
    expect(policy.user).toMatchObject({ pages: ['*'], envVersions: ['release'], maxDays: 30, maxQueryLength: 1024, perUserPerMinute: 20 });
    expect(policy.public).toMatchObject({ enabled: true, perIpPerMinute: 5, sharedPerMinute: 60 });
  });

  it('uses the safe defaults with no configuration', () => {
    const { policy, errors } = loadPolicy(undefined, {}, APP);
    expect(errors).toEqual([]);
    expect(policy).toEqual(defaultPolicy(ACTION_ACCESS));
  });

  it('layers policy.json, then GENSCHEME_POLICY, then the single variables', () => {
    const file = { user: { envVersions: ['release', 'trial'], perUserPerMinute: 5 }, adminOpenids: ['oFile'] };
    const env = { GENSCHEME_POLICY: JSON.stringify({ public: { maxDays: 3 } }), GENSCHEME_ADMIN_OPENIDS: 'oA, oB', GENSCHEME_PUBLIC: 'off' };
    const { policy, errors } = loadPolicy(file, env, APP);
    expect(errors).toEqual([]);
    expect(policy.user).toMatchObject({ envVersions: ['release', 'trial'], perUserPerMinute: 5, maxDays: 30 });
    expect(policy.public).toMatchObject({ maxDays: 3, enabled: false });
    expect(policy.adminOpenids).toEqual(['oA', 'oB']);
  });

  it('GENSCHEME_PUBLIC accepts on/off, true/false, 1/0', () => {
    for (const v of ['off', 'FALSE', '0']) expect(loadPolicy(undefined, { GENSCHEME_PUBLIC: v }, APP).policy.public.enabled).toBe(false);
    for (const v of ['on', 'true', ' 1 ']) expect(loadPolicy(undefined, { GENSCHEME_PUBLIC: v }, APP).policy.public.enabled).toBe(true);
  });

  it.each([
    [{ user: { maxDays: 31 } }, 'policy user.maxDays: 31 must be a whole number from 1 to 30 (platform-rules §1: 30 days at most)'],
    [{ user: { maxQueryLength: 2000 } }, 'policy user.maxQueryLength: 2000 must be a whole number from 0 to 1024'],
    [{ user: { envVersions: ['prod'] } }, 'policy user.envVersions: prod not one of release, trial, develop'],
    [{ public: { actions: ['delete'] } }, 'policy public.actions: delete not one of generate, query, quota, plaintext'],
    [{ user: { perUserPerMinute: '20' } }, 'policy user.perUserPerMinute: invalid type'],
    [{ publik: {} }, 'unknown key publik'],
    [{ public: { pages: ['pages/nope'] } }, 'not pages of app.json: pages/nope'],
  ])('reports %j clearly and leaves that layer out', (file, message) => {
    const { policy, errors } = loadPolicy(file, {}, APP);
    expect(errors.join('\n')).toContain(message);
    expect(policy).toEqual(defaultPolicy(ACTION_ACCESS));
  });

  it('reports bad JSON and a bad switch in the environment', () => {
    expect(loadPolicy(undefined, { GENSCHEME_POLICY: '{user:' }, APP).errors[0]).toContain('GENSCHEME_POLICY is not valid JSON');
    expect(loadPolicy(undefined, { GENSCHEME_PUBLIC: 'maybe' }, APP).errors[0]).toContain('GENSCHEME_PUBLIC must be on or off');
  });
});
