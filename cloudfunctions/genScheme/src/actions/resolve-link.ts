/**
 * `resolveLink` (anyone): the live ticket behind a stable link's code, the same for every visitor,
 * with the link's own cq and the marker naming it (`gsl=CODE`, links.ts) so the mini program can
 * report the open (`landed`). Limited per visitor and by its own overall ceiling
 * (access/resolve-limits.ts), not by generate's shared public limit. An unknown or disabled code
 * costs no WeChat call. Counts one visit; a failed count never fails the resolve.
 */
import type { ResolveLinkReply } from '../../../../miniprogram/shared/contract';
import { stableLinkCq } from '../../../../miniprogram/shared/stable-links';
import type { EnvVersion } from '../../../../miniprogram/shared/platform';
import { authorize } from '../access/authorize';
import { admitResolve } from '../access/resolve-limits';
import { defineAction } from './action';
import { LINK_KINDS } from '../links/kinds';
import { liveTicket } from '../links/renew';
import { checkCode, disabled, isActionFailure, notFound, orUnavailable, readLink } from '../links/stable';

export const resolveLink = defineAction({
  name: 'resolveLink',
  defaultAccess: { user: true, public: true },
  fields: (z) => ({ code: z.string() }),

  async run(input, ctx) {
    const { code } = input;
    const bad = checkCode(code, ctx.names.shown('code'));
    if (bad) return { failure: bad };
    const denied =
      authorize(ctx.policy, ctx.caller, { action: 'resolveLink' }) ?? (await admitResolve(ctx.caller, ctx.settings, ctx.state.limits, ctx.clock.now()));
    if (denied) return { failure: denied };

    const record = await orUnavailable(() => readLink(code, ctx.links.stable, (c) => ctx.state.stableLinks.getStableLink(c), ctx.clock.now()));
    if (isActionFailure(record)) return record;
    if (!record) return notFound(code);
    if (record.disabled) return disabled(code);

    // Counted in this instance at once, written with the next batch (state/counters.ts).
    ctx.state.counters.countVisit(code, ctx.clock.now());
    const live = await orUnavailable(() => liveTicket(record, ctx));
    if (isActionFailure(live)) return live;

    const { ticket, reused } = live;
    const cq = stableLinkCq(record.cq, code);
    const reply: ResolveLinkReply = {
      errcode: 0,
      errmsg: 'ok',
      action: 'resolveLink',
      code,
      kind: record.kind,
      expireTime: ticket.expireTime,
      expireAt: new Date(ticket.expireTime * 1000).toISOString(),
      path: record.path,
      query: record.query,
      envVersion: record.envVersion as EnvVersion,
      reused,
      warnings: [],
    };
    const kind = LINK_KINDS[record.kind];
    reply[kind.replyField] = kind.joinCq(ticket.link, cq);
    return reply;
  },
});
