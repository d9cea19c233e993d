/**
 * genScheme's own error codes (-9000xx, a range neither WeChat nor CloudBase uses): problems no
 * WeChat code describes. What each means and how to fix it: catalogue.ts.
 */
export const EVENT_NOT_OBJECT = -900001;
export const UNKNOWN_FIELD = -900002;
export const INVALID_FIELD = -900003;
export const UNKNOWN_ACTION = -900004;
export const POLICY_DENIED = -900010;
export const RATE_LIMITED = -900011;
export const PUBLIC_DISABLED = -900012;
export const NO_OPENLINK = -900020;
export const TIME_BUDGET = -900021;
export const NO_IMAGE = -900022;
export const STABLE_NOT_FOUND = -900030;
export const STABLE_DISABLED = -900031;
export const STABLE_UNAVAILABLE = -900032;
export const STABLE_CODE_TAKEN = -900033;
export const INTERNAL = -900099;

export const OWN_CODES = {
  EVENT_NOT_OBJECT,
  UNKNOWN_FIELD,
  INVALID_FIELD,
  UNKNOWN_ACTION,
  POLICY_DENIED,
  RATE_LIMITED,
  PUBLIC_DISABLED,
  NO_OPENLINK,
  TIME_BUDGET,
  NO_IMAGE,
  STABLE_NOT_FOUND,
  STABLE_DISABLED,
  STABLE_UNAVAILABLE,
  STABLE_CODE_TAKEN,
  INTERNAL,
} as const;
