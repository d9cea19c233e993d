/**
 * Who is calling, from cloud.getWXContext() (platform-rules §7):
 *  - trusted: the last hop of SOURCE is `scf` (another function of this environment) or
 *    `wx_trigger` (a timer); an OPENID on the admin list; or the admin token in the event.
 *  - user:    a mini-program user (OPENID present, not an admin).
 *  - public:  everyone else. No OPENID never means trusted: web, HTTP and console calls lack one.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { visitorNetwork } from './network';

export type CallerClass = 'trusted' | 'user' | 'public';

export interface WxContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  SOURCE?: string;
  CLIENTIP?: string;
  CLIENTIPV6?: string;
  ENV?: string;
}

export interface Caller {
  class: CallerClass;
  /** Why this class, for the log: `source:scf`, `admin-openid`, `admin-token`, `admin-token-wrong`, `openid`, `no-openid`. */
  reason: string;
  /** OPENID shortened to a hash: enough to tell callers apart in logs, useless to anyone else. */
  openidHash?: string;
  /** The caller's network as per-IP limits count it (network.ts): an IPv4 address, or an IPv6 /64. */
  ip?: string;
  source: string;
  appid?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text);

/**
 * The OPENID's short hash (logs, limit keys, stable-link openers). Keyed with
 * GENSCHEME_STATE_SECRET when it is set (HMAC-SHA256): without the secret, a log reader with a
 * list of OPENIDs could tell which of them called; with it, the hash names no one.
 */
export function hashOpenid(openid: string, secret?: string): string {
  const text = `genScheme:${openid}`;
  return (secret ? createHmac('sha256', secret).update(text) : sha256(text)).digest('hex').slice(0, 12);
}

/** Constant-time comparison of the event's admin token with the configured one. */
export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(sha256(given).digest(), sha256(expected).digest());
}

/** The last hop of SOURCE decides: `wx_client,scf` is a call relayed by another function of ours. */
export function lastHop(source: string | undefined): string {
  const hops = (source ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - 1] ?? '';
}

/** The caller's class before any admin token is looked at; `secret` is GENSCHEME_STATE_SECRET. */
export function classify(ctx: WxContext, adminOpenids: readonly string[], secret?: string): Caller {
  // A context field counts only when it is a non-empty string.
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const source = text(ctx.SOURCE) ?? '';
  const openid = text(ctx.OPENID);
  const ip = text(ctx.CLIENTIP) ?? text(ctx.CLIENTIPV6);
  const base = {
    source,
    ip: ip === undefined ? undefined : visitorNetwork(ip),
    appid: text(ctx.APPID),
    openidHash: openid ? hashOpenid(openid, secret) : undefined,
  };
  const hop = lastHop(source);
  if (hop === 'scf' || hop === 'wx_trigger') return { ...base, class: 'trusted', reason: `source:${hop}` };
  if (openid && adminOpenids.includes(openid)) return { ...base, class: 'trusted', reason: 'admin-openid' };
  return openid ? { ...base, class: 'user', reason: 'openid' } : { ...base, class: 'public', reason: 'no-openid' };
}

/** The key a caller's limits are counted under: its OPENID's hash, else its network (IPv4 address, IPv6 /64), else one shared key. */
export function callerKey(caller: Caller): string {
  if (caller.openidHash) return `user:${caller.openidHash}`;
  return caller.ip ? `ip:${caller.ip}` : 'anonymous';
}
