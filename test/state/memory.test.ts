import fc from 'fast-check';
import { createMemoryState, MemoryState } from '../../cloudfunctions/genScheme/src/state';
import { stateContract, T0 } from './contract';

stateContract('memory', { make: () => createMemoryState() });

describe('memory adapter', () => {
  it('matches an exact sliding window on any sequence of calls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2000 }), fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }), (limit, windowMs, gaps) => {
        const state = new MemoryState();
        const admitted: number[] = [];
        let now = T0;
        for (const gap of gaps) {
          now += gap;
          const inWindow = admitted.filter((t) => t > now - windowMs);
          const expected = inWindow.length < limit;
          const got = state.admitNow({ key: 'k', limit, windowMs }, now);
          expect(got.ok).toBe(expected);
          if (got.ok) admitted.push(now);
          else expect(got.retryAfterMs).toBe(inWindow[inWindow.length - limit] + windowMs - now || 1);
        }
      }),
    );
  });

  it('memory stays flat: idle windows and expired links are swept', async () => {
    const state = new MemoryState();
    for (let i = 0; i < 5000; i++) await state.admit({ key: `ip:10.0.${i >> 8}.${i & 255}`, limit: 20, windowMs: 60_000 }, T0 + i);
    for (let i = 0; i < 500; i++) await state.saveLink({ kind: 'scheme', path: 'pages/p', query: `id=${i}`, envVersion: 'release' }, { link: `l${i}`, expireTime: T0 / 1000 + 60, createTime: T0 / 1000 });
    expect(state.size).toEqual({ windows: 5000, targets: 500 });
    await state.admit({ key: 'user:late', limit: 20, windowMs: 60_000 }, T0 + 10 * 60_000);
    expect(state.size).toEqual({ windows: 1, targets: 0 });
  });

  it('keeps a bounded number of links per target, the latest-expiring ones', async () => {
    const state = new MemoryState();
    const target = { kind: 'scheme' as const, path: 'pages/p', query: '', envVersion: 'release' };
    for (let i = 1; i <= 50; i++) await state.saveLink(target, { link: `l${i}`, expireTime: T0 / 1000 + i * 3600, createTime: T0 / 1000 });
    expect(await state.findLink(target, 0, Infinity, T0)).toMatchObject({ link: 'l50' });
    expect(await state.findLink(target, 0, T0 / 1000 + 3600, T0)).toBeNull();
  });
});
