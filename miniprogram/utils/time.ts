function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Unix seconds (genScheme's `expireTime`) as `YYYY-MM-DD HH:mm` in the phone's own time zone. */
export function formatLocalTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}
