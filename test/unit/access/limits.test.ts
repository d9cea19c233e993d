import { createState } from '../../../cloudfunctions/genScheme/src/state';
/** Counting calls in an instance's memory: WindowLimiter, the policy's RateLimits, and the AdminTokenGuard. */
import { ACTION_ACCESS } from '../../../cloudfunctions/genScheme/src/actions';
import {
  ADMIN_TOKEN_FAILURES,
  ADMIN_TOKEN_MIN_LENGTH,
  ADMIN_TOKEN_WINDOW_MS,
  AdminTokenGuard,
  weakTokenReason,
} from '../../../cloudfunctions/genScheme/src/access/admin-token';
import type { Caller } from '../../../cloudfunctions/genScheme/src/access/caller';
import { defaultPolicy, type Policy } from '../../../cloudfunctions/genScheme/src/access/policy';
import { RateLimits } from '../../../cloudfunctions/genScheme/src/access/rate-limits';
import { WindowLimiter } from '../../../cloudfunctions/genScheme/src/access/window-limiter';
import { RATE_LIMITED } from '../../../cloudfunctions/genScheme/src/wechat/codes';

const DEFAULT = defaultPolicy(ACTION_ACCESS);
const policyWith = (patch: { user?: Partial<Policy['user']>; public?: Partial<Policy['public']> } = {}): Policy => ({
  user: { ...DEFAULT.user, ...patch.user },
  public: { ...DEFAULT.public, ...patch.public },
  adminOpenids: [],
});

describe('WindowLimiter', () => {
  it('allows `limit` takes in any window and says when the next slot frees', async () => {
    const limiter = new WindowLimiter(3, 1000);
    expect(limiter.take('k', 0)).toEqual({ ok: true });
    expect(limiter.take('k', 100)).toEqual({ ok: true });
    expect(limiter.take('k', 200)).toEqual({ ok: true });
    expect(limiter.take('k', 300)).toEqual({ ok: false, retryAfterMs: 700 });
    expect(limiter.take('other', 300)).toEqual({ ok: true });
    // A take exactly one window after the first is allowed again (the window slides).
    expect(limiter.take('k', 1000)).toEqual({ ok: true });
    expect(limiter.take('k', 1001)).toEqual({ ok: false, retryAfterMs: 99 });
  });

  it('check() looks without taking', async () => {
    const limiter = new WindowLimiter(1, 1000);
    expect(limiter.check('k', 0)).toEqual({ ok: true });
    expect(limiter.check('k', 0)).toEqual({ ok: true });
    limiter.take('k', 0);
    expect(limiter.check('k', 10)).toEqual({ ok: false, retryAfterMs: 990 });
  });

  it('a refused take is not counted', async () => {
    const limiter = new WindowLimiter(1, 1000);
    limiter.take('k', 0);
    for (let t = 1; t < 1000; t += 100) expect(limiter.take('k', t).ok).toBe(false);
    expect(limiter.take('k', 1000).ok).toBe(true);
  });

  it('a limit of 0 refuses everything for a whole window', async () => {
    expect(new WindowLimiter(0, 60_000).take('k', 0)).toEqual({ ok: false, retryAfterMs: 60_000 });
  });

  it('sweeps old keys so memory stays flat under many callers', async () => {
    const limiter = new WindowLimiter(5, 1000);
    for (let i = 0; i < 10_000; i++) limiter.take(`ip:${i}`, 0);
    expect(limiter.size).toBe(10_000);
    limiter.take('late', 5000);
    expect(limiter.size).toBe(1);
  });
});

describe('RateLimits (per warm instance)', () => {
  const userCaller = (hash: string): Caller => ({ class: 'user', reason: 'openid', source: 'wx_client', openidHash: hash });
  const ipCaller = (ip?: string): Caller => ({ class: 'public', reason: 'no-openid', source: 'wx_http', ...(ip ? { ip } : {}) });

  it('cuts in for one user after 20 calls a minute, not for another', async () => {
    const limits = new RateLimits(policyWith(), memoryState().limits);
    for (let i = 0; i < 20; i++) expect(await limits.admit(userCaller('aaa'), 1000 + i)).toBeNull();
    const denial = await limits.admit(userCaller('aaa'), 1020);
    expect(denial).toMatchObject({ errcode: RATE_LIMITED, source: 'policy', rule: 'policy.rate-user', retryAfterMs: 60_000 - 20 });
    expect(denial?.message.en).toContain('at most 20 calls a minute per user');
    expect(denial?.hint.en).toBe('Try again in 60 s.');
    expect(await limits.admit(userCaller('bbb'), 1021)).toBeNull();
    // A minute after the first call, A may call again.
    expect(await limits.admit(userCaller('aaa'), 61_001)).toBeNull();
  });

  it('public callers: per IP, then one shared bucket', async () => {
    const limits = new RateLimits(policyWith({ public: { perIpPerMinute: 2, sharedPerMinute: 3 } }), memoryState().limits);
    expect(await limits.admit(ipCaller('198.51.100.1'), 0)).toBeNull();
    expect(await limits.admit(ipCaller('198.51.100.1'), 1)).toBeNull();
    expect((await limits.admit(ipCaller('198.51.100.1'), 2))?.rule).toBe('policy.rate-ip');
    expect(await limits.admit(ipCaller('198.51.100.2'), 3)).toBeNull();
    expect((await limits.admit(ipCaller('198.51.100.3'), 4))?.rule).toBe('policy.rate-shared');
    expect((await limits.admit(ipCaller(), 5))?.rule).toBe('policy.rate-shared');
  });

  it('trusted callers are not rate limited by the policy', async () => {
    const limits = new RateLimits(policyWith({ user: { perUserPerMinute: 0 }, public: { perIpPerMinute: 0, sharedPerMinute: 0 } }), memoryState().limits);
    const trusted: Caller = { class: 'trusted', reason: 'admin-token', source: '' };
    for (let i = 0; i < 100; i++) expect(await limits.admit(trusted, i)).toBeNull();
  });
});

describe('AdminTokenGuard', () => {
  const TOKEN = 'k7Qp2-Wz9xLm4Rt8Vb';
  const caller = (ip: string): Caller => ({ class: 'public', reason: 'no-openid', source: 'wx_http', ip });

  it('trusts the right token and counts nothing for it', async () => {
    const guard = new AdminTokenGuard(TOKEN);
    for (let i = 0; i < 20; i++) expect(await guard.judge(TOKEN, caller('1.1.1.1'), i)).toEqual({ trusted: true });
  });

  it(`refuses a caller after ${ADMIN_TOKEN_FAILURES} wrong tokens in 10 minutes, even with the right one, until the window passes`, async () => {
    expect(ADMIN_TOKEN_FAILURES).toBe(5);
    expect(ADMIN_TOKEN_WINDOW_MS).toBe(600_000);
    const guard = new AdminTokenGuard(TOKEN);
    const c = caller('1.1.1.1');
    for (let i = 0; i < 5; i++) expect(await guard.judge(`guess-${i}`, c, i * 1000)).toEqual({ trusted: false });
    const verdict = await guard.judge(TOKEN, c, 5000);
    expect(verdict.trusted).toBe(false);
    expect(verdict).toMatchObject({
      refused: { errcode: RATE_LIMITED, source: 'policy', rule: 'policy.rate-admin-token', field: 'adminToken', retryAfterMs: 600_000 - 5000 },
    });
    expect(!verdict.trusted && verdict.refused?.hint.en).toContain('Try again in 10 min');
    // Refusals are not counted: once the first failure leaves the window, one more guess is allowed.
    expect(await guard.judge(TOKEN, c, 600_000)).toEqual({ trusted: true });
  });

  it('counts per caller key: another IP or user is not affected', async () => {
    const guard = new AdminTokenGuard(TOKEN);
    for (let i = 0; i < 5; i++) await guard.judge('wrong', caller('1.1.1.1'), 0);
    expect((await guard.judge(TOKEN, caller('1.1.1.1'), 1)).trusted).toBe(false);
    expect(await guard.judge(TOKEN, caller('2.2.2.2'), 1)).toEqual({ trusted: true });
    expect(await guard.judge(TOKEN, { class: 'user', reason: 'openid', source: 'wx_client', openidHash: 'h1', ip: '1.1.1.1' }, 1)).toEqual({ trusted: true });
  });

  it('reads the shared failure count before comparing: 15 wrong elsewhere, then 4 wrong + the right one at once on a fresh instance — all refused, the right one too', async () => {
    const shared = memoryState().limits;
    const elsewhere = new AdminTokenGuard(TOKEN, shared);
    const c = caller('1.1.1.1');
    const before = await Promise.all(Array.from({ length: 15 }, (_, i) => elsewhere.judge(`guess-${i}`, c, 1000 + i)));
    expect(before.filter((v) => !v.trusted && !v.refused)).toHaveLength(5); // a burst is counted before it is compared
    const fresh = new AdminTokenGuard(TOKEN, shared);
    const burst = await Promise.all([...['w1', 'w2', 'w3', 'w4'].map((g) => fresh.judge(g, c, 2000)), fresh.judge(TOKEN, c, 2000)]);
    for (const verdict of burst) expect(verdict).toMatchObject({ trusted: false, refused: { rule: 'policy.rate-admin-token' } });
    // Refusals took no shared slot: the window still holds the first 5 failures only.
    expect(await shared.peek({ key: 'admin-token:ip:1.1.1.1', limit: ADMIN_TOKEN_FAILURES, windowMs: ADMIN_TOKEN_WINDOW_MS }, 2000)).toMatchObject({ used: 5 });
  });

  it('a burst on one fresh instance is reserved before it is compared: with 3 failures shared, only 2 of 6 simultaneous guesses are compared', async () => {
    const shared = memoryState().limits;
    const c = caller('1.1.1.1');
    const elsewhere = new AdminTokenGuard(TOKEN, shared);
    for (let i = 0; i < 3; i++) await elsewhere.judge(`guess-${i}`, c, i);
    const fresh = new AdminTokenGuard(TOKEN, shared);
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => fresh.judge(`burst-${i}`, c, 10)));
    expect(burst.filter((v) => !v.trusted && !v.refused)).toHaveLength(2);
    expect((await shared.peek({ key: 'admin-token:ip:1.1.1.1', limit: ADMIN_TOKEN_FAILURES, windowMs: ADMIN_TOKEN_WINDOW_MS }, 10)).used).toBe(5);
  });

  it('the right token gives back its reservation: an admin using it all day is never throttled', async () => {
    const shared = memoryState().limits;
    const guard = new AdminTokenGuard(TOKEN, shared);
    const c = caller('1.1.1.1');
    await guard.judge('typo', c, 0);
    for (let i = 0; i < 50; i++)
      expect(await Promise.all([guard.judge(TOKEN, c, i), guard.judge(TOKEN, c, i)])).toEqual([{ trusted: true }, { trusted: true }]);
  });

  it('with no usable token configured nothing is trusted, and guesses still count', async () => {
    const guard = new AdminTokenGuard(undefined);
    for (let i = 0; i < 5; i++) expect(await guard.judge('', caller('1.1.1.1'), 0)).toEqual({ trusted: false });
    expect(await guard.judge('anything', caller('1.1.1.1'), 0)).toMatchObject({ trusted: false, refused: { rule: 'policy.rate-admin-token' } });
  });
});

describe('weak admin tokens', () => {
  it.each([
    ['change-me', 'example value'],
    ['CHANGE-ME-please-0123456789', 'example value'],
    ['your-admin-token', 'example value'],
    ['genscheme-admin-token', 'example value'],
    ['tok-123', 'it has 7 characters; at least 16 are needed'],
    ['a1b2c3d4e5f6g7h', 'it has 15 characters'],
    ['abababababababababababab', 'too few distinct characters'],
  ])('%s is weak (%s)', (token, reason) => {
    expect(weakTokenReason(token)).toContain(reason);
  });

  it('a long random token is fine', async () => {
    expect(ADMIN_TOKEN_MIN_LENGTH).toBe(16);
    expect(weakTokenReason('k7Qp2-Wz9xLm4Rt8')).toBeNull();
    expect(weakTokenReason('3f9a1c7e5b2d8046a1c3e5f7')).toBeNull();
  });
});

function memoryState() {
  return createState({ mode: 'memory', clock: { now: () => 0, setTimer: () => () => undefined }, log: () => undefined });
}
