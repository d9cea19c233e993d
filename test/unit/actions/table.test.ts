/**
 * The action table: the stable-link rows, whose code is loaded on first use, say the same as the
 * actions themselves; and their code is not loaded until a stable-link action is used.
 */
import { ACTIONS, ACTION_ACCESS, STABLE_ACTION_ROWS } from '../../../cloudfunctions/genScheme/src/actions';
import { STABLE_ACTIONS } from '../../../cloudfunctions/genScheme/src/stable-capability';

describe('action table', () => {
  it('every stable-link row names an action of the capability, with the same default access, and every such action has a row', () => {
    expect(STABLE_ACTION_ROWS.map((row) => row.name).sort()).toEqual(STABLE_ACTIONS.map((action) => action.name).sort());
    for (const row of STABLE_ACTION_ROWS) {
      const action = STABLE_ACTIONS.find((candidate) => candidate.name === row.name)!;
      expect({ name: row.name, ...row.defaultAccess }).toEqual({ name: action.name, ...action.defaultAccess });
    }
  });

  it("a stable-link row answers with the capability's own fields", () => {
    const z = { optional: (x: unknown) => ({ optional: x }), string: () => 'string', number: () => 'number', boolean: () => 'boolean', strictObject: (x: unknown) => x, looseObject: (x: unknown) => x };
    for (const action of STABLE_ACTIONS) {
      expect(Object.keys(ACTIONS.get(action.name)!.fields(z as never))).toEqual(Object.keys(action.fields(z as never)));
    }
  });

  it('the default access of every action comes from the table', () => {
    expect(ACTION_ACCESS.map((a) => a.name)).toEqual([...ACTIONS.keys()]);
  });
});
