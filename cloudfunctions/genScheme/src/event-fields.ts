/**
 * Event fields several actions share, as zod schemas. `z` is the zod the event parser hands each
 * action's `fields(z)` (event.ts): actions never import zod themselves, so an action module can be
 * bundled and loaded on its own (actions/index.ts) without a second copy of it.
 */
import type { zodBuilders } from './event';

/** The zod builders the event parser passes (event.ts). */
export type Zod = typeof zodBuilders;

export const optionalString = (z: Zod) => z.optional(z.string());
export const optionalNumber = (z: Zod) => z.optional(z.number());

/** jump_wxa in the cloud-call shape: `{ path, query, envVersion }` (snake_case mapped before). */
export function jumpWxaField(z: Zod) {
  return z.optional(z.strictObject({ path: optionalString(z), query: optionalString(z), envVersion: optionalString(z) }));
}

/** The expiry fields of urlscheme.generate (platform-rules §1). */
export function expiryFields(z: Zod) {
  return {
    isExpire: z.optional(z.boolean()),
    expireType: optionalNumber(z),
    expireTime: optionalNumber(z),
    expireInterval: optionalNumber(z),
  };
}
