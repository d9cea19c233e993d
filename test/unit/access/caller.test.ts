/** Who is calling, from cloud.getWXContext() (src/access/caller.ts). */
import { callerKey, classify, hashOpenid, lastHop, tokenMatches } from '../../../cloudfunctions/genScheme/src/access/caller';

describe('caller classes', () => {
  const admins = ['oAdmin'];

  it.each([
    [{ SOURCE: 'scf' }, 'trusted', 'source:scf'],
    [{ SOURCE: 'wx_client,scf', OPENID: 'oUser' }, 'trusted', 'source:scf'],
    [{ SOURCE: 'wx_trigger' }, 'trusted', 'source:wx_trigger'],
    [{ SOURCE: 'wx_client', OPENID: 'oAdmin' }, 'trusted', 'admin-openid'],
    [{ SOURCE: 'wx_client', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'wx_devtools', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'scf,wx_client', OPENID: 'oUser' }, 'user', 'openid'],
    [{ SOURCE: 'wx_http' }, 'public', 'no-openid'],
    [{ SOURCE: 'wx_unknown' }, 'public', 'no-openid'],
    [{ SOURCE: 'wx_crawler' }, 'public', 'no-openid'],
    [{ SOURCE: 'web' }, 'public', 'no-openid'],
    [{ SOURCE: 'wx_client', OPENID: '' }, 'public', 'no-openid'],
    [{}, 'public', 'no-openid'],
  ])('%j is %s (%s)', (ctx, cls, reason) => {
    expect(classify(ctx, admins)).toMatchObject({ class: cls, reason });
  });

  it('a context field counts only when it is a non-empty string', () => {
    expect(classify({ SOURCE: 42 as unknown as string, OPENID: { x: 1 } as unknown as string }, admins)).toMatchObject({ class: 'public', source: '' });
  });

  it('keeps the OPENID only as a short hash', () => {
    const caller = classify({ OPENID: 'oSecretOpenid' }, []);
    expect(caller.openidHash).toBe(hashOpenid('oSecretOpenid'));
    expect(caller.openidHash).toHaveLength(12);
    expect(JSON.stringify(caller)).not.toContain('oSecretOpenid');
  });

  it('keeps the IP (v4, else v6 as its /64) and the APPID', () => {
    expect(classify({ CLIENTIP: '203.0.113.9', APPID: 'wx1' }, [])).toMatchObject({ ip: '203.0.113.9', appid: 'wx1' });
    expect(classify({ CLIENTIPV6: '2001:db8::1' }, [])).toMatchObject({ ip: '2001:db8:0:0::/64' });
  });

  it('reads the last hop of SOURCE', () => {
    expect(lastHop('wx_client, scf')).toBe('scf');
    expect(lastHop('')).toBe('');
    expect(lastHop(undefined)).toBe('');
  });

  it('counts limits by OPENID hash, else IP, else one shared key', () => {
    expect(callerKey(classify({ OPENID: 'o1', CLIENTIP: '1.2.3.4' }, []))).toBe(`user:${hashOpenid('o1')}`);
    expect(callerKey(classify({ CLIENTIP: '1.2.3.4' }, []))).toBe('ip:1.2.3.4');
    expect(callerKey(classify({}, []))).toBe('anonymous');
  });
});

describe('admin token comparison', () => {
  it('only the exact token matches — not a prefix, not a longer one, not another case; nothing matches when none is set', () => {
    expect(tokenMatches('the-token', 'the-token')).toBe(true);
    for (const wrong of ['the-toke', 'the-token ', ' the-token', 'THE-TOKEN', 'the-token\n', 'x', '']) expect(tokenMatches(wrong, 'the-token')).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
    expect(tokenMatches(undefined, undefined)).toBe(false);
    expect(tokenMatches('x', undefined)).toBe(false);
  });

  it('compares with crypto.timingSafeEqual (constant time), never with ===', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const crypto = require('crypto') as typeof import('crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(tokenMatches('a-guess', 'the-token')).toBe(false);
      expect(tokenMatches('the-token', 'the-token')).toBe(true);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('a', 'a-much-longer-token')).toBe(false);
    expect(tokenMatches('a-much-longer-token', 'a-much-longer-token')).toBe(true);
  });
});

describe('OPENID hash with GENSCHEME_STATE_SECRET', () => {
  it('is an HMAC under the secret: another secret, another hash; none, the plain one', () => {
    const keyed = hashOpenid('oUser', 'secret-one');
    expect(keyed).toHaveLength(12);
    expect(keyed).not.toBe(hashOpenid('oUser'));
    expect(keyed).not.toBe(hashOpenid('oUser', 'secret-two'));
    expect(classify({ OPENID: 'oUser' }, [], 'secret-one').openidHash).toBe(keyed);
    expect(classify({ OPENID: 'oUser' }, []).openidHash).toBe(hashOpenid('oUser'));
  });
});
