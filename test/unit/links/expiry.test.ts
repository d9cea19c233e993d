/** When a link expires (src/links/expiry.ts): exactly what is sent, when the link dies, and what the caller is told. */
import { planExpiry } from '../../../cloudfunctions/genScheme/src/links/expiry';
import { FieldNames } from '../../../cloudfunctions/genScheme/src/event';
import { INVALID_FIELD } from '../../../cloudfunctions/genScheme/src/wechat/codes';

const NOW = 1_780_000_000;
const DAY = 86_400;
const names = (spelling: Record<string, string> = {}) => {
  const n = new FieldNames();
  for (const [k, v] of Object.entries(spelling)) n.set(k, v);
  return n;
};
const plan = (input: Parameters<typeof planExpiry>[0], n = names()) => planExpiry(input, n, NOW);

describe('planExpiry', () => {
  it('no expiry: 30 days by interval, with expiry.defaulted', () => {
    expect(plan({})).toEqual({
      expiry: {
        call: { isExpire: true, expireType: 1, expireInterval: 30 },
        expireTime: NOW + 30 * DAY,
        days: 30,
        field: 'expireInterval',
        warnings: [expect.objectContaining({ code: 'expiry.defaulted' })],
      },
    });
  });

  it('an expireTime is sent as is, with the days it spans rounded up', () => {
    expect(plan({ expireTime: NOW + DAY + 1 })).toEqual({
      expiry: { call: { isExpire: true, expireType: 0, expireTime: NOW + DAY + 1 }, expireTime: NOW + DAY + 1, days: 2, field: 'expireTime', warnings: [] },
    });
  });

  it.each([0, 1, 59, 60])('clamps an expireTime %d s before the 30-day edge to now + 30 days − 60 s, with expiry.clamped', (before) => {
    const asked = NOW + 30 * DAY - before;
    const planned = plan({ expireTime: asked }, names({ expireTime: 'expire_time' }));
    if (!('expiry' in planned)) throw new Error(planned.failure.message.en);
    const latest = NOW + 30 * DAY - 60;
    expect(planned.expiry).toMatchObject({ call: { expireType: 0, expireTime: latest }, expireTime: latest, days: 30 });
    expect(planned.expiry.warnings.map((w) => w.code)).toEqual(before === 60 ? [] : ['expiry.clamped']);
    if (before < 60) expect(planned.expiry.warnings[0].en).toContain(`expire_time was within a minute of the 30-day limit`);
  });

  it('61 s before the edge is not clamped', () => {
    const planned = plan({ expireTime: NOW + 30 * DAY - 61 });
    expect(planned).toMatchObject({ expiry: { expireTime: NOW + 30 * DAY - 61, warnings: [] } });
  });

  it('past the 30-day edge is refused, not clamped', () => {
    expect(plan({ expireTime: NOW + 30 * DAY + 1 })).toMatchObject({ failure: { errcode: 85401, rule: 'expireTime.tooLate' } });
  });

  it('isExpire:false adds the no-permanent-links warning to whichever expiry is planned', () => {
    const byDays = plan({ isExpire: false });
    expect('expiry' in byDays && byDays.expiry.warnings.map((w) => w.code)).toEqual(['expiry.noPermanentLinks']);
    const byTime = plan({ isExpire: false, expireTime: NOW + 30 * DAY });
    expect('expiry' in byTime && byTime.expiry.warnings.map((w) => w.code)).toEqual(['expiry.clamped', 'expiry.noPermanentLinks']);
  });

  it.each([
    [{ expireType: 2 }, 47001, 'expireType.value', 'expireType'],
    [{ expireType: 0 }, 85401, 'expireTime.required', 'expireTime'],
    [{ expireType: 0, expireInterval: 7 }, INVALID_FIELD, 'expiry.typeMismatch', 'expireInterval'],
    [{ expireType: 1, expireTime: NOW + 3600 }, INVALID_FIELD, 'expiry.typeMismatch', 'expireTime'],
    [{ expireTime: NOW + 3600, expireInterval: 7 }, INVALID_FIELD, 'expiry.conflict', 'expireInterval'],
    [{ expireType: 1, expireTime: NOW + 3600, expireInterval: 7 }, INVALID_FIELD, 'expiry.conflict', 'expireTime'],
    [{ expireInterval: 0 }, 85401, 'expireInterval.range', 'expireInterval'],
    [{ expireTime: 7 }, 85401, 'expireTime.days', 'expireTime'],
  ])('refuses %j with %d %s on %s', (input, errcode, rule, field) => {
    expect(plan(input)).toMatchObject({ failure: { errcode, rule, field, source: 'input' } });
  });

  it('names fields as the caller spelt them', () => {
    expect(plan({ expireType: 0 }, names({ expireType: 'expire_type', expireTime: 'expire_time' }))).toMatchObject({ failure: { field: 'expire_time' } });
  });
});
