/**
 * The jump page's URL parsing and genScheme's h5Url: pure functions, no browser.
 */
import fc from 'fast-check';
import { parseJumpParams, type JumpParams } from '../../web/src/link-params';
import { h5UrlFromOpenlink } from '../../web/src/h5-url';
import { buildPlaintextLink } from '../../miniprogram/shared/links';
import { stableLinkUrl } from '../../miniprogram/shared/stable-links';
import { CQ_MAX_LENGTH, PLAINTEXT_QUERY_MAX_LENGTH } from '../../miniprogram/shared/platform';

const APPID = 'wx0123456789abcdef';
const config = { appid: APPID };
const BASE = 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html';

function ok(result: JumpParams) {
  if (!result.ok) throw new Error(`expected a link, got: ${result.en}`);
  return result;
}
function err(result: JumpParams) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result;
}

describe('ticket links (?t=…)', () => {
  it('rebuilds the encrypted scheme from t', () => {
    const r = ok(parseJumpParams('?t=AbC_12-z', config));
    expect(r).toMatchObject({ mode: 'ticket', scheme: 'weixin://dl/business/?t=AbC_12-z' });
  });

  it('appends cq url-encoded with & (never ?cq=)', () => {
    const r = ok(parseJumpParams('t=TICKET&cq=' + encodeURIComponent('uid=42&from=sms'), config));
    expect(r.scheme).toBe('weixin://dl/business/?t=TICKET&cq=uid%3D42%26from%3Dsms');
  });

  it('needs no config at all', () => {
    expect(ok(parseJumpParams('?t=TICKET', {})).scheme).toBe('weixin://dl/business/?t=TICKET');
  });

  it.each([
    ['a space', 't=AB%20CD'],
    ['a dot', 't=AB.CD'],
    ['a slash', 't=AB%2FCD'],
    ['Chinese', 't=' + encodeURIComponent('票')],
    ['an empty ticket', 't='],
    ['129 characters', 't=' + 'a'.repeat(129)],
  ])('rejects a ticket with %s', (_what, search) => {
    expect(err(parseJumpParams(search, config))).toMatchObject({ field: 't', zh: expect.stringContaining('链接') });
  });

  it(`accepts cq of ${CQ_MAX_LENGTH} characters and rejects ${CQ_MAX_LENGTH + 1}`, () => {
    expect(ok(parseJumpParams(`t=T&cq=${'a'.repeat(CQ_MAX_LENGTH)}`, config)).scheme).toBe(`weixin://dl/business/?t=T&cq=${'a'.repeat(256)}`);
    const e = err(parseJumpParams(`t=T&cq=${'a'.repeat(CQ_MAX_LENGTH + 1)}`, config));
    expect(e.field).toBe('cq');
    expect(e.zh).toContain('257');
  });

  it.each([
    ['a space', 'a b'],
    ['a backtick (PR §1 ⚠️: the safer reading)', 'a`b'],
    ['Chinese', '张三'],
    ['a double quote', 'a"b'],
  ])('rejects cq with %s, naming the character', (_what, cq) => {
    const e = err(parseJumpParams(`t=T&cq=${encodeURIComponent(cq)}`, config));
    expect(e.field).toBe('cq');
    expect(e.zh).toContain('不允许的字符');
  });

  it('keeps an optional path/query for the open tag, normalised', () => {
    const r = ok(parseJumpParams('t=T&path=/pages/order/list&query=id%3D7', config));
    expect(r).toMatchObject({ mode: 'ticket', scheme: 'weixin://dl/business/?t=T', path: 'pages/order/list', query: 'id=7' });
    expect(ok(parseJumpParams('t=T', config)).path).toBeUndefined();
  });

  it('rejects a bad env_version on a ticket link too (every URL input is checked)', () => {
    expect(err(parseJumpParams('t=T&env_version=bogus', config))).toMatchObject({ field: 'env_version', zh: expect.stringContaining('release') });
    expect(ok(parseJumpParams('t=T&env_version=trial', config)).scheme).toBe('weixin://dl/business/?t=T');
  });

  it('rejects a parameter given twice', () => {
    expect(err(parseJumpParams('t=A&t=B', config)).field).toBe('t');
    expect(err(parseJumpParams('t=A&cq=1&cq=2', config)).field).toBe('cq');
  });

  it('ignores parameters it does not know (SMS platforms add their own)', () => {
    expect(ok(parseJumpParams('t=T&utm_source=sms&from=singlemessage', config)).scheme).toBe('weixin://dl/business/?t=T');
  });
});

describe('plaintext links (?path=…)', () => {
  it('builds the plaintext scheme with the configured appid (the rules module does the encoding)', () => {
    const r = ok(parseJumpParams('path=pages/product/detail&query=' + encodeURIComponent('id=9&ref=sms') + '&env_version=trial', config));
    expect(r.mode).toBe('plaintext');
    expect(r.scheme).toBe(buildPlaintextLink({ appid: APPID, path: 'pages/product/detail', query: 'id=9&ref=sms', envVersion: 'trial' }));
    expect(r.scheme).toMatch(
      new RegExp(`^weixin://dl/business/\\?appid=${APPID}&path=pages(/|%2F)product(/|%2F)detail&query=id%3D9%26ref%3Dsms&env_version=trial$`),
    );
  });

  it('defaults to release and an empty query; strips a leading /', () => {
    expect(ok(parseJumpParams('path=/pages/index/index', config)).scheme).toBe(
      buildPlaintextLink({ appid: APPID, path: 'pages/index/index', query: '', envVersion: 'release' }),
    );
    expect(ok(parseJumpParams('path=/pages/index/index', config)).scheme).toMatch(/&query=&env_version=release$/);
  });

  it(`accepts a query of ${PLAINTEXT_QUERY_MAX_LENGTH} characters once encoded and rejects ${PLAINTEXT_QUERY_MAX_LENGTH + 1}`, () => {
    // "a=b&" is 4 characters raw and 8 encoded (= and & become %3D, %26).
    const exact = 'a=b&'.repeat(64); // 512 encoded
    expect(encodeURIComponent(exact)).toHaveLength(512);
    expect(ok(parseJumpParams('path=pages/index/index&query=' + encodeURIComponent(exact), config)).mode).toBe('plaintext');
    const over = exact + 'x'; // 513 encoded, only 257 raw
    const e = err(parseJumpParams('path=pages/index/index&query=' + encodeURIComponent(over), config));
    expect(e).toMatchObject({ field: 'query', zh: expect.stringContaining('513') });
  });

  it.each(['Release', 'prod', 'develop '])('rejects env_version=%p', (env) => {
    const e = err(parseJumpParams(`path=pages/index/index&env_version=${encodeURIComponent(env)}`, config));
    expect(e.field).toBe('env_version');
    expect(e.zh).toContain('release');
  });

  it('rejects a path with a query string, or with characters no page path has', () => {
    expect(err(parseJumpParams('path=' + encodeURIComponent('pages/a/b?x=1'), config)).zh).toContain('不能带 query');
    expect(err(parseJumpParams('path=' + encodeURIComponent('pages/<b>/x'), config)).field).toBe('path');
    expect(err(parseJumpParams('path=' + encodeURIComponent('javascript:alert(1)'), config)).field).toBe('path');
    expect(err(parseJumpParams('path=', config)).zh).toContain('必须指定页面路径');
  });

  it.each(['../../etc/passwd', 'pages/../../x', 'pages/./index', './.', '...', '/../pages/index'])(
    'rejects the path traversal %p: "." and ".." segments are never a page',
    (path) => {
      const e = err(parseJumpParams('path=' + encodeURIComponent(path), config));
      expect(e).toMatchObject({ field: 'path', zh: expect.stringContaining('..') });
      expect(err(parseJumpParams(`t=T&path=${encodeURIComponent(path)}`, config)).field).toBe('path');
    },
  );

  it('still accepts dots inside a segment (pages/v1.2/index)', () => {
    expect(ok(parseJumpParams('path=pages/v1.2/index', config)).mode).toBe('plaintext');
  });

  it("url-encodes any text in a plaintext link's query, as genScheme's plaintext action does (PR §3: ≤ 512 once encoded)", () => {
    // genScheme issues h5Url ?path=…&query=id%3D7%26from%3D%E7%9F%AD%E4%BF%A1 for query 'id=7&from=短信' (test/e2e/toolbox);
    // the page must open that link, not refuse it (test/web/e2e.test.ts runs the whole chain).
    const r = ok(parseJumpParams('path=pages/a/b&query=' + encodeURIComponent('name=张三'), config));
    expect(r.scheme).toBe(`weixin://dl/business/?appid=${APPID}&path=pages/a/b&query=name%3D%E5%BC%A0%E4%B8%89&env_version=release`);
    expect(err(parseJumpParams('path=pages/a/b&query=' + encodeURIComponent('张'.repeat(58)), config))).toMatchObject({
      field: 'query',
      zh: expect.stringContaining('522'),
    });
  });

  it("still refuses, on a ticket link, a query the open tag's generate rules refuse", () => {
    expect(err(parseJumpParams('t=T&path=pages/a/b&query=' + encodeURIComponent('name=张三'), config)).field).toBe('query');
  });

  it('needs the page to be configured with an appid', () => {
    expect(err(parseJumpParams('path=pages/index/index', {}))).toMatchObject({ field: 'appid', zh: expect.stringContaining('AppID') });
    expect(err(parseJumpParams('path=pages/index/index', { appid: 'gh_0123456789ab' })).field).toBe('appid');
  });

  it('refuses cq without t: only an encrypted scheme carries it (PR §2)', () => {
    expect(err(parseJumpParams('path=pages/index/index&cq=a', config)).field).toBe('cq');
  });
});

describe('missing parameters and live generation', () => {
  it.each(['', '?', '?cq=abc', '?query=a%3D1', '?env_version=release', '?utm_source=sms'])('%p is an error without a live target', (search) => {
    expect(err(parseJumpParams(search, config)).zh).toMatch(/链接不完整|cq/);
  });

  it('uses the configured live target when the URL has neither t nor path, carrying cq', () => {
    const live = { path: '/pages/index/index', query: 'from=sms', envVersion: 'release' as const };
    const r = ok(parseJumpParams('?cq=uid%3D1', { ...config, live }));
    expect(r).toMatchObject({
      mode: 'live',
      scheme: null,
      path: 'pages/index/index',
      query: 'from=sms',
      request: { action: 'generate', jumpWxa: { path: '/pages/index/index', query: 'from=sms', envVersion: 'release' }, cq: 'uid=1' },
    });
  });

  it('still prefers t and path over the live target (no quota spent)', () => {
    const live = { path: 'pages/index/index' };
    expect(ok(parseJumpParams('?t=T', { ...config, live })).mode).toBe('ticket');
    expect(ok(parseJumpParams('?path=pages/order/list', { ...config, live })).mode).toBe('plaintext');
  });

  it('never throws, whatever the URL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (search) => {
        const r = parseJumpParams(search, config);
        if (r.ok && r.scheme !== null) expect(r.scheme.startsWith('weixin://dl/business/?')).toBe(true);
      }),
    );
  });
});

describe('stable links (?l=CODE)', () => {
  const full = { appid: APPID, env: 'genscheme-test-1a2b3c' };

  it.each(['SPRING24', 'abc', 'print-qr_2026', 'A'.repeat(32)])('reads the code %p and leaves the rest to genScheme', (code) => {
    expect(parseJumpParams(`?l=${code}`, full)).toEqual({ ok: true, mode: 'stable', scheme: null, code });
  });

  it('reads the URL stableLinkUrl writes (the function writes the same one into createLink replies)', () => {
    const url = stableLinkUrl(BASE, 'SPRING24');
    expect(url).toBe(`${BASE}?l=SPRING24`);
    expect(ok(parseJumpParams(new URL(url).search, full))).toMatchObject({ mode: 'stable', code: 'SPRING24' });
  });

  it("ignores parameters it does not know (an SMS platform's tracking)", () => {
    expect(ok(parseJumpParams('?l=SPRING24&utm_source=sms&from=A1', full))).toMatchObject({ mode: 'stable', code: 'SPRING24' });
  });

  it('is preferred over the live target', () => {
    const r = ok(parseJumpParams('?l=SPRING24', { ...full, live: { path: 'pages/index/index' } }));
    expect(r.mode).toBe('stable');
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'A'.repeat(33)],
    ['a dot', 'SPRING.24'],
    ['a space', 'SPRING%2024'],
    ['a slash', 'a%2Fb%2Fc'],
    ['empty', ''],
    ['markup', encodeURIComponent('<b>x</b>')],
  ])('rejects a code %s, naming it, with field l', (_what, raw) => {
    const e = err(parseJumpParams(`?l=${raw}`, full));
    const code = decodeURIComponent(raw);
    expect(e).toMatchObject({ field: 'l', zh: expect.stringContaining(`"${code}"`), en: expect.stringContaining(`l="${code}"`) });
    expect(e.zh).toContain('链接代码');
    expect(e.hintZh).toBeTruthy();
  });

  it.each(['t=AbCdEf', 'cq=uid%3D1', 'path=pages/index/index', 'query=a%3D1', 'env_version=release'])(
    'refuses l beside %s (it would be dropped silently)',
    (other) => {
      const name = other.split('=')[0];
      expect(err(parseJumpParams(`?l=SPRING24&${other}`, full))).toMatchObject({ field: name, zh: expect.stringContaining(`不能和 ${name}`) });
    },
  );

  it('rejects l given twice', () => {
    expect(err(parseJumpParams('?l=SPRING24&l=SPRING25', full))).toMatchObject({ field: 'l' });
  });

  it.each([
    ['no env', { appid: APPID }],
    ['no appid', { env: 'genscheme-test-1a2b3c' }],
    ['nothing', {}],
  ])('needs the appid and the CloudBase environment to call genScheme (%s)', (_what, config) => {
    expect(err(parseJumpParams('?l=SPRING24', config))).toMatchObject({ field: 'appid', zh: expect.stringContaining('云开发环境') });
  });

  it('checks the code before the configuration (a mangled link says so even on an unconfigured page)', () => {
    expect(err(parseJumpParams('?l=x', {}))).toMatchObject({ field: 'l' });
  });
});

describe('h5UrlFromOpenlink (what genScheme puts in h5Url)', () => {
  it('turns an encrypted link into ?t=…, with cq when there is one', () => {
    expect(h5UrlFromOpenlink(BASE, 'weixin://dl/business/?t=AbC123')).toBe(`${BASE}?t=AbC123`);
    expect(h5UrlFromOpenlink(BASE, 'weixin://dl/business/?t=AbC123&cq=uid%3D42')).toBe(`${BASE}?t=AbC123&cq=uid%3D42`);
  });

  it('turns a plaintext link into ?path=…&query=…&env_version=…', () => {
    const link = buildPlaintextLink({ appid: APPID, path: 'pages/product/detail', query: 'id=9', envVersion: 'trial' });
    expect(h5UrlFromOpenlink(BASE, link)).toBe(`${BASE}?path=pages/product/detail&query=id%3D9&env_version=trial`);
  });

  it('the page also reads every value fully percent-encoded (path=pages%2F…), as other writers may send it', () => {
    const r = ok(parseJumpParams('path=pages%2Fproduct%2Fdetail&query=id%3D9&env_version=release', config));
    expect(r.scheme).toBe(buildPlaintextLink({ appid: APPID, path: 'pages/product/detail', query: 'id=9', envVersion: 'release' }));
  });

  it('joins with & when the base already has a query', () => {
    expect(h5UrlFromOpenlink(`${BASE}?src=sms`, 'weixin://dl/business/?t=T')).toBe(`${BASE}?src=sms&t=T`);
  });

  it.each([
    ['not a scheme', BASE, 'https://example.com/'],
    ['no t and no appid', BASE, 'weixin://dl/business/?x=1'],
    ['a bad ticket', BASE, 'weixin://dl/business/?t=a.b'],
    ['a base that is not http(s)', 'jump.html', 'weixin://dl/business/?t=T'],
    ['a base with a fragment', `${BASE}#x`, 'weixin://dl/business/?t=T'],
  ])('throws for %s', (_what, base, link) => {
    expect(() => h5UrlFromOpenlink(base, link)).toThrow(TypeError);
  });

  const ticket = fc.stringMatching(/^[0-9A-Za-z_-]{1,128}$/);
  const allowed = fc.stringMatching(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/);

  it('round-trips: the page opens exactly the link genScheme issued (encrypted, with and without cq)', () => {
    fc.assert(
      fc.property(ticket, fc.option(allowed.filter((s) => s.length <= 256)), (t, cq) => {
        const link = `weixin://dl/business/?t=${t}${cq === null ? '' : `&cq=${encodeURIComponent(cq)}`}`;
        const page = new URL(h5UrlFromOpenlink(BASE, link));
        expect(ok(parseJumpParams(page.search, config)).scheme).toBe(link);
      }),
    );
  });

  it('round-trips plaintext links', () => {
    const path = fc.stringMatching(/^[a-z]{1,8}(\/[a-z0-9_]{1,8}){0,3}$/);
    const env = fc.constantFrom('release' as const, 'trial' as const, 'develop' as const);
    fc.assert(
      fc.property(
        path,
        allowed.filter((q) => encodeURIComponent(q).length <= 512),
        env,
        (p, query, envVersion) => {
          const link = buildPlaintextLink({ appid: APPID, path: p, query, envVersion });
          const page = new URL(h5UrlFromOpenlink(BASE, link));
          expect(ok(parseJumpParams(page.search, config)).scheme).toBe(link);
        },
      ),
    );
  });
});
