/**
 * Which view a visitor gets. Pure: the page passes navigator.userAgent and maxTouchPoints.
 *
 * - wechat: WeChat's in-app browser on a phone. A scheme does nothing there; the open tag
 *   `wx-open-launch-weapp` is the way (PR §1 "known traps").
 * - wecom: WeCom (企业微信) also says MicroMessenger, plus `wxwork`; it cannot open the link.
 * - phone: any other phone browser: iOS opens `weixin://` (maybe after asking), Android
 *   needs the page to set `location.href` because SMS apps don't recognise the scheme.
 * - desktop: nothing there can open a mini program; the visitor scans a QR code instead.
 *   WeChat for Windows/Mac counts as desktop.
 */
export type Client =
  { kind: 'wechat'; os: 'ios' | 'android' | 'other' } | { kind: 'wecom' } | { kind: 'phone'; os: 'ios' | 'android' | 'other' } | { kind: 'desktop' };

function osOf(ua: string, maxTouchPoints: number): 'ios' | 'android' | 'other' | null {
  if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
  // iPadOS 13+ presents itself as a Mac; only its touch screen gives it away.
  if (/Macintosh/.test(ua) && maxTouchPoints > 1) return 'ios';
  if (/Android/.test(ua)) return 'android';
  if (/OpenHarmony|HarmonyOS|Mobile/.test(ua)) return 'other';
  return null;
}

export function classifyClient(ua: string, maxTouchPoints = 0): Client {
  if (/wxwork/i.test(ua)) return { kind: 'wecom' };
  const os = osOf(ua, maxTouchPoints);
  if (/MicroMessenger/i.test(ua) && !/WindowsWechat|MacWechat/i.test(ua) && os) return { kind: 'wechat', os };
  if (os && !/MicroMessenger/i.test(ua)) return { kind: 'phone', os };
  return { kind: 'desktop' };
}
