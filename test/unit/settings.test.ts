/** The function's configuration (src/settings.ts): read once per instance, problems said at start-up. */
import { ACTION_ACCESS } from '../../cloudfunctions/genScheme/src/actions';
import { configure } from '../../cloudfunctions/genScheme/src/settings';
import { PAGES } from '../support/app-pages';

describe('configure', () => {
  it('reads the environment; an empty variable counts as unset', () => {
    const c = configure({ GENSCHEME_APPID: 'wx1234567890abcdef', GENSCHEME_H5_BASE_URL: '', GENSCHEME_ADMIN_TOKEN: '' }, {}, PAGES, ACTION_ACCESS);
    expect(c.settings).toEqual({
      pages: PAGES,
      appid: 'wx1234567890abcdef',
      h5BaseUrl: undefined,
      dailyCap: 500_000,
      stateMode: 'database',
      stateSecret: undefined,
      reuse: true,
      resolvePerVisitorPerMinute: 30,
      resolvePerMinute: 6000,
    });
    expect(c.adminToken).toBeUndefined();
    expect(c.startupLog).toEqual([]);
    expect(c.policy.configErrors).toEqual([]);
  });

  it('keeps a strong admin token', () => {
    expect(configure({ GENSCHEME_ADMIN_TOKEN: 'k7Qp2-Wz9xLm4Rt8Vb' }, {}, PAGES, ACTION_ACCESS).adminToken).toBe('k7Qp2-Wz9xLm4Rt8Vb');
  });

  it.each(['tok-123', 'change-me', 'aaaaaaaaaaaaaaaaaaaaaa'])('disables a weak admin token (%s) and says so without echoing it', (token) => {
    const c = configure({ GENSCHEME_ADMIN_TOKEN: token }, {}, PAGES, ACTION_ACCESS);
    expect(c.adminToken).toBeUndefined();
    expect(c.startupLog).toHaveLength(1);
    expect(c.startupLog[0]).toContain('GENSCHEME_ADMIN_TOKEN is too weak');
    expect(c.startupLog[0]).toContain('openssl rand -hex 24');
    expect(c.startupLog[0]).not.toContain(token);
  });

  it('an unreadable policy.json fails closed: its error comes first in the start-up log and the policy state', () => {
    const c = configure({ GENSCHEME_PUBLIC: 'maybe' }, { error: 'policy.json: Unexpected token' }, PAGES, ACTION_ACCESS);
    expect(c.policy.configErrors[0]).toBe('policy.json: Unexpected token');
    expect(c.policy.configErrors[1]).toContain('GENSCHEME_PUBLIC');
    expect(c.startupLog[0]).toMatch(/^\[genScheme\] policy configuration is wrong; untrusted callers are refused until it is fixed: policy\.json/);
  });

  it('a valid policy.json is applied', () => {
    const c = configure({}, { json: { user: { maxDays: 7 } } }, PAGES, ACTION_ACCESS);
    expect(c.policy.policy.user.maxDays).toBe(7);
    expect(c.startupLog).toEqual([]);
  });
});
