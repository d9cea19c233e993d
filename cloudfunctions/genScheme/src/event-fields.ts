/** Event fields several actions share, as zod schemas (built when an action's schema is). */
import * as z from 'zod/mini';

export const optionalString = () => z.optional(z.string());
export const optionalNumber = () => z.optional(z.number());

/** jump_wxa in the cloud-call shape: `{ path, query, envVersion }` (snake_case mapped before). */
export function jumpWxaField() {
  return z.optional(z.strictObject({ path: optionalString(), query: optionalString(), envVersion: optionalString() }));
}

/** The expiry fields of urlscheme.generate (platform-rules §1). */
export function expiryFields() {
  return {
    isExpire: z.optional(z.boolean()),
    expireType: optionalNumber(),
    expireTime: optionalNumber(),
    expireInterval: optionalNumber(),
  };
}
