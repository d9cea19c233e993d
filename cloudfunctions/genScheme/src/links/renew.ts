/**
 * A stable link's live ticket: every visitor gets the same one; a new one is made (through
 * issue.ts: pacing, daily cap, retries; 30 days; no reuse) only when there is none or the current
 * one has entered its renewal window — the last 5 % of its lifetime, the reuse tolerance
 * (reuse.ts). Across instances one conditional update on the link's document (a claim held 5 s,
 * platform-rules §11) elects the one that renews; the others serve the still-valid old ticket, or
 * wait briefly for the new one. Within an instance, visitors arriving together share one renewal.
 */
import { EXPIRE_INTERVAL_MAX_DAYS } from '../../../../miniprogram/shared/platform';
import { FieldNames } from '../field-names';
import type { StableLinkRecord, StoredLink } from '../state';
import type { ActionContext, ActionFailure } from '../actions/action';
import { planExpiry, type Expiry } from './expiry';
import { issueLink } from './issue';
import { REUSE_TOLERANCE } from './reuse';
import { notFound, unavailable } from './stable';
import { isStateUnavailable } from '../state';
import { REPLY_RESERVE_MS } from '../wechat/call';
import { settleWithin } from '../clock';

/** Pauses between attempts to save a ticket whose save failed (ms): the ticket is served from memory meanwhile. */
const SAVE_RETRY_MS = [500, 1_000, 2_000, 4_000, 8_000];

/** Saves the ticket, trying again on failure; true saved, false the link changed, undefined gave up. Never rejects. */
async function saveTicketLater(code: string, revision: number, ticket: StoredLink, ctx: ActionContext): Promise<boolean | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.state.stableLinks.saveTicket(code, revision, ticket);
    } catch {
      if (attempt >= SAVE_RETRY_MS.length) return undefined;
      await ctx.clock.sleep(SAVE_RETRY_MS[attempt]);
    }
  }
}

/** How long a renewal claim holds: longer than a paced, retried WeChat call normally takes. */
export const CLAIM_MS = 5_000;
/** How often a visitor waiting for another instance's renewal reads the link again. */
export const WAIT_STEP_MS = 150;
/** A ticket this close to its expiry is not handed out any more, even while another instance renews. */
const LAST_SECONDS = 60;

export interface LiveTicket {
  ticket: StoredLink;
  /** False only for the visit that made it. */
  reused: boolean;
}

/** When the ticket enters its renewal window (unix s). */
export function renewAt(ticket: StoredLink): number {
  return ticket.expireTime - Math.max(0, ticket.expireTime - ticket.createTime) * REUSE_TOLERANCE;
}

const fresh = (ticket: StoredLink | null, nowS: number): ticket is StoredLink => ticket !== null && nowS < renewAt(ticket);
const usable = (ticket: StoredLink | null, nowS: number): ticket is StoredLink => ticket !== null && ticket.expireTime - LAST_SECONDS > nowS;

export async function liveTicket(record: StableLinkRecord, ctx: ActionContext): Promise<LiveTicket | ActionFailure> {
  if (fresh(record.ticket, Math.floor(ctx.clock.now() / 1000))) return { ticket: record.ticket, reused: true };
  const key = `stable:${record.code}`;
  let pending = ctx.links.inflight.get(key) as Promise<LiveTicket | ActionFailure> | undefined;
  if (!pending) {
    const started = renew(record.code, ctx);
    pending = started;
    ctx.links.inflight.set(key, started);
    void started.then(() => ctx.links.inflight.get(key) === started && ctx.links.inflight.delete(key));
    return started;
  }
  const shared = await pending;
  return 'failure' in shared ? shared : { ticket: shared.ticket, reused: true };
}

/** renew(), never rejecting: a database failure is the retryable reply, not a crashed instance. */
async function renew(code: string, ctx: ActionContext): Promise<LiveTicket | ActionFailure> {
  try {
    return await renewOnce(code, ctx);
  } catch (error) {
    if (isStateUnavailable(error)) return unavailable('link.database');
    throw error;
  }
}

async function renewOnce(code: string, ctx: ActionContext): Promise<LiveTicket | ActionFailure> {
  const state = ctx.state.stableLinks;
  const { clock } = ctx;
  // The cached copy may be behind a renewal another instance made: read the link itself.
  let record = await state.getStableLink(code);
  if (!record) return notFound(code);
  ctx.links.stable.put(record, clock.now());
  // Claimed below only while this is still the stored ticket (SeenTicket in state/stable-port.ts).
  const seen = record.ticket ? record.ticket.link : null;
  if (fresh(record.ticket, Math.floor(clock.now() / 1000))) return { ticket: record.ticket, reused: true };

  if (await state.claimRenewal(code, clock.now(), CLAIM_MS, seen)) {
    const made = await issueTicket(record, ctx);
    if ('failure' in made) return usable(record.ticket, Math.floor(clock.now() / 1000)) ? { ticket: record.ticket, reused: true } : made;
    // The ticket WeChat issued is handed out whatever the save does; a failed save is tried again later.
    ctx.links.stable.put({ ...record, ticket: made }, clock.now());
    const saving = saveTicketLater(code, record.revision, made, ctx);
    const saved = await settleWithin(saving, ctx.deadline - REPLY_RESERVE_MS - clock.now(), clock, undefined);
    if (saved === false) ctx.links.stable.forget(code); // the link changed meanwhile: read it anew next time
    return { ticket: made, reused: false };
  }

  // Another instance renews: serve the old ticket while it still opens, else wait for the new one.
  if (usable(record.ticket, Math.floor(clock.now() / 1000))) return { ticket: record.ticket, reused: true };
  const giveUpAt = Math.min(clock.now() + CLAIM_MS, ctx.deadline - 500);
  while (clock.now() + WAIT_STEP_MS < giveUpAt) {
    await clock.sleep(WAIT_STEP_MS);
    record = await state.getStableLink(code);
    if (!record) return notFound(code);
    if (usable(record.ticket, Math.floor(clock.now() / 1000))) {
      ctx.links.stable.put(record, clock.now());
      return { ticket: record.ticket, reused: true };
    }
  }
  return unavailable('link.renewing');
}

/** A new 30-day ticket through the one issuing path; the visitor's limits were taken already. */
async function issueTicket(record: StableLinkRecord, ctx: ActionContext): Promise<StoredLink | ActionFailure> {
  const planned = planExpiry({ expireInterval: EXPIRE_INTERVAL_MAX_DAYS }, new FieldNames(), Math.floor(ctx.clock.now() / 1000));
  if ('failure' in planned) return planned;
  const expiry: Expiry = planned.expiry;
  const issued = await issueLink(
    {
      target: { kind: record.kind, path: record.path, query: record.query, envVersion: record.envVersion },
      expiry,
      reuse: false,
      ask: { action: 'resolveLink' },
    },
    // The link's own renewal, not the visitor's request: no policy or per-caller limit applies.
    { ...ctx, permit: async () => null },
  );
  return 'failure' in issued ? issued : issued.link;
}
