/** The per-instance pacer (src/wechat/pacer.ts): a call holds its slot from send until one window after its answer. */
import { Pacer } from '../../../cloudfunctions/genScheme/src/wechat/pacer';

describe('Pacer', () => {
  it('gives `limit` slots, then says when the oldest answered one frees up', () => {
    const pacer = new Pacer(3, 1000);
    for (let i = 0; i < 3; i++) expect(pacer.acquire(0)).toEqual({ ok: true });
    expect(pacer.acquire(0)).toEqual({ ok: false, retryAfterMs: 20 }); // all in flight: poll soon
    pacer.release(100);
    pacer.release(200);
    pacer.release(300);
    expect(pacer.acquire(300)).toEqual({ ok: false, retryAfterMs: 800 });
    expect(pacer.acquire(1099)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(pacer.acquire(1100)).toEqual({ ok: true });
    expect(pacer.acquire(1100)).toEqual({ ok: false, retryAfterMs: 100 });
  });

  it('a slow answer keeps its slot from send until a window after the answer', () => {
    const pacer = new Pacer(1, 1000);
    expect(pacer.acquire(0).ok).toBe(true);
    expect(pacer.acquire(5000)).toEqual({ ok: false, retryAfterMs: 20 });
    pacer.release(5000);
    expect(pacer.acquire(5999).ok).toBe(false);
    expect(pacer.acquire(6000).ok).toBe(true);
  });

  it('never waits less than 1 ms and a stray release does not go below zero in flight', () => {
    const pacer = new Pacer(1, 1000);
    pacer.release(0);
    pacer.release(0);
    expect(pacer.acquire(999)).toEqual({ ok: false, retryAfterMs: 1 });
  });
});
