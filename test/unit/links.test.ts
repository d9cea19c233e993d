/** Links, written once and read by every side (miniprogram/shared/links.ts). */
import {
  appendCq,
  buildPlaintextLink,
  checkScheme,
  jumpPageUrl,
  jumpPageUrlForPlaintext,
  jumpPageUrlForTicket,
  linkWithCq,
  schemeFields,
  ticketOf,
} from '../../miniprogram/shared/links';

describe('tickets and cq', () => {
  it('reads a ticket, with or without cq, and nothing else', () => {
    expect(ticketOf('weixin://dl/business/?t=AbC123xyz')).toBe('AbC123xyz');
    expect(ticketOf('weixin://dl/business/?t=AbC123xyz&cq=a%3D1')).toBe('AbC123xyz');
    expect(ticketOf('weixin://dl/business/?appid=wx1234567890abcdef&path=a')).toBeNull();
    expect(ticketOf('https://example.com/?t=abc')).toBeNull();
    expect(ticketOf('weixin://dl/business/?t=a b')).toBeNull();
    expect(ticketOf('')).toBeNull();
  });

  it('reads the fields of a scheme, the first of a repeated key winning', () => {
    expect(schemeFields('weixin://dl/business/?t=A&cq=x%3D1&t=B')).toEqual(
      new Map([
        ['t', 'A'],
        ['cq', 'x%3D1'],
      ]),
    );
    expect(schemeFields('weixin://dl/other?t=A')).toBeNull();
  });

  it('appends cq with & and encodes it', () => {
    expect(appendCq('weixin://dl/business/?t=abc', 'uid=7&src=sms')).toBe('weixin://dl/business/?t=abc&cq=uid%3D7%26src%3Dsms');
  });
});

describe('linkWithCq: one generated link, many recipients', () => {
  it('appends an encoded cq to an encrypted scheme, no call needed', () => {
    expect(linkWithCq('weixin://dl/business/?t=Ab12', 'uid=1')).toEqual({ openlink: 'weixin://dl/business/?t=Ab12&cq=uid%3D1' });
  });
  it('refuses a plaintext scheme, a link that already has a cq, and a bad cq', () => {
    expect(linkWithCq('weixin://dl/business/?appid=wx1234567890abcdef&path=a', 'x')).toHaveProperty('failure.rule', 'cq.link');
    expect(linkWithCq('weixin://dl/business/?t=Ab12&cq=1', 'x')).toHaveProperty('failure.rule', 'cq.link');
    expect(linkWithCq('weixin://dl/business/?t=Ab12', 'c'.repeat(257))).toHaveProperty('failure.rule', 'cq.maxLength');
    expect(linkWithCq('weixin://dl/business/?t=Ab12', 'a b')).toHaveProperty('failure.rule', 'cq.charset');
    expect(linkWithCq('weixin://dl/business/?t=Ab12', '\ud800')).toHaveProperty('failure.rule', 'cq.charset');
  });
});

describe('plaintext links (§3)', () => {
  it('keeps the path as is and url-encodes the query', () => {
    const base = { appid: 'wx1234567890abcdef', path: '/pages/index/index', query: 'a=1&b=张' };
    expect(buildPlaintextLink(base)).toBe(
      'weixin://dl/business/?appid=wx1234567890abcdef&path=pages/index/index&query=a%3D1%26b%3D%E5%BC%A0&env_version=release',
    );
    expect(buildPlaintextLink({ ...base, query: undefined, envVersion: 'trial' })).toBe(
      'weixin://dl/business/?appid=wx1234567890abcdef&path=pages/index/index&query=&env_version=trial',
    );
  });
});

describe('checkScheme: a link is checked before urlscheme.query spends a call', () => {
  it('accepts an encrypted scheme, with or without a cq', () => {
    expect(checkScheme('weixin://dl/business/?t=Ab12_-x')).toEqual({ scheme: { kind: 'encrypted', ticket: 'Ab12_-x' } });
    expect(checkScheme('weixin://dl/business/?t=Ab12&cq=uid%3D1')).toEqual({ scheme: { kind: 'encrypted', ticket: 'Ab12' } });
  });

  it('accepts a plaintext scheme and normalises its path', () => {
    expect(checkScheme('weixin://dl/business/?appid=wx1234567890abcdef&path=%2Fpages%2Findex%2Findex&query=a%3D1&env_version=trial')).toEqual({
      scheme: { kind: 'plaintext', appid: 'wx1234567890abcdef', path: 'pages/index/index' },
    });
  });

  it.each([
    ['not a scheme', 'https://example.com/?t=abc'],
    ['an empty text', ''],
    ['another weixin link', 'weixin://dl/businessx/?t=abc'],
    ['a ticket with bad characters', 'weixin://dl/business/?t=ab<script>'],
    ['a ticket too long', `weixin://dl/business/?t=${'a'.repeat(129)}`],
    ['a plaintext scheme without a path', 'weixin://dl/business/?appid=wx1234567890abcdef'],
    ['a plaintext scheme with a bad appid', 'weixin://dl/business/?appid=gh_1&path=pages/index/index'],
    ['a link longer than any WeChat issues', `weixin://dl/business/?t=A&x=${'y'.repeat(5000)}`],
  ])('refuses %s with 40097 scheme.format', (_what, scheme) => {
    expect(checkScheme(scheme)).toMatchObject({ failure: { errcode: 40097, rule: 'scheme.format', field: 'scheme', source: 'input' } });
  });

  it.each([
    ['a cq too long', `weixin://dl/business/?t=A&cq=${'a'.repeat(257)}`],
    ['a cq with a space once decoded', 'weixin://dl/business/?t=A&cq=a%20b'],
    ['a cq with broken percent-encoding', 'weixin://dl/business/?t=A&cq=%E5%BC'],
    ['a cq holding a lone surrogate', 'weixin://dl/business/?t=A&cq=%ED%A0%80'],
  ])('refuses %s with 40212 scheme.cq', (_what, scheme) => {
    expect(checkScheme(scheme)).toMatchObject({ failure: { errcode: 40212, rule: 'scheme.cq' } });
  });

  it('refuses a plaintext scheme with a bad env_version with 85402', () => {
    expect(checkScheme('weixin://dl/business/?appid=wx1234567890abcdef&path=pages/a&env_version=prod')).toMatchObject({ failure: { errcode: 85402 } });
  });

  it('names the field as the caller spelt it and clips the echoed link', () => {
    const checked = checkScheme(`x${'y'.repeat(10_000)}`, 'scheme');
    expect('failure' in checked && checked.failure.message.en.length).toBeLessThan(200);
  });

  it('never throws, whatever text it is given', () => {
    for (const text of [
      'weixin://dl/business/?',
      'weixin://dl/business/?=&=&t',
      'weixin://dl/business/?t=%',
      'weixin://dl/business/?appid=%&path=%',
      '\ud800',
    ]) {
      expect(() => checkScheme(text)).not.toThrow();
    }
  });
});

describe('the H5 jump page URL', () => {
  const BASE = 'https://demo.tcloudbaseapp.com/jump.html';

  it('orders t, cq, path, query, env_version, leaving out what is undefined; keeps slashes in path readable', () => {
    expect(jumpPageUrl(BASE, { env_version: 'trial', query: 'a=1&b=2', path: 'pages/a/b', cq: 'u=1', t: 'T1' })).toBe(
      `${BASE}?t=T1&cq=u%3D1&path=pages/a/b&query=a%3D1%26b%3D2&env_version=trial`,
    );
    expect(jumpPageUrl(BASE, { t: 'T1', cq: undefined })).toBe(`${BASE}?t=T1`);
  });

  it('joins with & when the base already has a query', () => {
    expect(jumpPageUrl(`${BASE}?from=sms`, { t: 'T1' })).toBe(`${BASE}?from=sms&t=T1`);
  });

  it('for a ticket: the home page needs no path; a page carries its query for the open tag', () => {
    expect(jumpPageUrlForTicket(BASE, 'T1', { cq: 'uid=42&src=sms', path: '', query: 'ignored=1' })).toBe(`${BASE}?t=T1&cq=uid%3D42%26src%3Dsms`);
    expect(jumpPageUrlForTicket(BASE, 'T1', { path: 'pages/index/index', query: '' })).toBe(`${BASE}?t=T1&path=pages/index/index`);
    expect(jumpPageUrlForTicket(BASE, 'T1', { path: 'pages/index/index', query: 'id=7' })).toBe(`${BASE}?t=T1&path=pages/index/index&query=id%3D7`);
  });

  it('for a plaintext link: path, query and env_version, no appid', () => {
    expect(jumpPageUrlForPlaintext(BASE, { appid: 'wx1234567890abcdef', path: '/pages/index/index', query: 'a=张' })).toBe(
      `${BASE}?path=pages/index/index&query=a%3D%E5%BC%A0&env_version=release`,
    );
  });
});
