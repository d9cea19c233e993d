/**
 * Stable links (genScheme's own, not the platform's: README "Stable links"): the code, the marker
 * their tickets carry so the mini program can report the open, the fixed URL and the 小程序码's
 * scene. Pure; shared by the function, the mini program and the H5 page.
 */

/** A stable link's code: short, URL-safe, easy to read aloud or type from print. */
export const STABLE_CODE_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;
/**
 * The key a stable link's tickets carry in their cq (`gsl=CODE`), so the mini program can tell which
 * link opened it (platform-rules §9: WeChat counts no opens per link). A link's own cq must not use it.
 */
export const STABLE_LINK_MARKER = 'gsl';

/** The cq a stable link's tickets carry: its own cq, then the marker naming it. */
export function stableLinkCq(ownCq: string, code: string): string {
  return ownCq ? `${ownCq}&${STABLE_LINK_MARKER}=${code}` : `${STABLE_LINK_MARKER}=${code}`;
}

/**
 * The stable link named in a page's onLoad options, or null. §9: the cq pairs may arrive as keys of
 * their own (`gsl: CODE`) or as one raw `cq` key (`cq: "a=1&gsl=CODE"`, maybe still encoded): both are read.
 */
export function stableLinkCodeIn(options: Record<string, unknown> | undefined): string | null {
  if (!options) return null;
  const direct = options[STABLE_LINK_MARKER];
  if (typeof direct === 'string' && STABLE_CODE_PATTERN.test(direct)) return direct;
  const raw = options.cq;
  if (typeof raw !== 'string') return null;
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // keep the raw text: a broken encoding may still hold the marker as is
  }
  for (const pair of text.split('&')) {
    const [key, value] = pair.split('=');
    if (key === STABLE_LINK_MARKER && value !== undefined && STABLE_CODE_PATTERN.test(value)) return value;
  }
  return null;
}

/** The fixed URL of a stable link: the jump page with `?l=CODE`. */
export function stableLinkUrl(base: string, code: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}l=${code}`;
}

/** The router page a stable link's 小程序码 opens (app.json): it asks `landed` where to go, then goes there. */
export const LINK_CODE_PAGE = 'pages/code/index';

/** The scene of a stable link's 小程序码: `l=CODE` (≤ 32 characters, platform-rules §12). */
export function linkCodeScene(code: string): string {
  return `l=${code}`;
}

/**
 * The stable link named by a 小程序码's scene as the page receives it: `options.scene` is
 * URL-encoded (`l%3DCODE`, §12: read it with decodeURIComponent); the plain form is accepted too.
 */
export function stableLinkCodeInScene(scene: unknown): string | null {
  if (typeof scene !== 'string') return null;
  let text = scene;
  try {
    text = decodeURIComponent(scene);
  } catch {
    return null;
  }
  const match = /^l=(.*)$/.exec(text);
  return match && STABLE_CODE_PATTERN.test(match[1]) ? match[1] : null;
}
