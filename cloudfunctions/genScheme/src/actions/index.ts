/**
 * The action table: an event's `action` picks its row. Adding an action means adding its file
 * beside this one and one row here.
 *
 * The stable-link actions belong to a capability loaded on first use (stable-capability.ts): their
 * rows say here only what is needed before that, the name and who may call it by default
 * (test/unit/actions/table.test.ts checks these against the actions themselves).
 */
import type { Action } from '../../../../miniprogram/shared/contract';
import { loadStableCapability } from '../load-stable-capability';
import type { ActionDef } from './action';
import { generate } from './generate';
import { linkCode } from './link-code';
import { plaintext } from './plaintext';
import { query } from './query';
import { quota } from './quota';
import { sweep } from './sweep';
import { urllink } from './urllink';

type Row = Pick<ActionDef, 'name' | 'defaultAccess'>;

const STABLE_ROWS: readonly Row[] = [
  { name: 'createLink', defaultAccess: { user: false, public: false } },
  { name: 'resolveLink', defaultAccess: { user: true, public: true } },
  { name: 'updateLink', defaultAccess: { user: false, public: false } },
  { name: 'listLinks', defaultAccess: { user: false, public: false } },
  { name: 'linkStats', defaultAccess: { user: false, public: false } },
  { name: 'landed', defaultAccess: { user: true, public: false } },
];

/** A stable-link action, from the capability loaded on first use. */
function stableAction(name: Action): ActionDef {
  const action = loadStableCapability().STABLE_ACTIONS.find((candidate) => candidate.name === name);
  if (!action) throw new Error(`stable-capability has no action ${name}`);
  return action as ActionDef;
}

/** A row whose definition comes from the capability when its fields or run are first needed. */
function loadedOnUse(row: Row): ActionDef {
  return { ...row, fields: (z) => stableAction(row.name).fields(z), run: (input, ctx) => stableAction(row.name).run(input, ctx) };
}

const TABLE: ActionDef<any>[] = [generate, query, quota, plaintext, urllink, ...STABLE_ROWS.map(loadedOnUse), linkCode, sweep]; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ACTIONS: ReadonlyMap<Action, ActionDef> = new Map(TABLE.map((action) => [action.name, action as ActionDef]));

/** Who may use each action when no policy says otherwise. */
export const ACTION_ACCESS = TABLE.map((action) => ({ name: action.name, ...action.defaultAccess }));

/** The rows of the stable-link actions, for the test that checks them against the actions. */
export const STABLE_ACTION_ROWS = STABLE_ROWS;
