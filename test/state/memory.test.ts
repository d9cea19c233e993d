import fc from 'fast-check';
import { createState, MemoryLimits, MemoryLinks, MemoryStableLinks } from '../../cloudfunctions/genScheme/src/state';
import { FakeClock } from '../support/fake-clock';
import { countersContract, limitsContract, linksContract, stableLinksContract, T0 } from './contract';

const memoryState = () => createState({ mode: 'memory', clock: new FakeClock(T0), log: () => undefined });

limitsContract('memory', () => new MemoryLimits());
linksContract('memory', () => new MemoryLinks());
stableLinksContract('memory', () => new MemoryStableLinks());
countersContract('memory (no store)', { make: () => ({ counters: memoryState().counters }) });

describe('memory state', () => {
  it('createState memory: the memory adapters, not shared', () => {
    const state = memoryState();
    expect(state.mode).toBe('memory');
    expect(state.limits).toBeInstanceOf(MemoryLimits);
    expect(state.limits.shared).toBe(false);
    expect(state.links).toBeInstanceOf(MemoryLinks);
    expect(state.stableLinks).toBeInstanceOf(MemoryStableLinks);
  });

  it('one instance knows only itself', async () => {
    expect(await new MemoryLimits().heartbeat()).toBe(1);
  });
});

describe('memory adapters', () => {
  it('admit matches an exact sliding window on any sequence of calls', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }),
        (limit, windowMs, gaps) => {
          const limits = new MemoryLimits();
          const admitted: number[] = [];
          let now = T0;
          for (const gap of gaps) {
            now += gap;
            const inWindow = admitted.filter((t) => t > now - windowMs);
            const expected = inWindow.length < limit;
            const got = limits.admitNow({ key: 'k', limit, windowMs }, now);
            expect(got.ok).toBe(expected);
            if (got.ok) admitted.push(now);
            else expect(got.retryAfterMs).toBe(inWindow[inWindow.length - limit] + windowMs - now || 1);
          }
        },
      ),
    );
  });

  it('lease matches an exact sliding window on any sequence of block requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 10 })), { maxLength: 60 }),
        (limit, windowMs, steps) => {
          const limits = new MemoryLimits();
          const taken: number[] = [];
          let now = T0;
          for (const [gap, count] of steps) {
            now += gap;
            const inWindow = taken.filter((t) => t > now - windowMs);
            const free = limit - inWindow.length;
            const got = limits.leaseNow({ key: 'k', limit, windowMs }, count, now);
            expect(got.granted).toBe(Math.max(0, Math.min(count, free)));
            for (let i = 0; i < got.granted; i++) taken.push(now);
            if (free <= 0) expect(got.retryAfterMs).toBe(inWindow[inWindow.length - limit] + windowMs - now || 1);
          }
        },
      ),
    );
  });

  it('memory stays flat: idle windows and expired links are swept', async () => {
    const limits = new MemoryLimits();
    const links = new MemoryLinks();
    for (let i = 0; i < 5000; i++) await limits.admit({ key: `ip:10.0.${i >> 8}.${i & 255}`, limit: 20, windowMs: 60_000 }, T0 + i);
    for (let i = 0; i < 500; i++)
      await links.saveLink(
        { kind: 'scheme', path: 'pages/p', query: `id=${i}`, envVersion: 'release' },
        { link: `l${i}`, expireTime: T0 / 1000 + 60, createTime: T0 / 1000 },
      );
    expect({ windows: limits.size, targets: links.size }).toEqual({ windows: 5000, targets: 500 });
    await limits.admit({ key: 'user:late', limit: 20, windowMs: 60_000 }, T0 + 10 * 60_000);
    await links.findLink({ kind: 'scheme', path: 'pages/p', query: 'id=0', envVersion: 'release' }, 0, Infinity, T0 + 10 * 60_000);
    expect({ windows: limits.size, targets: links.size }).toEqual({ windows: 1, targets: 0 });
  });

  it('keeps a bounded number of links per target, the latest-expiring ones', async () => {
    const links = new MemoryLinks();
    const target = { kind: 'scheme' as const, path: 'pages/p', query: '', envVersion: 'release' };
    for (let i = 1; i <= 50; i++) await links.saveLink(target, { link: `l${i}`, expireTime: T0 / 1000 + i * 3600, createTime: T0 / 1000 });
    expect(await links.findLink(target, 0, Infinity, T0)).toMatchObject({ link: 'l50' });
    expect(await links.findLink(target, 0, T0 / 1000 + 3600, T0)).toBeNull();
  });

  it('sweep() removes idle windows and expired links at once', async () => {
    const state = memoryState();
    await state.limits.admit({ key: 'user:oIdle', limit: 5, windowMs: 1000 }, T0);
    await state.links.saveLink(
      { kind: 'scheme', path: 'pages/p', query: '', envVersion: 'release' },
      { link: 'old', expireTime: T0 / 1000 + 1, createTime: T0 / 1000 },
    );
    expect(await state.sweep(T0 + 2000)).toEqual({ failed: [] });
    expect((state.limits as MemoryLimits).size).toBe(0);
    expect((state.links as MemoryLinks).size).toBe(0);
  });
});
