/** The platform's generation limits (platform-rules §5) on the emulator's injectable clock. */
import { useEmulator } from './support';

describe('100 generate calls per second → 44990', () => {
  const h = useEmulator();

  it('refuses the 101st call within one second, and admits again a second later', async () => {
    const results = await Promise.allSettled(Array.from({ length: 105 }, () => h.fn.invoke({})));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
    expect(refused).toHaveLength(5);
    for (const e of refused) expect(e).toMatchObject({ errCode: 44990, errMsg: expect.stringContaining('api freq out of limit') });

    h.clock.now += 999; // the window slides: the burst is still inside it
    await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 44990 });
    h.clock.now += 1;
    await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  });
});

describe('a configured rate', () => {
  const h = useEmulator({ ratePerSecond: 5 });

  it('applies ratePerSecond, and does not count urlscheme.query calls', async () => {
    const { openlink } = await h.fn.invoke({});
    for (let i = 0; i < 10; i++) await h.fn.invoke({ api: 'query', scheme: openlink });
    for (let i = 0; i < 4; i++) await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
    await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 44990 });
  });
});

describe('daily cap → 44993', () => {
  const h = useEmulator({ dailyCap: 3 });

  it('refuses once the day’s links are issued, until the next Beijing day', async () => {
    for (let i = 0; i < 3; i++) await h.fn.invoke({});
    await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 44993, errMsg: expect.stringContaining('reach max daily quota limit') });

    // T0 is 12:00 Beijing time; 11 h 59 min later it is still the same day.
    h.clock.now += (11 * 60 + 59) * 60_000;
    await expect(h.fn.invoke({})).rejects.toMatchObject({ errCode: 44993 });
    h.clock.now += 60_000; // 00:00 Beijing
    await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  });

  it('counts only links actually issued', async () => {
    for (let i = 0; i < 5; i++) await h.fn.invoke({ jumpWxa: { path: 'pages/nope' } }).catch(() => undefined);
    for (let i = 0; i < 3; i++) await expect(h.fn.invoke({})).resolves.toMatchObject({ errCode: 0 });
  });
});
