/**
 * The behaviour every adapter of each state port must show (unstorage-style driver suites), one
 * suite per port: run by memory.test.ts (memory adapters) and database.emulator.test.ts (the
 * database adapters, and the same wrapped in the fallbacks of fallback.ts) with the same cases.
 */
import type { CountersPort, LimitsPort, LinkStorePort, StableLinkConfig, StableLinkStore, StoredLink, Target } from '../../cloudfunctions/genScheme/src/state';

/** 2026-11-25 12:00:00 China time (04:00 UTC). */
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
const T0_S = T0 / 1000;
/** 2026-11-25 23:59:59.000 China time = 15:59:59 UTC. */
const LAST_SECOND_OF_DAY = Date.UTC(2026, 10, 25, 15, 59, 59);
const MIDNIGHT_CHINA = LAST_SECOND_OF_DAY + 1000;

type Make<T> = () => Promise<T> | T;

const page: Target = { kind: 'scheme', path: 'pages/product/detail', query: 'id=42', envVersion: 'release' };
const link = (t: string, expireTime: number, createTime = T0_S): StoredLink => ({ link: `weixin://dl/business/?t=${t}`, expireTime, createTime });

// --- LimitsPort ---

export function limitsContract(name: string, make: Make<LimitsPort>): void {
  describe(`LimitsPort contract: ${name}`, () => {
    let limits: LimitsPort;
    beforeEach(async () => {
      limits = await make();
    });

    describe('admit: a sliding window', () => {
      it('admits exactly `limit` in the window, then says how long until the oldest leaves it', async () => {
        const w = { key: 'user:oA', limit: 3, windowMs: 1000 };
        expect(await limits.admit(w, T0)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 100)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 200)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 500)).toEqual({ ok: false, retryAfterMs: 500 });
        expect(await limits.admit(w, T0 + 999)).toEqual({ ok: false, retryAfterMs: 1 });
        // T0 leaves the window at T0 + 1000: one slot, then full until T0 + 100 leaves.
        expect(await limits.admit(w, T0 + 1000)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 1001)).toEqual({ ok: false, retryAfterMs: 99 });
        expect(await limits.admit(w, T0 + 1100)).toEqual({ ok: true });
      });

      it('is not a counter per calendar second: a burst at the end of one second still counts in the next', async () => {
        const w = { key: 'pace:generate', limit: 2, windowMs: 1000 };
        expect(await limits.admit(w, T0 + 900)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 950)).toEqual({ ok: true });
        expect(await limits.admit(w, T0 + 1100)).toEqual({ ok: false, retryAfterMs: 800 });
        expect(await limits.admit(w, T0 + 1900)).toEqual({ ok: true });
      });

      it('a denied call takes no slot', async () => {
        const w = { key: 'ip:203.0.113.9', limit: 1, windowMs: 60_000 };
        expect((await limits.admit(w, T0)).ok).toBe(true);
        for (let i = 1; i <= 5; i++) expect(await limits.admit(w, T0 + i * 10_000)).toEqual({ ok: false, retryAfterMs: 60_000 - i * 10_000 });
        expect((await limits.admit(w, T0 + 60_000)).ok).toBe(true);
      });

      it('keys are independent, and so are other limits or windows on one key', async () => {
        const a = { key: 'user:oA', limit: 1, windowMs: 60_000 };
        expect((await limits.admit(a, T0)).ok).toBe(true);
        expect((await limits.admit(a, T0 + 1)).ok).toBe(false);
        expect((await limits.admit({ ...a, key: 'user:oB' }, T0 + 2)).ok).toBe(true);
        expect((await limits.admit({ ...a, key: 'ip:1.2.3.4' }, T0 + 3)).ok).toBe(true);
        expect((await limits.admit({ ...a, limit: 2 }, T0 + 4)).ok).toBe(true);
        expect((await limits.admit({ ...a, windowMs: 1000 }, T0 + 5)).ok).toBe(true);
        expect((await limits.admit(a, T0 + 6)).ok).toBe(false);
      });

      it('limit 0 admits nothing', async () => {
        expect(await limits.admit({ key: 'user:oZ', limit: 0, windowMs: 1000 }, T0)).toEqual({ ok: false, retryAfterMs: 1000 });
      });
    });

    describe('lease: a block of slots in one step', () => {
      const w = { key: 'pace:generate', limit: 5, windowMs: 1000 };

      it('grants every slot asked for while enough are free', async () => {
        expect(await limits.lease(w, 3, T0)).toEqual({ granted: 3, retryAfterMs: 0 });
        expect(await limits.lease(w, 2, T0 + 10)).toEqual({ granted: 2, retryAfterMs: 0 });
      });

      it('grants fewer when fewer are free, then 0 with the wait until the oldest slot leaves', async () => {
        expect(await limits.lease(w, 3, T0)).toEqual({ granted: 3, retryAfterMs: 0 });
        expect(await limits.lease(w, 3, T0 + 10)).toEqual({ granted: 2, retryAfterMs: 0 });
        expect(await limits.lease(w, 1, T0 + 20)).toEqual({ granted: 0, retryAfterMs: 980 });
        expect(await limits.lease(w, 4, T0 + 999)).toEqual({ granted: 0, retryAfterMs: 1 });
        // The three taken at T0 leave the window at T0 + 1000: three, not the five asked for.
        expect(await limits.lease(w, 5, T0 + 1000)).toEqual({ granted: 3, retryAfterMs: 0 });
        expect(await limits.lease(w, 1, T0 + 1001)).toEqual({ granted: 0, retryAfterMs: 9 });
      });

      it('never grants more than the limit, and shares the window with admit', async () => {
        expect((await limits.lease(w, 50, T0)).granted).toBe(5);
        expect(await limits.admit(w, T0 + 1)).toEqual({ ok: false, retryAfterMs: 999 });
        expect(await limits.admit(w, T0 + 1000)).toEqual({ ok: true });
        expect(await limits.lease(w, 5, T0 + 1001)).toEqual({ granted: 4, retryAfterMs: 0 });
        expect((await limits.lease(w, 1, T0 + 1002)).granted).toBe(0);
      });

      it('a lease of 0, or on a limit of 0, grants nothing', async () => {
        expect((await limits.lease(w, 0, T0)).granted).toBe(0);
        expect((await limits.lease({ ...w, limit: 0 }, 3, T0)).granted).toBe(0);
        // Nothing was taken by either.
        expect((await limits.lease(w, 5, T0)).granted).toBe(5);
      });
    });

    describe('takeFromPeriod: a ceiling per period aligned to the epoch', () => {
      const q = { key: 'resolve-all', limit: 5, periodMs: 60_000 };

      it('grants up to what is left of the period, then 0; the next period starts afresh', async () => {
        expect(T0 % 60_000).toBe(0);
        expect(await limits.takeFromPeriod(q, 3, T0)).toBe(3);
        expect(await limits.takeFromPeriod(q, 3, T0 + 10)).toBe(2);
        expect(await limits.takeFromPeriod(q, 1, T0 + 59_999)).toBe(0);
        expect(await limits.takeFromPeriod(q, 9, T0 + 60_000)).toBe(5);
        expect(await limits.takeFromPeriod({ ...q, key: 'other' }, 1, T0 + 60_000)).toBe(1);
      });

      it('0 asked or a limit of 0: nothing', async () => {
        expect(await limits.takeFromPeriod(q, 0, T0)).toBe(0);
        expect(await limits.takeFromPeriod({ ...q, limit: 0 }, 2, T0)).toBe(0);
        expect(await limits.takeFromPeriod(q, 5, T0)).toBe(5);
      });
    });

    it('heartbeat counts at least this instance', async () => {
      expect(await limits.heartbeat('instance-a', T0)).toBeGreaterThanOrEqual(1);
      expect(await limits.heartbeat('instance-a', T0 + 1000)).toBeGreaterThanOrEqual(1);
    });
  });
}

// --- LinkStorePort ---

export function linksContract(name: string, make: Make<LinkStorePort>): void {
  describe(`LinkStorePort contract: ${name}`, () => {
    let links: LinkStorePort;
    const e1 = T0_S + 10 * 86_400;
    const e2 = T0_S + 20 * 86_400;
    const e3 = T0_S + 30 * 86_400;
    beforeEach(async () => {
      links = await make();
      await links.saveLink(page, link('Ten00000000000', e1));
      await links.saveLink(page, link('Twenty00000000', e2));
      await links.saveLink(page, link('Thirty00000000', e3));
    });

    it('gives the latest-expiring link within [min, max], bounds included', async () => {
      expect(await links.findLink(page, e1, e3, T0)).toEqual(link('Thirty00000000', e3));
      expect(await links.findLink(page, e1, e3 - 1, T0)).toEqual(link('Twenty00000000', e2));
      expect(await links.findLink(page, e1, e2, T0)).toEqual(link('Twenty00000000', e2));
      expect(await links.findLink(page, e1, e1, T0)).toEqual(link('Ten00000000000', e1));
      expect(await links.findLink(page, e3, e3, T0)).toEqual(link('Thirty00000000', e3));
    });

    it('never a link outside the bounds', async () => {
      expect(await links.findLink(page, e1 + 1, e2 - 1, T0)).toBeNull();
      expect(await links.findLink(page, e3 + 1, e3 + 86_400, T0)).toBeNull();
      expect(await links.findLink(page, T0_S, e1 - 1, T0)).toBeNull();
      expect(await links.findLink(page, e3, e1, T0)).toBeNull();
    });

    it('never mixes kinds, env versions, paths or queries', async () => {
      expect(await links.findLink({ ...page, kind: 'urllink' }, e1, e3, T0)).toBeNull();
      expect(await links.findLink({ ...page, envVersion: 'trial' }, e1, e3, T0)).toBeNull();
      expect(await links.findLink({ ...page, envVersion: 'develop' }, e1, e3, T0)).toBeNull();
      expect(await links.findLink({ ...page, query: 'id=43' }, e1, e3, T0)).toBeNull();
      expect(await links.findLink({ ...page, query: '' }, e1, e3, T0)).toBeNull();
      expect(await links.findLink({ ...page, path: 'pages/index/index' }, e1, e3, T0)).toBeNull();
      const trial = { ...page, envVersion: 'trial' };
      await links.saveLink(trial, link('Trial000000000', e2));
      expect(await links.findLink(trial, e1, e3, T0)).toEqual(link('Trial000000000', e2));
      expect(await links.findLink(page, e1, e2, T0)).toEqual(link('Twenty00000000', e2));
    });

    it('never an expired link, whatever the bounds', async () => {
      // Time only moves forward here: an adapter may drop what has expired.
      expect(await links.findLink(page, 0, e1, e1 * 1000 - 1000)).toEqual(link('Ten00000000000', e1));
      expect(await links.findLink(page, 0, e1, e1 * 1000)).toBeNull();
      expect(await links.findLink(page, 0, e1, (e1 + 1) * 1000)).toBeNull();
      expect(await links.findLink(page, 0, e2, (e1 + 1) * 1000)).toEqual(link('Twenty00000000', e2));
      expect(await links.findLink(page, 0, e3, (e3 + 1) * 1000)).toBeNull();
    });

    it('saving the same link again keeps one', async () => {
      await links.saveLink(page, link('Twenty00000000', e2));
      expect(await links.findLink(page, e2, e2, T0)).toEqual(link('Twenty00000000', e2));
    });

    it('nothing stored for a target: null', async () => {
      expect(await links.findLink({ kind: 'scheme', path: 'pages/other/other', query: 'x=1', envVersion: 'release' }, 0, e3, T0)).toBeNull();
    });
  });
}

// --- StableLinkStore ---

export const stableConfig = (code: string): StableLinkConfig => ({
  code,
  name: 'Spring',
  kind: 'scheme',
  path: 'pages/product/detail',
  query: 'id=1',
  envVersion: 'release',
  cq: 'src=sms',
  disabled: false,
  createdAt: '2026-11-25T04:00:00.000Z',
});

export function stableLinksContract(name: string, make: Make<StableLinkStore>): void {
  describe(`StableLinkStore contract: ${name}`, () => {
    let store: StableLinkStore;
    beforeEach(async () => {
      store = await make();
    });

    it('creates a link once by code: a taken code says so; reads and lists it', async () => {
      expect(await store.getStableLink('spring')).toBeNull();
      expect(await store.listStableLinks()).toEqual([]);
      expect(await store.createStableLink(stableConfig('spring'))).toBe('created');
      expect(await store.createStableLink({ ...stableConfig('spring'), name: 'other' })).toBe('taken');
      expect(await store.createStableLink(stableConfig('autumn'))).toBe('created');
      expect(await store.getStableLink('spring')).toEqual({ ...stableConfig('spring'), ticket: null, linkCode: null, revision: 0 });
      expect((await store.listStableLinks()).map((l) => [l.code, l.name, l.revision, l.ticket])).toEqual([
        ['autumn', 'Spring', 0, null],
        ['spring', 'Spring', 0, null],
      ]);
    });

    it("keeps a link's 小程序码 (linkCode) whole, replaces it whole, and keeps it across a target change", async () => {
      await store.createStableLink(stableConfig('coded'));
      const code = {
        fileID: 'cloud://env.bucket/genscheme/codes/coded.png',
        scene: 'l=coded',
        page: 'pages/code/index',
        envVersion: 'release',
        width: 430,
        lineColor: '',
        isHyaline: false,
        createdAt: '2026-11-29T09:00:00.000Z',
      };
      expect((await store.updateStableLink('coded', { linkCode: code }))?.linkCode).toEqual(code);
      const wider = { ...code, width: 600, lineColor: '1,2,3', isHyaline: true };
      await store.updateStableLink('coded', { linkCode: wider });
      expect((await store.getStableLink('coded'))?.linkCode).toEqual(wider);
      await store.updateStableLink('coded', { path: 'pages/order/list' });
      expect((await store.getStableLink('coded'))?.linkCode).toEqual(wider);
    });

    it('one claim at a time: exactly one claimant until the claim lapses or the ticket is saved', async () => {
      await store.createStableLink(stableConfig('claim'));
      expect(await store.claimRenewal('claim', T0, 5000)).toBe(true);
      expect(await store.claimRenewal('claim', T0 + 1, 5000)).toBe(false);
      expect(await store.claimRenewal('claim', T0 + 5000, 5000)).toBe(false);
      expect(await store.claimRenewal('claim', T0 + 5001, 5000)).toBe(true);
      const ticket = link('NewTicket', T0_S + 30 * 86400);
      expect(await store.saveTicket('claim', 0, ticket)).toBe(true);
      expect((await store.getStableLink('claim'))?.ticket).toEqual(ticket);
      expect(await store.claimRenewal('claim', T0 + 5002, 5000)).toBe(true); // saving released it
      expect(await store.claimRenewal('nobody', T0, 5000)).toBe(false);
    });

    it('a claim made with the ticket it read fails once another ticket was saved meanwhile (no second renewal)', async () => {
      await store.createStableLink(stableConfig('seen'));
      // Two instances read the link with no ticket; one claims, renews and saves (which releases its claim).
      expect(await store.claimRenewal('seen', T0, 5000, null)).toBe(true);
      const ticket = link('SavedFirst', T0_S + 30 * 86400);
      expect(await store.saveTicket('seen', 0, ticket)).toBe(true);
      // The other, still holding the read without a ticket, may not claim: it reads again instead.
      expect(await store.claimRenewal('seen', T0 + 10, 5000, null)).toBe(false);
      // Claiming with the ticket now stored (its renewal window come) is allowed.
      expect(await store.claimRenewal('seen', T0 + 20, 5000, ticket.link)).toBe(true);
    });

    it('claims made together: exactly one wins', async () => {
      await store.createStableLink(stableConfig('race'));
      const claims = await Promise.all(Array.from({ length: 5 }, () => store.claimRenewal('race', T0, 5000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('saveTicket is safe to repeat, and refused for another revision or an unknown code', async () => {
      await store.createStableLink(stableConfig('again'));
      const ticket = link('Once', T0_S + 86400);
      expect(await store.saveTicket('again', 0, ticket)).toBe(true);
      expect(await store.saveTicket('again', 0, ticket)).toBe(true);
      expect((await store.getStableLink('again'))?.ticket).toEqual(ticket);
      expect(await store.saveTicket('again', 1, link('Future', T0_S + 86400))).toBe(false);
      expect((await store.getStableLink('again'))?.ticket).toEqual(ticket);
      expect(await store.saveTicket('ghost', 0, ticket)).toBe(false);
    });

    it('a target change drops the ticket and bumps the revision; a renewal for the old revision is not saved', async () => {
      await store.createStableLink(stableConfig('move'));
      await store.saveTicket('move', 0, link('T1', T0_S + 86400));
      const renamed = await store.updateStableLink('move', { name: 'Renamed', cq: 'wave=2' });
      expect(renamed).toMatchObject({ name: 'Renamed', cq: 'wave=2', revision: 0, ticket: { link: 'weixin://dl/business/?t=T1' } });
      // The same target again is no change of target.
      expect(await store.updateStableLink('move', { path: 'pages/product/detail' })).toMatchObject({
        revision: 0,
        ticket: { link: 'weixin://dl/business/?t=T1' },
      });
      const moved = await store.updateStableLink('move', { path: 'pages/index/index', query: '' });
      expect(moved).toMatchObject({ path: 'pages/index/index', query: '', revision: 1, ticket: null });
      expect(await store.getStableLink('move')).toMatchObject({
        name: 'Renamed',
        cq: 'wave=2',
        path: 'pages/index/index',
        query: '',
        revision: 1,
        ticket: null,
      });
      expect(await store.saveTicket('move', 0, link('Stale', T0_S + 86400))).toBe(false);
      expect((await store.getStableLink('move'))?.ticket).toBeNull();
      expect(await store.saveTicket('move', 1, link('Fresh', T0_S + 86400))).toBe(true);
      expect(await store.updateStableLink('move', { envVersion: 'trial' })).toMatchObject({ envVersion: 'trial', revision: 2, ticket: null });
      expect(await store.updateStableLink('move', { disabled: true })).toMatchObject({ disabled: true, revision: 2 });
      expect(await store.getStableLink('move')).toMatchObject({ disabled: true, revision: 2 });
      expect(await store.updateStableLink('ghost', { disabled: true })).toBeNull();
    });

    it('updates made together are all applied: none overwrites another', async () => {
      await store.createStableLink(stableConfig('both'));
      await Promise.all([
        store.updateStableLink('both', { name: 'N' }),
        store.updateStableLink('both', { cq: 'c=1' }),
        store.updateStableLink('both', { disabled: true }),
      ]);
      expect(await store.getStableLink('both')).toMatchObject({ name: 'N', cq: 'c=1', disabled: true });
    });
  });
}

// --- CountersPort ---

export interface CountersHarness {
  /** Fresh counters over empty state; `peer` (when the counts are shared) is another instance over the same store. */
  make(): Promise<{ counters: CountersPort; peer?: CountersPort }> | { counters: CountersPort; peer?: CountersPort };
}

export function countersContract(name: string, harness: CountersHarness): void {
  describe(`CountersPort contract: ${name}`, () => {
    let counters: CountersPort;
    let peer: CountersPort | undefined;
    beforeEach(async () => {
      ({ counters, peer } = await harness.make());
    });
    /** What this instance counted, written (a database adapter writes in the background). */
    const flushed = () => counters.flush(Date.now() + 5000);
    /** Today's generations as this instance and (when shared) another one read them: they agree. */
    const today = async (nowMs: number) => {
      await flushed();
      const own = await counters.generatedToday(nowMs);
      if (peer) expect(await peer.generatedToday(nowMs)).toBe(own);
      return own;
    };

    it('starts at 0 and counts each generation', async () => {
      expect(await today(T0)).toBe(0);
      counters.countGeneration(T0);
      counters.countGeneration(T0 + 1);
      counters.countGeneration(T0 + 2);
      expect(await today(T0 + 3)).toBe(3);
      counters.countGeneration(T0 + 4);
      expect(await today(T0 + 5)).toBe(4);
    });

    it('a new day starts at 00:00:00 China time, not at UTC midnight', async () => {
      // UTC midnight (08:00 China) is inside one China day.
      const utcMidnight = Date.UTC(2026, 10, 25, 0, 0, 0);
      counters.countGeneration(utcMidnight - 1);
      counters.countGeneration(utcMidnight);
      expect(await today(utcMidnight)).toBe(2);
      counters.countGeneration(LAST_SECOND_OF_DAY);
      counters.countGeneration(LAST_SECOND_OF_DAY + 999);
      expect(await today(LAST_SECOND_OF_DAY + 999)).toBe(4);
      expect(await today(MIDNIGHT_CHINA)).toBe(0);
      counters.countGeneration(MIDNIGHT_CHINA);
      expect(await today(MIDNIGHT_CHINA)).toBe(1);
      // The day before is still what it was.
      expect(await today(LAST_SECOND_OF_DAY)).toBe(4);
    });

    it('counts visits and opens per China day, openers once per day each; totals add the days up', async () => {
      counters.countVisit('a', T0);
      counters.countVisit('a', T0 + 1);
      counters.countOpen('a', 'u1', T0);
      counters.countOpen('a', 'u1', T0 + 2);
      counters.countOpen('a', 'u2', T0 + 3);
      counters.countOpen('a', undefined, T0 + 4);
      counters.countVisit('a', MIDNIGHT_CHINA);
      counters.countOpen('a', 'u1', MIDNIGHT_CHINA);
      counters.countVisit('b', T0);
      counters.countOpen('b', 'u1', T0);
      await flushed();
      const expected = [
        { date: '2026-11-24', visits: 0, opens: 0, openers: 0 },
        { date: '2026-11-25', visits: 2, opens: 4, openers: 2 },
        { date: '2026-11-26', visits: 1, opens: 1, openers: 1 },
      ];
      const dates = ['2026-11-24', '2026-11-25', '2026-11-26'];
      expect(await counters.stableLinkDays('a', dates)).toEqual(expected);
      // In the order asked for.
      expect((await counters.stableLinkDays('a', ['2026-11-26', '2026-11-25'])).map((d) => d.date)).toEqual(['2026-11-26', '2026-11-25']);
      expect(await counters.stableLinkDays('b', ['2026-11-25'])).toEqual([{ date: '2026-11-25', visits: 1, opens: 1, openers: 1 }]);
      const totals = await counters.stableLinkTotals();
      expect(totals.get('a')).toEqual({ visits: 3, opens: 5 });
      expect(totals.get('b')).toEqual({ visits: 1, opens: 1 });
      expect(totals.has('c')).toBe(false);
      if (peer) {
        expect(await peer.stableLinkDays('a', dates)).toEqual(expected);
        expect(await peer.stableLinkTotals()).toEqual(totals);
      }
    });

    it('an opener counted by two instances on one day is one opener', async () => {
      counters.countOpen('shared', 'u1', T0);
      peer?.countOpen('shared', 'u1', T0 + 1);
      peer?.countOpen('shared', 'u2', T0 + 2);
      await flushed();
      await peer?.flush(Date.now() + 5000);
      const [day] = await counters.stableLinkDays('shared', ['2026-11-25']);
      expect(day).toEqual(peer ? { date: '2026-11-25', visits: 0, opens: 3, openers: 2 } : { date: '2026-11-25', visits: 0, opens: 1, openers: 1 });
    });
  });
}
