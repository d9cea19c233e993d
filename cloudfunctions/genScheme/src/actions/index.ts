/**
 * The action table: an event's `action` picks its row. Adding an action means adding its file
 * beside this one and one row here.
 */
import type { Action } from '../../../../miniprogram/shared/contract';
import type { ActionDef } from './action';
import { createLink } from './create-link';
import { generate } from './generate';
import { landed } from './landed';
import { linkCode } from './link-code';
import { linkStats } from './link-stats';
import { listLinks } from './list-links';
import { plaintext } from './plaintext';
import { query } from './query';
import { quota } from './quota';
import { resolveLink } from './resolve-link';
import { sweep } from './sweep';
import { updateLink } from './update-link';
import { urllink } from './urllink';

// `run` is a method, so an ActionDef of its own fields is an ActionDef of any fields (method parameters are bivariant).
const TABLE: ActionDef[] = [generate, query, quota, plaintext, urllink, createLink, resolveLink, updateLink, listLinks, linkStats, landed, linkCode, sweep];

export const ACTIONS: ReadonlyMap<Action, ActionDef> = new Map(TABLE.map((action) => [action.name, action]));

/** Who may use each action when no policy says otherwise. */
export const ACTION_ACCESS = TABLE.map((action) => ({ name: action.name, ...action.defaultAccess }));
