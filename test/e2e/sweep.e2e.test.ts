/**
 * The `sweep` action, as the timer trigger of config.json runs it: through the real SDK and the
 * emulator's database, it removes what no request needs any more and keeps what is still live.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { ErrorReply, GenerateReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { ROOT } from '../support/app-pages';
import { loadWithEnv } from '../support/function';

let emulator: Emulator;
beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator({ seed: 21 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const env = { GENSCHEME_STATE: 'database', GENSCHEME_REUSE: 'on', GENSCHEME_STATE_SECRET: 'sweep-test-secret-1' };
/** What CloudBase passes a function when its timer trigger fires. */
const timerEvent = { Type: 'timer', TriggerName: 'sweep', Time: '2026-11-29T19:30:00Z', Message: '' };

it('config.json declares the daily timer trigger named after the action', () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'cloudfunctions/genScheme/config.json'), 'utf8'));
  expect(config.triggers).toEqual([{ name: 'sweep', type: 'timer', config: expect.stringMatching(/^(\S+ ){6}\S+$/) }]);
});

it('the timer event removes expired links, idle windows and past openers, and keeps what is live', async () => {
  const fn = loadWithEnv(emulator, env);
  const user = { openid: 'oSweeper', source: 'wx_client' };
  const live = (await fn.invoke({ jumpWxa: { path: 'pages/index/index', query: 'live=1' } }, user)) as GenerateReply;
  expect(live.errcode).toBe(0);
  const nowS = Math.floor(Date.now() / 1000);
  // Seeded as an earlier day left them: an expired link, a window idle for an hour, yesterday's opener.
  emulator.database.seed('genscheme_links', [
    ...emulator.database.collection('genscheme_links')!,
    { _id: 'old-link', target: 't', link: 'weixin://dl/business/?t=OLD', expireTime: nowS - 10, createTime: nowS - 86_400 },
  ]);
  emulator.database.seed('genscheme_limits', [
    ...emulator.database.collection('genscheme_limits')!,
    { _id: 'idle-window', times: [Date.now() - 3_600_000], until: Date.now() - 3_540_000 },
  ]);
  emulator.database.seed('genscheme_stable_openers', [
    { _id: 'yesterday', date: '2000-01-01' },
    { _id: 'today', date: '2999-12-31' },
  ]);

  const reply = await fn.invoke(timerEvent, { source: 'wx_trigger' });
  expect(reply).toMatchObject({ errcode: 0, action: 'sweep' });

  const ids = (name: string) => (emulator.database.collection(name) ?? []).map((d) => d._id);
  expect(ids('genscheme_links')).not.toContain('old-link');
  expect(ids('genscheme_links').length).toBe(1); // the live link stays
  expect(ids('genscheme_limits')).not.toContain('idle-window');
  expect(ids('genscheme_limits').length).toBeGreaterThan(0); // the user's live window stays
  expect(ids('genscheme_stable_openers')).toEqual(['today']);
  // The live link is still reused after the sweep.
  expect(((await fn.invoke({ jumpWxa: { path: 'pages/index/index', query: 'live=1' } }, user)) as GenerateReply).reused).toBe(true);
});

it('only trusted callers may sweep', async () => {
  const fn = loadWithEnv(emulator, env);
  const refused = (await fn.invoke({ action: 'sweep' }, { openid: 'oUser', source: 'wx_client' })) as ErrorReply;
  expect(refused).toMatchObject({ errcode: -900010, rule: 'policy.action' });
  // A timer-shaped event from a mini-program user is no timer: still refused.
  expect(((await fn.invoke(timerEvent, { openid: 'oUser', source: 'wx_client' })) as ErrorReply).errcode).toBe(-900010);
});
