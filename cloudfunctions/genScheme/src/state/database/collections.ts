/**
 * Where the shared state lives in the CloudBase database. None is readable by clients: each gets
 * the security rule `{ "read": false, "write": false }` (README "Shared state").
 *  - genscheme_limits    sliding windows { _id: HMAC(window), times: number[limit] (ms, ascending), until }
 *                        and instance heartbeats { _id: 'instance:ID', kind: 'instance', until }
 *  - genscheme_counters  count shards { _id: 'NAME|CODE|DATE|INSTANCE', name, code ('' for generations), date, instance, n }
 *  - genscheme_links     reusable links { _id: HMAC(target, link), target: HMAC(target), link, expireTime, createTime }
 *  - genscheme_meta      { _id: 'secret', value } — only when GENSCHEME_STATE_SECRET is not given
 *  - genscheme_stable_links    stable links (stable-links.ts)
 *  - genscheme_stable_openers  { _id: HMAC(code, date, user), code, date } — one per user, link and day
 */
export const COLLECTIONS = {
  limits: 'genscheme_limits',
  counters: 'genscheme_counters',
  links: 'genscheme_links',
  meta: 'genscheme_meta',
  stableLinks: 'genscheme_stable_links',
  stableOpeners: 'genscheme_stable_openers',
} as const;
