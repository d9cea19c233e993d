function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Unix seconds (genScheme's `expireTime`) as `YYYY-MM-DD HH:mm` in the phone's own time zone.
 * Shifts by the zone offset at that instant and reads the UTC fields: same result as the
 * local getters, and the offset is the one thing a test needs to control.
 */
export function formatLocalTime(unixSeconds: number): string {
  const ms = unixSeconds * 1000;
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`;
}
