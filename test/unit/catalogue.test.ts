/** Every error code a caller can see, as typed rows (cloudfunctions/genScheme/src/wechat/catalogue.ts). */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CATALOGUE, callerMayRetry, lookup, retriedByGenScheme } from '../../cloudfunctions/genScheme/src/wechat/catalogue';
import { OWN_CODES } from '../../cloudfunctions/genScheme/src/wechat/codes';
import { ROOT } from '../support/app-pages';

/** The repository's platform rules: the catalogue must cover every code it names. Never skipped. */
const DOC = join(ROOT, 'docs/platform-rules.md');

/** Error codes in the document's tables (columns named code / errCode / what exceeding gives), and any CloudBase-range negative code anywhere. */
function codesNamedIn(text: string): Set<number> {
  const codes = new Set<number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|') || !/^\|[-| :]+\|$/.test(lines[i + 1] ?? '')) continue;
    const header = lines[i]
      .split('|')
      .slice(1, -1)
      .map((h) => h.trim());
    const columns = header.map((h, n) => (/\bcode\b|errcode|exceeding/i.test(h) ? n : -1)).filter((n) => n >= 0);
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      const cells = lines[j].split('|').slice(1, -1);
      for (const n of columns) for (const m of (cells[n] ?? '').matchAll(/(?<![\w.])-?\d{1,7}(?![\w.,])/g)) codes.add(Number(m[0]));
    }
  }
  for (const m of text.matchAll(/(?<![\w-])-[4-6]0\d{4}(?!\d)/g)) codes.add(Number(m[0]));
  return codes;
}

describe('error catalogue', () => {
  const doc = readFileSync(DOC, 'utf8');
  const named = codesNamedIn(doc);

  it('finds the codes of every error table in docs/platform-rules.md', () => {
    // §1 error table, §1 cloud-call failures, §5 limits, §11 database codes.
    for (const code of [-1, 40001, 40014, 42001, 44990, 44993, 45009, 85406, -604101, -404011, -502001, -502005, -501001]) expect(named).toContain(code);
    // Scene values and limits are not error codes.
    for (const notACode of [1065, 1286, 100]) expect(named).not.toContain(notACode);
    expect(named.size).toBeGreaterThanOrEqual(35);
  });

  it('has a row for every code the platform-rules document names', () => {
    const missing = [...named].filter((c) => !CATALOGUE.has(c));
    expect(missing).toEqual([]);
  });

  it.each([...CATALOGUE.keys()].filter((c) => c > -900000))('row %d has a meaning and a fix in zh and en', (code) => {
    const row = CATALOGUE.get(code)!;
    for (const text of [row.meaning.zh, row.meaning.en, row.fix.zh, row.fix.en]) expect(text.length).toBeGreaterThan(3);
    expect(row.meaning.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(row.fix.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the §11 database codes and -601001 are CloudBase rows; only -502001 and -601001 may pass if tried later', () => {
    expect(lookup(-601001)).toMatchObject({ source: 'cloud', recovery: 'later' });
    expect(lookup(-601001).meaning.en).toMatch(/could not read/);
    expect(lookup(-502001)).toMatchObject({ source: 'cloud', recovery: 'later' });
    for (const code of [-502002, -502003, -502004, -502005]) expect(lookup(code)).toMatchObject({ source: 'cloud', recovery: 'none' });
    expect(lookup(-502005).meaning.en).toMatch(/collection does not exist/);
    expect(lookup(-502003).meaning.en).toMatch(/permission/i);
  });

  it('genScheme itself retries only -1 and 44990 (WeChat busy, rate per second)', () => {
    const retried = [...CATALOGUE.keys()].filter(retriedByGenScheme).sort((a, b) => a - b);
    expect(retried).toEqual([-1, 44990]);
    expect(lookup(-1).recovery).toBe('backoff');
    expect(lookup(44990).recovery).toBe('pause');
  });

  it('tells the caller it may retry exactly the transient failures (backoff, pause, later)', () => {
    const mayRetry = [...CATALOGUE.keys()].filter(callerMayRetry).sort((a, b) => a - b);
    expect(mayRetry).toEqual(
      [
        OWN_CODES.TIME_BUDGET,
        OWN_CODES.NO_OPENLINK,
        OWN_CODES.NO_IMAGE,
        OWN_CODES.RATE_LIMITED,
        OWN_CODES.STABLE_UNAVAILABLE,
        -604102,
        -601001,
        -502001,
        -1,
        44990,
      ].sort((a, b) => a - b),
    );
    // A refused token is for HTTPS mode only: a cloud call's caller does not retry it.
    expect(callerMayRetry(40001)).toBe(false);
    expect(callerMayRetry(40165)).toBe(false);
  });

  it('every row has a numeric code, a known source and recovery, and four one-line texts', () => {
    expect(CATALOGUE.size).toBe(54); // 51 + 40169, 41030 (§12) and NO_IMAGE
    for (const [code, row] of CATALOGUE) {
      expect(Number.isInteger(code) && row.code === code).toBe(true);
      expect(['wechat', 'cloud', 'genscheme']).toContain(row.source);
      expect(['backoff', 'pause', 'later', 'refresh-token', 'none']).toContain(row.recovery);
      for (const text of [row.meaning.zh, row.meaning.en, row.fix.zh, row.fix.en]) expect(text).toMatch(/^[^\n]{4,}$/);
    }
  });

  it('the source follows the code range: WeChat above -100000, CloudBase below, genScheme at -900000 and lower', () => {
    for (const [code, row] of CATALOGUE) expect(row.source).toBe(code <= -900000 ? 'genscheme' : code < -100000 ? 'cloud' : 'wechat');
  });

  it('the access-token codes need a token refresh, which only HTTPS mode has', () => {
    for (const code of [40001, 40014, 42001]) expect(lookup(code).recovery).toBe('refresh-token');
  });

  it('-604101 tells how to declare the permission', () => {
    expect(lookup(-604101).fix.en).toMatch(/config\.json.*upload.*10 minutes/);
  });

  it('an unlisted code still gets a bilingual row that names it, neither retried nor retryable', () => {
    expect(lookup(12345)).toMatchObject({ code: 12345, source: 'wechat', recovery: 'none' });
    expect(lookup(12345).meaning.en).toContain('12345');
    expect(lookup(12345).meaning.zh).toContain('12345');
    expect(lookup(-123456).source).toBe('cloud');
    expect(lookup(-900555).source).toBe('genscheme');
    expect(retriedByGenScheme(12345)).toBe(false);
    expect(callerMayRetry(12345)).toBe(false);
  });

  it("genScheme's own codes are negative, outside the ranges WeChat and CloudBase use, and all have rows", () => {
    for (const code of Object.values(OWN_CODES)) {
      expect(code).toBeLessThanOrEqual(-900000);
      expect(CATALOGUE.get(code)?.source).toBe('genscheme');
    }
  });
});
