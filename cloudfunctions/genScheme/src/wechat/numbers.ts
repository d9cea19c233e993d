/**
 * A number from WeChat's answer: wx-server-sdk parses replies with json-bigint, which hands big
 * integers back as `{s, e, c}` objects (platform-rules §1), not numbers. NaN when it is neither.
 */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  if (value && typeof value === 'object' && 'c' in value && Array.isArray((value as { c: unknown }).c)) return Number(String(value));
  return NaN;
}
