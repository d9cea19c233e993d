/**
 * The stable links' part of the state's ports (README "Stable links"): one fixed code per
 * campaign, its live ticket, its 小程序码; their counts are the CountersPort's (port.ts).
 */
import { chinaDay, type LinkKind, type StoredLink } from './port';

/** A stable link's configuration as stored (`code` is the document's _id). */
export interface StableLinkConfig {
  code: string;
  name: string;
  kind: LinkKind;
  path: string;
  query: string;
  envVersion: string;
  /** The link's own cq; the marker naming the link is appended per reply, never stored in it. */
  cq: string;
  disabled: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A stable link's 小程序码 in cloud storage, with the options it was drawn with (README "活码"). */
export interface LinkCodeFile {
  fileID: string;
  scene: string;
  page: string;
  envVersion: string;
  width: number;
  /** 'r,g,b', or '' for WeChat's default (black). */
  lineColor: string;
  isHyaline: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A stable link with the ticket it currently hands out. */
export interface StableLinkRecord extends StableLinkConfig {
  /** The live link WeChat issued (no cq), or null before the first resolve or after a target change. */
  ticket: StoredLink | null;
  /** Its stored 小程序码, or null before the first linkCode. A target change keeps it: the code names the link, not the target. */
  linkCode: LinkCodeFile | null;
  /** Bumped whenever the target changes: a renewal made for an older revision is not saved. */
  revision: number;
}

/** What updateLink may change; a target change (kind, path, query, envVersion) drops the ticket. */
export type StableLinkChanges = Partial<Pick<StableLinkConfig, 'name' | 'path' | 'query' | 'envVersion' | 'cq' | 'disabled'> & { linkCode: LinkCodeFile }>;

/** One China-time day of a stable link: visits (resolves), opens (landed) and distinct openers. */
export interface StableLinkDay {
  date: string;
  visits: number;
  opens: number;
  openers: number;
}

/**
 * The stable links' storage. Unlike limits and reuse, it has no memory fallback in database mode:
 * a link lives in the database, and another instance's memory cannot stand in for it, so the
 * database adapter throws `StateUnavailable` when it cannot tell what is stored — never a guess.
 * Every write is safe to repeat, and one whose answer did not come back is read back first.
 */
export interface StableLinkStore {
  /** Adds a new link (with no ticket, revision 0); 'taken' when the code exists already. */
  createStableLink(config: StableLinkConfig): Promise<'created' | 'taken'>;
  getStableLink(code: string): Promise<StableLinkRecord | null>;
  /** Every link, by code. */
  listStableLinks(): Promise<StableLinkRecord[]>;
  /**
   * Applies `changes` to the link as it was read (conditional on its version: a concurrent update
   * is never overwritten, the changes are applied again on top of it); a target change drops the
   * ticket and bumps the revision. null = no such link.
   */
  updateStableLink(code: string, changes: StableLinkChanges): Promise<StableLinkRecord | null>;
  /**
   * Claims the right to renew `code`'s ticket until `nowMs + holdMs`, atomically across instances
   * (one conditional update, platform-rules §11): true for exactly one claimant while a claim holds,
   * and, given `seen`, only while that is still the stored ticket.
   */
  claimRenewal(code: string, nowMs: number, holdMs: number, seen?: SeenTicket): Promise<boolean>;
  /** Stores the new ticket for `revision` and releases the claim; false when the link changed meanwhile. */
  saveTicket(code: string, revision: number, ticket: StoredLink): Promise<boolean>;
}

/**
 * The ticket a claimant read before claiming (its link, or null for none). A claim made with it
 * holds only while that is still the stored ticket: a ticket saved meanwhile (which releases the
 * previous claim) makes the claim fail, so a link read just before another instance's save is not
 * renewed a second time. Left out, the claim does not look at the ticket.
 */
export type SeenTicket = string | null;

/** Thrown by the state when stable links cannot be read or written (database down or too slow). */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
}

export function isStateUnavailable(error: unknown): error is StateUnavailable {
  return error instanceof StateUnavailable;
}

/** True when a target field differs: the stored ticket no longer opens what the link names. */
export function targetChanged(link: StableLinkConfig, changes: StableLinkChanges): boolean {
  return (['path', 'query', 'envVersion'] as const).some((key) => changes[key] !== undefined && changes[key] !== link[key]);
}

/** The China days ending with the day of `nowMs`, oldest first: `count` of them. */
export function chinaDaysBack(nowMs: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => chinaDay(nowMs - (count - 1 - i) * 86_400_000));
}
