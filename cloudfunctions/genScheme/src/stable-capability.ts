/**
 * Stable links as a capability of their own (README "Stable links"): the six actions. Built into `cloudfunctions/genScheme/stable-capability.js` beside
 * index.js and loaded by load-stable-capability.ts on first use, so a cold start that serves
 * generate never compiles them (own load, npm run bench). Nothing here may be `instanceof`-checked
 * from the main bundle: this file has its own copies of the modules it shares with it.
 */
import type { ActionDef } from './actions/action';
import { createLink } from './actions/create-link';
import { landed } from './actions/landed';
import { linkStats } from './actions/link-stats';
import { listLinks } from './actions/list-links';
import { resolveLink } from './actions/resolve-link';
import { updateLink } from './actions/update-link';

export const STABLE_ACTIONS: readonly ActionDef<any>[] = [createLink, resolveLink, updateLink, listLinks, linkStats, landed]; // eslint-disable-line @typescript-eslint/no-explicit-any
