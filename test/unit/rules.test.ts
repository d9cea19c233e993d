import {
  CQ_MAX_LENGTH,
  EXPIRE_MAX_SECONDS,
  QUERY_MAX_LENGTH,
  appendCq,
  buildPlaintextLink,
  checkCq,
  checkEnvVersion,
  checkExpireInterval,
  checkExpireTime,
  checkPath,
  checkPlaintext,
  checkQuery,
  encodeQueryValue,
  linkWithCq,
  pagesOfAppJson,
  ticketOf,
} from '../../miniprogram/shared/rules';
import { PAGES } from '../support/app-pages';

const NOW = 1_780_000_000; // a fixed "now" in Unix seconds

describe('query (GEN: ≤ 1024 chars of digits, letters and !#$&\'()*+,/:;=?@-._~%)', () => {
  it('accepts 1024 characters and rejects 1025 with 40212', () => {
    expect(checkQuery('a'.repeat(QUERY_MAX_LENGTH))).toBeNull();
    const p = checkQuery('a'.repeat(QUERY_MAX_LENGTH + 1));
    expect(p).toMatchObject({ errcode: 40212, field: 'jumpWxa.query', rule: 'query.maxLength' });
    expect(p?.en).toContain('1025');
  });

  it('accepts every allowed special character', () => {
    expect(checkQuery("a=1&b=2!#$'()*+,/:;=?@-._~%20")).toBeNull();
  });

  it.each([
    ['a space', 'name=a b', ' '],
    ['a Chinese character', 'name=张三', '张'],
    ['a backtick (the doc ⚠️: safer reading rejects it)', 'a=`x`', '`'],
    ['a double quote', 'a="x"', '"'],
    ['angle brackets', 'a=<x>', '<'],
    ['a backslash', 'a=\\x', '\\'],
    ['a caret', 'a=^', '^'],
    ['braces', 'a={}', '{'],
    ['a pipe', 'a=|', '|'],
    ['a newline', 'a=1\nb=2', '\n'],
    ['an emoji', 'a=😀', '😀'],
    ['a closing angle bracket', 'a=x>', '>'],
    ['an opening square bracket', 'ids[]=1', '['],
    ['a closing square bracket', 'a=]', ']'],
    ['a closing brace', 'a=}', '}'],
    ['a tab', 'a=1\tb', '\t'],
    ['a NUL control character', 'a=\u0000', '\u0000'],
    ['DEL', 'a=\u007f', '\u007f'],
    ['a Latin letter with an accent', 'name=José', 'é'],
    ['a full-width equals sign', 'a＝1', '＝'],
  ])('rejects %s and suggests percent-encoding', (_what, query, bad) => {
    const p = checkQuery(query);
    expect(p).toMatchObject({ errcode: 40212, rule: 'query.charset' });
    expect(p?.hintEn).toContain(encodeURIComponent(bad).slice(0, 3));
    expect(p?.hintZh).toContain('百分号编码');
  });

  it('encodeQueryValue turns a value into allowed characters', () => {
    const encoded = encodeQueryValue('张三 & "x"');
    expect(checkQuery(encoded)).toBeNull();
    expect(decodeURIComponent(encoded)).toBe('张三 & "x"');
  });
});

describe('path (GEN: a page of the published version, no query)', () => {
  it('accepts a page of app.json with or without a leading slash, and empty (home page)', () => {
    expect(checkPath('pages/index/index', PAGES)).toBeNull();
    expect(checkPath('/pages/publishHomework/publishHomework', PAGES)).toBeNull();
    expect(checkPath('packageA/pages/promo/index', PAGES)).toBeNull();
    expect(checkPath('', PAGES)).toBeNull();
  });

  it('rejects a "?" and says to move it into query', () => {
    const p = checkPath('pages/index/index?id=1', PAGES);
    expect(p).toMatchObject({ errcode: 40165, rule: 'path.noQuery' });
    expect(p?.hintEn).toContain('"id=1"');
    expect(p?.hintEn).toContain('jumpWxa.query');
  });

  it('rejects a page not in app.json with 40165 and a suggestion', () => {
    const p = checkPath('pages/index', PAGES);
    expect(p).toMatchObject({ errcode: 40165, rule: 'path.unknownPage' });
    expect(p?.hintEn).toContain('pages/index/index');
  });

  it('reads subpackages from app.json (both spellings)', () => {
    expect(pagesOfAppJson({ pages: ['a/b'], subpackages: [{ root: 'sub/', pages: ['c'] }] })).toEqual(['a/b', 'sub/c']);
    expect(PAGES).toContain('packageA/pages/promo/index');
  });
});

describe('envVersion (GEN: release, trial, develop)', () => {
  it.each(['release', 'trial', 'develop'])('accepts %s', (v) => expect(checkEnvVersion(v)).toBeNull());
  it('rejects others with 85402 and fixes the case', () => {
    expect(checkEnvVersion('Release')).toMatchObject({ errcode: 85402, hintEn: 'Write "release" (it is case-sensitive).' });
    expect(checkEnvVersion('production')?.errcode).toBe(85402);
  });
});

describe('expireTime (GEN: Unix seconds, more than 1 minute and at most 30 days ahead)', () => {
  it('accepts exactly 30 days and rejects 30 days + 1 s', () => {
    expect(checkExpireTime(NOW + EXPIRE_MAX_SECONDS, NOW)).toBeNull();
    expect(checkExpireTime(NOW + EXPIRE_MAX_SECONDS - 1, NOW)).toBeNull();
    const p = checkExpireTime(NOW + EXPIRE_MAX_SECONDS + 1, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.tooLate' });
    expect(p?.en).toContain('30 days');
  });

  it('keeps a clock-skew margin above the platform minute: 121 s passes, 120 s and 61 s do not', () => {
    expect(checkExpireTime(NOW + 121, NOW)).toBeNull();
    expect(checkExpireTime(NOW + 120, NOW)?.rule).toBe('expireTime.tooSoon');
    expect(checkExpireTime(NOW + 61, NOW)?.rule).toBe('expireTime.tooSoon');
  });

  it('recognises milliseconds and gives the seconds value', () => {
    const ms = (NOW + 86_400) * 1000;
    const p = checkExpireTime(ms, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.milliseconds' });
    expect(p?.hintEn).toContain(String(NOW + 86_400));
  });

  it('says a past time is in the past, with the date', () => {
    const p = checkExpireTime(1606737600, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.past' });
    expect(p?.en).toContain('2020-11-30T12:00:00Z');
    expect(p?.zh).toContain('已经过去');
    expect(checkExpireTime(NOW, NOW)?.rule).toBe('expireTime.past');
  });

  it('rejects a fraction of a second', () => {
    expect(checkExpireTime(NOW + 3600.5, NOW)?.rule).toBe('expireTime.integer');
  });

  it('recognises days written into expireTime (PR §1 known trap) and points to expireInterval', () => {
    const p = checkExpireTime(7, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.days' });
    expect(p?.hintEn).toContain('expireInterval: 7');
    expect(checkExpireTime(90, NOW)?.hintEn).toContain('expireInterval: 30');
    expect(checkExpireTime(366, NOW)?.rule).toBe('expireTime.days');
    // 0 and 367 are not read as days: plainly in the past.
    expect(checkExpireTime(0, NOW)?.rule).toBe('expireTime.past');
    expect(checkExpireTime(367, NOW)?.rule).toBe('expireTime.past');
  });
});

describe('expireInterval (GEN: whole days 1 … 30)', () => {
  it.each([1, 30])('accepts %d', (d) => expect(checkExpireInterval(d)).toBeNull());
  it.each([
    [0, 'expireInterval.range'],
    [31, 'expireInterval.range'],
    [1.5, 'expireInterval.integer'],
    [-3, 'expireInterval.range'],
  ])('rejects %d (%s) with 85401', (d, rule) => expect(checkExpireInterval(d)).toMatchObject({ errcode: 85401, rule }));
});

describe('links', () => {
  it('reads a ticket, with or without cq, and nothing else', () => {
    expect(ticketOf('weixin://dl/business/?t=AbC123xyz')).toBe('AbC123xyz');
    expect(ticketOf('weixin://dl/business/?t=AbC123xyz&cq=a%3D1')).toBe('AbC123xyz');
    expect(ticketOf('weixin://dl/business/?appid=wx1234567890abcdef&path=a')).toBeNull();
    expect(ticketOf('https://example.com/?t=abc')).toBeNull();
    expect(ticketOf('')).toBeNull();
  });

  it('cq: 256 accepted, 257 rejected; appended with & and encoded', () => {
    expect(checkCq('a'.repeat(CQ_MAX_LENGTH))).toBeNull();
    expect(checkCq('a'.repeat(CQ_MAX_LENGTH + 1))).toMatchObject({ errcode: 40212, field: 'cq' });
    expect(checkCq('a b')?.rule).toBe('query.charset');
    expect(appendCq('weixin://dl/business/?t=abc', 'uid=7&src=sms')).toBe('weixin://dl/business/?t=abc&cq=uid%3D7%26src%3Dsms');
  });

  it('plaintext: path required, appid shape, query ≤ 512 once encoded', () => {
    const base = { appid: 'wx1234567890abcdef', path: 'pages/index/index' };
    expect(checkPlaintext({ ...base, query: 'a'.repeat(512) })).toBeNull();
    expect(checkPlaintext({ ...base, query: 'a'.repeat(513) })?.rule).toBe('plaintext.queryMaxLength');
    // "=" encodes to 3 characters: 170 of them make 510, 171 make 513.
    expect(checkPlaintext({ ...base, query: '='.repeat(170) })).toBeNull();
    expect(checkPlaintext({ ...base, query: '='.repeat(171) })?.rule).toBe('plaintext.queryMaxLength');
    expect(checkPlaintext({ ...base, path: '' })?.rule).toBe('plaintext.pathRequired');
    expect(checkPlaintext({ ...base, appid: 'gh_123' })?.rule).toBe('plaintext.appid');
    expect(buildPlaintextLink({ ...base, path: '/pages/index/index', query: 'a=1&b=张' })).toBe(
      'weixin://dl/business/?appid=wx1234567890abcdef&path=pages/index/index&query=a%3D1%26b%3D%E5%BC%A0&env_version=release',
    );
  });
});

describe('linkWithCq: one generated link, many recipients', () => {
  it('appends an encoded cq to an encrypted scheme, no call needed', () => {
    expect(linkWithCq('weixin://dl/business/?t=Ab12', 'uid=1')).toEqual({ openlink: 'weixin://dl/business/?t=Ab12&cq=uid%3D1' });
  });
  it('refuses a plaintext scheme, a link that already has a cq, and a bad cq', () => {
    expect(linkWithCq('weixin://dl/business/?appid=wx1234567890abcdef&path=a', 'x')).toHaveProperty('problem.rule', 'cq.link');
    expect(linkWithCq('weixin://dl/business/?t=Ab12&cq=1', 'x')).toHaveProperty('problem.rule', 'cq.link');
    expect(linkWithCq('weixin://dl/business/?t=Ab12', 'c'.repeat(257))).toHaveProperty('problem.rule', 'query.maxLength');
  });
});
