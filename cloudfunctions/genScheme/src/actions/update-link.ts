/**
 * `updateLink` (trusted): a stable link's name, target, cq, or whether it resolves. A new target
 * drops the ticket (the next resolve makes one for it); a disabled link stops resolving on every
 * instance within 10 s (each instance trusts what it read for 5 s, stable.ts).
 */
import type { UpdateLinkReply } from '../../../../miniprogram/shared/contract';
import type { StableLinkChanges } from '../state';
import { defineAction } from './action';
import { checkName } from './create-link';
import { jumpWxaField, optionalString } from '../event-fields';
import { checkCode, checkLinkCq, isActionFailure, notFound, orUnavailable, toStableLink } from '../links/stable';
import { checkTarget } from '../links/target';

export const updateLink = defineAction({
  name: 'updateLink',
  defaultAccess: { user: false, public: false },
  fields: (z) => ({ code: z.string(), name: optionalString(z), jumpWxa: jumpWxaField(z), cq: optionalString(z), disabled: z.optional(z.boolean()) }),

  async run(input, ctx) {
    const { names } = ctx;
    const bad =
      checkCode(input.code, names.shown('code')) ??
      (input.name === undefined ? null : checkName(input.name, names.shown('name'))) ??
      (input.cq === undefined ? null : checkLinkCq(input.cq, input.code, names.shown('cq')));
    if (bad) return { failure: bad };
    const changes: StableLinkChanges = { name: input.name, cq: input.cq, disabled: input.disabled };
    let path: string | undefined;
    let envVersion: string | undefined;
    let queryLength: number | undefined;
    if (input.jumpWxa !== undefined) {
      const checked = checkTarget(input.jumpWxa, names, ctx.settings.pages);
      if ('failure' in checked) return checked;
      Object.assign(changes, checked.target);
      ({ path, envVersion } = checked.target);
      queryLength = checked.target.query.length;
    }
    const denied = await ctx.permit({ action: 'updateLink', path, envVersion, queryLength });
    if (denied) return { failure: denied };

    const updated = await orUnavailable(() => ctx.state.stableLinks.updateStableLink(input.code, changes));
    if (isActionFailure(updated)) return updated;
    if (!updated) return notFound(input.code);
    ctx.links.stable.forget(input.code);
    const reply: UpdateLinkReply = { errcode: 0, errmsg: 'ok', action: 'updateLink', link: toStableLink(updated, ctx.settings), warnings: [] };
    return reply;
  },
});
