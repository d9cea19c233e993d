/** The platform's rules as pure checks (miniprogram/shared/checks.ts, expiry-checks.ts), shared by the function, the page and the H5 page. */
import {
  checkAppid,
  checkCq,
  checkEnvVersion,
  checkPath,
  checkPlaintext,
  checkQuery,
  encodeQueryValue,
  hasLoneSurrogate,
  normalisePath,
} from '../../miniprogram/shared/checks';
import { checkExpireInterval, checkExpireTime, earliestExpireTime, latestExpireTime } from '../../miniprogram/shared/expiry-checks';
import { pagesOfAppJson } from '../../miniprogram/shared/app-pages';
import { CQ_MAX_LENGTH, EXPIRE_MAX_SECONDS, QUERY_MAX_LENGTH } from '../../miniprogram/shared/platform';
import { PAGES } from '../support/app-pages';

const NOW = 1_780_000_000; // a fixed "now" in Unix seconds

describe("query (GEN: ≤ 1024 chars of digits, letters and !#$&'()*+,/:;=?@-._~%)", () => {
  it('accepts 1024 characters and rejects 1025 with 40212', () => {
    expect(checkQuery('a'.repeat(QUERY_MAX_LENGTH))).toBeNull();
    const p = checkQuery('a'.repeat(QUERY_MAX_LENGTH + 1));
    expect(p).toMatchObject({ errcode: 40212, field: 'jumpWxa.query', rule: 'query.maxLength', source: 'input' });
    expect(p?.message.en).toContain('1025');
  });

  it('takes its field name, a lower cap and a rule prefix as options', () => {
    expect(checkQuery('a'.repeat(65), { max: 64 })).toMatchObject({ rule: 'query.maxLength' });
    expect(checkQuery('a'.repeat(64), { max: 64 })).toBeNull();
    const p = checkQuery('a b', { field: 'jump_wxa.query', rule: 'cq' });
    expect(p).toMatchObject({ field: 'jump_wxa.query', rule: 'cq.charset' });
    expect(p?.message.en).toContain('jump_wxa.query');
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
    expect(p?.hint.en).toContain(encodeURIComponent(bad).slice(0, 3));
    expect(p?.hint.zh).toContain('百分号编码');
  });

  it('names the first bad character and its position', () => {
    expect(checkQuery('ab c<d')?.message.en).toContain('a space at position 3');
    expect(checkQuery('ab😀')?.message.en).toContain('"😀" (U+1F600) at position 3');
  });

  it.each([
    ['a lone high surrogate at the end', 'a=\ud83d'],
    ['a lone low surrogate', 'a=\ude00b'],
    ['a reversed pair', 'a=\ude00\ud83d'],
  ])('rejects %s with 40212 query.charset and says to remove it (no encoding can hold it)', (_what, query) => {
    expect(hasLoneSurrogate(query)).toBe(true);
    const p = checkQuery(query);
    expect(p).toMatchObject({ errcode: 40212, rule: 'query.charset' });
    expect(p?.message.en).toContain('broken UTF-16 character');
    expect(p?.hint.en).toMatch(/^Remove it/);
    expect(p?.hint.zh).toContain('删除');
  });

  it('a whole surrogate pair is not a lone surrogate', () => {
    expect(hasLoneSurrogate('😀')).toBe(false);
    expect(hasLoneSurrogate('plain')).toBe(false);
  });

  it('encodeQueryValue turns a value into allowed characters', () => {
    const encoded = encodeQueryValue('张三 & "x"');
    expect(checkQuery(encoded)).toBeNull();
    expect(decodeURIComponent(encoded)).toBe('张三 & "x"');
  });

  it('encodeQueryValue drops lone surrogates instead of throwing', () => {
    expect(encodeQueryValue('a\ud83db')).toBe('ab');
    expect(checkQuery(encodeQueryValue('x\udc00😀'))).toBeNull();
  });
});

describe('cq (GEN §2: ≤ 256 chars of the query charset)', () => {
  it('accepts 256, rejects 257 with 40212 cq.maxLength', () => {
    expect(checkCq('a'.repeat(CQ_MAX_LENGTH))).toBeNull();
    expect(checkCq('a'.repeat(CQ_MAX_LENGTH + 1))).toMatchObject({ errcode: 40212, field: 'cq', rule: 'cq.maxLength' });
  });

  it('rejects a bad character with cq.charset, and a lone surrogate too', () => {
    expect(checkCq('a b')?.rule).toBe('cq.charset');
    expect(checkCq('uid=\ud800')).toMatchObject({ errcode: 40212, rule: 'cq.charset' });
  });
});

describe('path (GEN: a page of the published version, no query)', () => {
  it('accepts a page of app.json with or without a leading slash, and empty (home page)', () => {
    expect(checkPath('pages/index/index', PAGES)).toBeNull();
    expect(checkPath('/pages/publishHomework/publishHomework', PAGES)).toBeNull();
    expect(checkPath('packageA/pages/promo/index', PAGES)).toBeNull();
    expect(checkPath('', PAGES)).toBeNull();
  });

  it('skips the page check when no page list is given', () => {
    expect(checkPath('pages/anything', null)).toBeNull();
    expect(checkPath('pages/anything?x=1', null)?.rule).toBe('path.noQuery');
  });

  it('rejects a "?" and says to move it into query', () => {
    const p = checkPath('pages/index/index?id=1', PAGES);
    expect(p).toMatchObject({ errcode: 40165, rule: 'path.noQuery' });
    expect(p?.hint.en).toContain('"id=1"');
    expect(p?.hint.en).toContain('jumpWxa.query');
  });

  it('rejects a page not in app.json with 40165 and a suggestion', () => {
    const p = checkPath('pages/index', PAGES);
    expect(p).toMatchObject({ errcode: 40165, rule: 'path.unknownPage' });
    expect(p?.hint.en).toContain('pages/index/index');
  });

  it('clips a huge path in its message', () => {
    const p = checkPath('x'.repeat(100_000), PAGES);
    expect(p?.message.en.length).toBeLessThan(300);
  });

  it('reads subpackages from app.json (both spellings)', () => {
    expect(pagesOfAppJson({ pages: ['a/b'], subpackages: [{ root: 'sub/', pages: ['c'] }] })).toEqual(['a/b', 'sub/c']);
    expect(pagesOfAppJson({ pages: ['a/b'], subPackages: [{ root: 'sub', pages: ['c'] }] })).toEqual(['a/b', 'sub/c']);
    expect(pagesOfAppJson(null)).toEqual([]);
    expect(PAGES).toContain('packageA/pages/promo/index');
  });

  it('normalisePath strips one leading slash', () => {
    expect(normalisePath('/pages/a')).toBe('pages/a');
    expect(normalisePath('pages/a')).toBe('pages/a');
  });
});

describe('envVersion (GEN: release, trial, develop)', () => {
  it.each(['release', 'trial', 'develop'])('accepts %s', (v) => expect(checkEnvVersion(v)).toBeNull());
  it('rejects others with 85402 and fixes the case', () => {
    expect(checkEnvVersion('Release')).toMatchObject({ errcode: 85402, rule: 'envVersion.value', hint: { en: 'Write "release" (it is case-sensitive).' } });
    expect(checkEnvVersion('production')?.errcode).toBe(85402);
  });
});

describe('expireTime (GEN: Unix seconds, more than 1 minute and at most 30 days ahead)', () => {
  it('accepts exactly 30 days (the planner clamps the last minute) and rejects 30 days + 1 s', () => {
    expect(checkExpireTime(NOW + EXPIRE_MAX_SECONDS, NOW)).toBeNull();
    expect(checkExpireTime(NOW + EXPIRE_MAX_SECONDS - 1, NOW)).toBeNull();
    const p = checkExpireTime(NOW + EXPIRE_MAX_SECONDS + 1, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.tooLate' });
    expect(p?.message.en).toContain('30 days');
  });

  it('tooLate names the latest value genScheme sends: now + 30 days − 60 s', () => {
    const latest = NOW + EXPIRE_MAX_SECONDS - 60;
    expect(latestExpireTime(NOW)).toBe(latest);
    const p = checkExpireTime(NOW + 40 * 86_400, NOW);
    expect(p?.hint.en).toContain(`The latest is ${latest}`);
    expect(p?.hint.zh).toContain(String(latest));
  });

  it('keeps a clock-skew margin above the platform minute: 121 s passes, 120 s and 61 s do not', () => {
    expect(earliestExpireTime(NOW)).toBe(NOW + 121);
    expect(checkExpireTime(NOW + 121, NOW)).toBeNull();
    expect(checkExpireTime(NOW + 120, NOW)?.rule).toBe('expireTime.tooSoon');
    expect(checkExpireTime(NOW + 61, NOW)?.rule).toBe('expireTime.tooSoon');
    expect(checkExpireTime(NOW + 61, NOW)?.hint.en).toContain('121 s');
  });

  it('recognises milliseconds and gives the seconds value', () => {
    const ms = (NOW + 86_400) * 1000;
    const p = checkExpireTime(ms, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.milliseconds' });
    expect(p?.hint.en).toContain(String(NOW + 86_400));
  });

  it('says a past time is in the past, with the date', () => {
    const p = checkExpireTime(1606737600, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.past' });
    expect(p?.message.en).toContain('2020-11-30T12:00:00Z');
    expect(p?.message.zh).toContain('已经过去');
    expect(checkExpireTime(NOW, NOW)?.rule).toBe('expireTime.past');
  });

  it('rejects a fraction of a second, NaN and Infinity without throwing', () => {
    expect(checkExpireTime(NOW + 3600.5, NOW)?.rule).toBe('expireTime.integer');
    expect(checkExpireTime(Number.NaN, NOW)?.rule).toBe('expireTime.integer');
    expect(checkExpireTime(Infinity, NOW)?.rule).toBe('expireTime.integer');
  });

  it('recognises days written into expireTime (PR §1 known trap) and points to expireInterval', () => {
    const p = checkExpireTime(7, NOW);
    expect(p).toMatchObject({ errcode: 85401, rule: 'expireTime.days' });
    expect(p?.hint.en).toContain('expireInterval: 7');
    expect(checkExpireTime(90, NOW)?.hint.en).toContain('expireInterval: 30');
    expect(checkExpireTime(366, NOW)?.rule).toBe('expireTime.days');
    // 0 and 367 are not read as days: plainly in the past.
    expect(checkExpireTime(0, NOW)?.rule).toBe('expireTime.past');
    expect(checkExpireTime(367, NOW)?.rule).toBe('expireTime.past');
  });

  it('names the field as the caller spelt it', () => {
    expect(checkExpireTime(7, NOW, 'expire_time')).toMatchObject({ field: 'expire_time' });
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
  it('suggests the nearest allowed value', () => {
    expect(checkExpireInterval(31)?.hint.en).toBe('Use 30.');
    expect(checkExpireInterval(1.5)?.hint.en).toContain('2');
  });
});

describe('plaintext (GEN §3: appid, a path, query ≤ 512 once encoded)', () => {
  const base = { appid: 'wx1234567890abcdef', path: 'pages/index/index' };

  it('path required, appid shape, query ≤ 512 once encoded', () => {
    expect(checkPlaintext({ ...base, query: 'a'.repeat(512) })).toBeNull();
    expect(checkPlaintext({ ...base, query: 'a'.repeat(513) })?.rule).toBe('plaintext.queryMaxLength');
    // "=" encodes to 3 characters: 170 of them make 510, 171 make 513.
    expect(checkPlaintext({ ...base, query: '='.repeat(170) })).toBeNull();
    expect(checkPlaintext({ ...base, query: '='.repeat(171) })?.rule).toBe('plaintext.queryMaxLength');
    expect(checkPlaintext({ ...base, path: '' })?.rule).toBe('plaintext.pathRequired');
    expect(checkPlaintext({ ...base, appid: 'gh_123' })?.rule).toBe('plaintext.appid');
  });

  it('a lone surrogate in the query is a 40212 query.charset failure, never an exception from encodeURIComponent', () => {
    expect(checkPlaintext({ ...base, query: 'a=\ud800' })).toMatchObject({ errcode: 40212, rule: 'query.charset', field: 'jumpWxa.query' });
  });

  it('an unknown appid says where to set one', () => {
    expect(checkAppid('')?.message.en).toContain('unknown');
    expect(checkAppid('')?.hint.en).toContain('GENSCHEME_APPID');
    expect(checkAppid('wx1234567890abcdef')).toBeNull();
  });
});
