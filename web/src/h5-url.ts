/**
 * The jump page's URL for a link genScheme issued, the reverse of link-params.ts: what the
 * function's `h5Url` is, written from the openlink alone (the tests check the two agree).
 */
import { jumpPageUrl, schemeFields } from '../../miniprogram/shared/links';
import { SCHEME_PREFIX, TICKET_PATTERN } from '../../miniprogram/shared/platform';

function decoded(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new TypeError(`h5UrlFromOpenlink: ${name} is not valid percent-encoding: ${value}`);
  }
}

/**
 * The jump page URL for a link genScheme issued: `${base}?t=TICKET[&cq=…]` for an encrypted
 * link, `${base}?path=…&query=…&env_version=…` for a plaintext one (the page adds its own
 * appid). Values stay percent-encoded exactly as `encodeURIComponent` writes them.
 * `base` is the page's https URL, e.g. `https://env-id.tcloudbaseapp.com/jump.html`; when it
 * already has a query the parameters are appended with `&`.
 * Throws a TypeError for anything that is not a `weixin://dl/business/?` link (a bug upstream).
 */
export function h5UrlFromOpenlink(base: string, openlink: string): string {
  if (!/^https?:\/\/[^/?#]+/.test(base) || base.includes('#')) {
    throw new TypeError(`h5UrlFromOpenlink: base must be an http(s) URL without a fragment, got "${base}"`);
  }
  if (!openlink.startsWith(SCHEME_PREFIX)) {
    throw new TypeError(`h5UrlFromOpenlink: not a WeChat scheme: ${openlink}`);
  }
  const fields = schemeFields(openlink) ?? new Map<string, string>();
  const t = fields.get('t');
  if (t !== undefined) {
    if (!TICKET_PATTERN.test(t)) throw new TypeError(`h5UrlFromOpenlink: bad ticket in ${openlink}`);
    const cq = fields.get('cq');
    return jumpPageUrl(base, { t, cq: cq === undefined ? undefined : decoded(cq, 'cq') });
  }
  const path = fields.get('path');
  if (fields.has('appid') && path !== undefined) {
    return jumpPageUrl(base, {
      path: decoded(path, 'path'),
      query: decoded(fields.get('query') ?? '', 'query'),
      env_version: decoded(fields.get('env_version') ?? 'release', 'env_version'),
    });
  }
  throw new TypeError(`h5UrlFromOpenlink: neither t nor appid+path in ${openlink}`);
}
