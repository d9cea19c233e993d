/**
 * The action table: one row per action of the contract, each the action itself.
 */
import { ACTIONS, ACTION_ACCESS } from '../../../cloudfunctions/genScheme/src/actions';
import { createLink } from '../../../cloudfunctions/genScheme/src/actions/create-link';

describe('action table', () => {
  it('the stable-link actions are ordinary rows: the table holds the action itself', () => {
    expect(ACTIONS.get('createLink')).toBe(createLink);
    for (const name of ['createLink', 'resolveLink', 'updateLink', 'listLinks', 'linkStats', 'landed'] as const) {
      expect(ACTIONS.get(name)?.name).toBe(name);
    }
  });

  it('the default access of every action comes from the table', () => {
    expect(ACTION_ACCESS.map((a) => a.name)).toEqual([...ACTIONS.keys()]);
    for (const access of ACTION_ACCESS) expect(access).toEqual({ name: access.name, ...ACTIONS.get(access.name)!.defaultAccess });
  });
});
