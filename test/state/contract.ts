/**
 * The behaviour every state adapter must show (unstorage-style driver suite): run by
 * memory.test.ts and database.emulator.test.ts with the same cases.
 */
import type { StableLinkConfig, StatePort, StoredLink, Target } from '../../cloudfunctions/genScheme/src/state';

/** 2026-11-25 12:00:00 China time (04:00 UTC). */
export const T0 = Date.UTC(2026, 10, 25, 4, 0, 0);
const T0_S = T0 / 1000;
/** 2026-11-25 23:59:59.000 China time = 15:59:59 UTC. */
const LAST_SECOND_OF_DAY = Date.UTC(2026, 10, 25, 15, 59, 59);
const MIDNIGHT_CHINA = LAST_SECOND_OF_DAY + 1000;

export interface ContractHarness {
  /** A fresh adapter over empty state. */
  make(): Promise<StatePort> | StatePort;
}

const page: Target = { kind: 'scheme', path: 'pages/product/detail', query: 'id=42', envVersion: 'release' };
const link = (t: string, expireTime: number, createTime = T0_S): StoredLink => ({ link: `weixin://dl/business/?t=${t}`, expireTime, createTime });

export function stateContract(name: string, harness: ContractHarness): void {
  describe(`StatePort contract: ${name}`, () => {
    let state: StatePort;
    beforeEach(async () => {
      state = await harness.make();
    });

    describe('admit: a sliding window', () => {
      it('admits exactly `limit` in the window, then says how long until the oldest leaves it', async () => {
        const w = { key: 'user:oA', limit: 3, windowMs: 1000 };
        expect(await state.admit(w, T0)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 100)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 200)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 500)).toEqual({ ok: false, retryAfterMs: 500 });
        expect(await state.admit(w, T0 + 999)).toEqual({ ok: false, retryAfterMs: 1 });
        // T0 leaves the window at T0 + 1000: one slot, then full until T0 + 100 leaves.
        expect(await state.admit(w, T0 + 1000)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 1001)).toEqual({ ok: false, retryAfterMs: 99 });
        expect(await state.admit(w, T0 + 1100)).toEqual({ ok: true });
      });

      it('is not a counter per calendar second: a burst at the end of one second still counts in the next', async () => {
        const w = { key: 'pace:generate', limit: 2, windowMs: 1000 };
        expect(await state.admit(w, T0 + 900)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 950)).toEqual({ ok: true });
        expect(await state.admit(w, T0 + 1100)).toEqual({ ok: false, retryAfterMs: 800 });
        expect(await state.admit(w, T0 + 1900)).toEqual({ ok: true });
      });

      it('a denied call takes no slot', async () => {
        const w = { key: 'ip:203.0.113.9', limit: 1, windowMs: 60_000 };
        expect((await state.admit(w, T0)).ok).toBe(true);
        for (let i = 1; i <= 5; i++) expect(await state.admit(w, T0 + i * 10_000)).toEqual({ ok: false, retryAfterMs: 60_000 - i * 10_000 });
        expect((await state.admit(w, T0 + 60_000)).ok).toBe(true);
      });

      it('keys are independent, and so are other limits or windows on one key', async () => {
        const a = { key: 'user:oA', limit: 1, windowMs: 60_000 };
        expect((await state.admit(a, T0)).ok).toBe(true);
        expect((await state.admit(a, T0 + 1)).ok).toBe(false);
        expect((await state.admit({ ...a, key: 'user:oB' }, T0 + 2)).ok).toBe(true);
        expect((await state.admit({ ...a, key: 'ip:1.2.3.4' }, T0 + 3)).ok).toBe(true);
        expect((await state.admit({ ...a, limit: 2 }, T0 + 4)).ok).toBe(true);
        expect((await state.admit({ ...a, windowMs: 1000 }, T0 + 5)).ok).toBe(true);
        expect((await state.admit(a, T0 + 6)).ok).toBe(false);
      });

      it('limit 0 admits nothing', async () => {
        expect(await state.admit({ key: 'user:oZ', limit: 0, windowMs: 1000 }, T0)).toEqual({ ok: false, retryAfterMs: 1000 });
      });
    });

    describe("today's generations (China time, UTC+8)", () => {
      it('starts at 0 and counts each generation', async () => {
        expect(await state.generatedToday(T0)).toBe(0);
        await state.countGeneration(T0);
        await state.countGeneration(T0 + 1);
        await state.countGeneration(T0 + 2);
        expect(await state.generatedToday(T0 + 3)).toBe(3);
      });

      it('a new day starts at 00:00:00 China time, not at UTC midnight', async () => {
        // UTC midnight (08:00 China) is inside one China day.
        const utcMidnight = Date.UTC(2026, 10, 25, 0, 0, 0);
        await state.countGeneration(utcMidnight - 1);
        await state.countGeneration(utcMidnight);
        expect(await state.generatedToday(utcMidnight)).toBe(2);
        await state.countGeneration(LAST_SECOND_OF_DAY);
        await state.countGeneration(LAST_SECOND_OF_DAY + 999);
        expect(await state.generatedToday(LAST_SECOND_OF_DAY + 999)).toBe(4);
        expect(await state.generatedToday(MIDNIGHT_CHINA)).toBe(0);
        await state.countGeneration(MIDNIGHT_CHINA);
        expect(await state.generatedToday(MIDNIGHT_CHINA)).toBe(1);
      });
    });

    describe('findLink', () => {
      const e1 = T0_S + 10 * 86_400;
      const e2 = T0_S + 20 * 86_400;
      const e3 = T0_S + 30 * 86_400;
      beforeEach(async () => {
        await state.saveLink(page, link('Ten00000000000', e1));
        await state.saveLink(page, link('Twenty00000000', e2));
        await state.saveLink(page, link('Thirty00000000', e3));
      });

      it('gives the latest-expiring link within [min, max], bounds included', async () => {
        expect(await state.findLink(page, e1, e3, T0)).toEqual(link('Thirty00000000', e3));
        expect(await state.findLink(page, e1, e3 - 1, T0)).toEqual(link('Twenty00000000', e2));
        expect(await state.findLink(page, e1, e2, T0)).toEqual(link('Twenty00000000', e2));
        expect(await state.findLink(page, e1, e1, T0)).toEqual(link('Ten00000000000', e1));
        expect(await state.findLink(page, e3, e3, T0)).toEqual(link('Thirty00000000', e3));
      });

      it('never a link outside the bounds', async () => {
        expect(await state.findLink(page, e1 + 1, e2 - 1, T0)).toBeNull();
        expect(await state.findLink(page, e3 + 1, e3 + 86_400, T0)).toBeNull();
        expect(await state.findLink(page, T0_S, e1 - 1, T0)).toBeNull();
        expect(await state.findLink(page, e3, e1, T0)).toBeNull();
      });

      it('never mixes kinds, env versions, paths or queries', async () => {
        expect(await state.findLink({ ...page, kind: 'urllink' }, e1, e3, T0)).toBeNull();
        expect(await state.findLink({ ...page, envVersion: 'trial' }, e1, e3, T0)).toBeNull();
        expect(await state.findLink({ ...page, envVersion: 'develop' }, e1, e3, T0)).toBeNull();
        expect(await state.findLink({ ...page, query: 'id=43' }, e1, e3, T0)).toBeNull();
        expect(await state.findLink({ ...page, query: '' }, e1, e3, T0)).toBeNull();
        expect(await state.findLink({ ...page, path: 'pages/index/index' }, e1, e3, T0)).toBeNull();
        const trial = { ...page, envVersion: 'trial' };
        await state.saveLink(trial, link('Trial000000000', e2));
        expect(await state.findLink(trial, e1, e3, T0)).toEqual(link('Trial000000000', e2));
        expect(await state.findLink(page, e1, e2, T0)).toEqual(link('Twenty00000000', e2));
      });

      it('never an expired link, whatever the bounds', async () => {
        // Time only moves forward here: an adapter may drop what has expired.
        expect(await state.findLink(page, 0, e1, e1 * 1000 - 1000)).toEqual(link('Ten00000000000', e1));
        expect(await state.findLink(page, 0, e1, e1 * 1000)).toBeNull();
        expect(await state.findLink(page, 0, e1, (e1 + 1) * 1000)).toBeNull();
        expect(await state.findLink(page, 0, e2, (e1 + 1) * 1000)).toEqual(link('Twenty00000000', e2));
        expect(await state.findLink(page, 0, e3, (e3 + 1) * 1000)).toBeNull();
      });

      it('nothing stored for a target: null', async () => {
        expect(await state.findLink({ kind: 'scheme', path: 'pages/other/other', query: 'x=1', envVersion: 'release' }, 0, e3, T0)).toBeNull();
      });
    });

    describe('stable links', () => {
      const config = (code: string): StableLinkConfig => ({ code, name: 'Spring', kind: 'scheme', path: 'pages/product/detail', query: 'id=1', envVersion: 'release', cq: 'src=sms', disabled: false, createdAt: '2026-11-25T04:00:00.000Z' });

      it('creates a link once by code: a taken code says so; reads and lists it', async () => {
        expect(await state.getStableLink('spring')).toBeNull();
        expect(await state.createStableLink(config('spring'))).toBe('created');
        expect(await state.createStableLink({ ...config('spring'), name: 'other' })).toBe('taken');
        expect(await state.createStableLink(config('autumn'))).toBe('created');
        expect(await state.getStableLink('spring')).toEqual({ ...config('spring'), ticket: null, linkCode: null, revision: 0 });
        expect((await state.listStableLinks()).map((l) => l.code)).toEqual(['autumn', 'spring']);
      });

      it("keeps a link's 小程序码 (linkCode) whole, replaces it whole, and keeps it across a target change", async () => {
        await state.createStableLink(config('coded'));
        const code = { fileID: 'cloud://env.bucket/genscheme/codes/coded.png', scene: 'l=coded', page: 'pages/code/index', envVersion: 'release', width: 430, lineColor: '', isHyaline: false, createdAt: '2026-11-29T09:00:00.000Z' };
        expect((await state.updateStableLink('coded', { linkCode: code }))?.linkCode).toEqual(code);
        const wider = { ...code, width: 600, lineColor: '1,2,3', isHyaline: true };
        await state.updateStableLink('coded', { linkCode: wider });
        expect((await state.getStableLink('coded'))?.linkCode).toEqual(wider);
        await state.updateStableLink('coded', { path: 'pages/order/list' });
        expect((await state.getStableLink('coded'))?.linkCode).toEqual(wider);
      });

      it('one claim at a time: exactly one claimant until the claim lapses or the ticket is saved', async () => {
        await state.createStableLink(config('claim'));
        expect(await state.claimRenewal('claim', T0, 5000)).toBe(true);
        expect(await state.claimRenewal('claim', T0 + 1, 5000)).toBe(false);
        expect(await state.claimRenewal('claim', T0 + 5001, 5000)).toBe(true);
        const ticket = link('NewTicket', T0_S + 30 * 86400);
        expect(await state.saveTicket('claim', 0, ticket)).toBe(true);
        expect((await state.getStableLink('claim'))?.ticket).toEqual(ticket);
        expect(await state.claimRenewal('claim', T0 + 5002, 5000)).toBe(true); // saving released it
        expect(await state.claimRenewal('nobody', T0, 5000)).toBe(false);
      });

      it('a target change drops the ticket and bumps the revision; a renewal for the old revision is not saved', async () => {
        await state.createStableLink(config('move'));
        await state.saveTicket('move', 0, link('T1', T0_S + 86400));
        const renamed = await state.updateStableLink('move', { name: 'Renamed', cq: 'wave=2' });
        expect(renamed).toMatchObject({ name: 'Renamed', cq: 'wave=2', revision: 0, ticket: { link: 'weixin://dl/business/?t=T1' } });
        const moved = await state.updateStableLink('move', { path: 'pages/index/index', query: '' });
        expect(moved).toMatchObject({ path: 'pages/index/index', query: '', revision: 1, ticket: null });
        expect(await state.saveTicket('move', 0, link('Stale', T0_S + 86400))).toBe(false);
        expect((await state.getStableLink('move'))?.ticket).toBeNull();
        expect(await state.updateStableLink('move', { disabled: true })).toMatchObject({ disabled: true });
        expect(await state.updateStableLink('ghost', { disabled: true })).toBeNull();
      });

      it('counts visits and opens per China day, openers once per day each; totals add the days up', async () => {
        await state.countVisit('a', T0);
        await state.countVisit('a', T0 + 1);
        expect(await state.countOpen('a', 'u1', T0)).toBe(true);
        await state.countOpen('a', 'u1', T0 + 2);
        await state.countOpen('a', 'u2', T0 + 3);
        await state.countOpen('a', undefined, T0 + 4);
        await state.countVisit('a', MIDNIGHT_CHINA);
        await state.countOpen('a', 'u1', MIDNIGHT_CHINA);
        await state.countVisit('b', T0);
        expect(await state.stableLinkDays('a', ['2026-11-24', '2026-11-25', '2026-11-26'])).toEqual([
          { date: '2026-11-24', visits: 0, opens: 0, openers: 0 },
          { date: '2026-11-25', visits: 2, opens: 4, openers: 2 },
          { date: '2026-11-26', visits: 1, opens: 1, openers: 1 },
        ]);
        const totals = await state.stableLinkTotals();
        expect(totals.get('a')).toEqual({ visits: 3, opens: 5 });
        expect(totals.get('b')).toEqual({ visits: 1, opens: 0 });
      });
    });
  });
}
