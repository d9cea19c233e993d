/**
 * The README cannot rot: its example events run through the built function, the real SDK and the
 * emulator, and its error table is the catalogue's.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { ErrorReply, GenerateReply } from '../../miniprogram/shared/contract';
import { startEmulator, type Emulator } from '../../emulator/src';
import { END, README, START, renderErrorTable } from '../../scripts/error-table';
import { ROOT } from '../support/app-pages';
import { loadWithEnv } from '../support/function';

const readme = readFileSync(README, 'utf8');
const section = (title: string) => readme.slice(readme.indexOf(`## ${title}`), readme.indexOf('\n## ', readme.indexOf(`## ${title}`) + 3));
const jsonBlocks = (text: string) => [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as Record<string, unknown>);

let emulator: Emulator;
beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

it('the error table in the README is the catalogue', () => {
  const table = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
  expect(table).toBe(renderErrorTable());
});

it('both example events of "The event" produce a link', async () => {
  const events = jsonBlocks(section('The event'));
  expect(events).toHaveLength(2);
  const fn = loadWithEnv(emulator);
  for (const event of events) {
    const reply = (await fn.invoke(event, { openid: 'oReadme', source: 'wx_client' })) as GenerateReply;
    expect(reply.errcode).toBe(0);
    expect(reply.openlink).toMatch(/^weixin:\/\/dl\/business\/\?t=/);
  }
});

it('the failure example is what the WeChat docs example with its 2020 timestamp gets', async () => {
  const [, failure] = jsonBlocks(section('The reply'));
  const fn = loadWithEnv(emulator);
  const reply = (await fn.invoke(JSON.parse(readFileSync(join(ROOT, 'examples/doc-example-2020.json'), 'utf8')), { source: 'wx_client,scf' })) as ErrorReply;
  expect(reply).toMatchObject({ errcode: failure.errcode, field: failure.field, rule: failure.rule, source: failure.source, retryable: false });
  expect(reply.message.zh).toBe((failure.message as { zh: string }).zh);
  expect(reply.hint).toEqual(failure.hint);
});

it('the policy.json example of "Security" is a valid policy', async () => {
  const [policy] = jsonBlocks(section('Security'));
  const fn = loadWithEnv(emulator, { GENSCHEME_POLICY: JSON.stringify(policy) });
  // A valid policy: a user may now make trial links to the one allowed page, for 7 days at most.
  const ok = await fn.invoke({ jumpWxa: { path: 'pages/product/detail', envVersion: 'trial' }, expireInterval: 7 }, { openid: 'oReadme', source: 'wx_client' });
  expect(ok.errcode).toBe(0);
  const denied = (await fn.invoke({ jumpWxa: { path: 'pages/order/list' }, expireInterval: 7 }, { openid: 'oReadme', source: 'wx_client' })) as ErrorReply;
  expect(denied.rule).toBe('policy.page');
});

it('each example event of "More actions" is accepted and answers with the fields the table lists', async () => {
  const rows = section('More actions')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  const examples = rows.flatMap((row) => [...row.matchAll(/`(\{ "action"[^`]*\})`/g)].map((m) => JSON.parse(m[1]) as Record<string, unknown>));
  expect(examples.map((e) => e.action).sort()).toEqual(['plaintext', 'query', 'quota', 'sweep', 'urllink']);
  const fn = loadWithEnv(emulator);
  const caller = { openid: 'oReadme', source: 'wx_client' };
  const made = (await fn.invoke({ jumpWxa: { path: 'pages/product/detail' } }, caller)) as GenerateReply;
  const fields: Record<string, string[]> = {
    query: ['path', 'query', 'envVersion', 'createTime', 'expireTime', 'expired'],
    quota: ['remainVisitQuota'],
    plaintext: ['openlink'],
    urllink: ['urlLink', 'expireTime', 'expireAt'],
    sweep: ['warnings'],
  };
  // sweep is for trusted callers (its row says so): a timer's SOURCE.
  const callerOf = (action: unknown) => (action === 'sweep' ? { source: 'wx_trigger' } : caller);
  for (const example of examples) {
    // The query example's scheme is a placeholder (t=…&cq=…): ask about a real link with a cq.
    const event = example.action === 'query' ? { ...example, scheme: `${made.openlink}&cq=uid%3D1` } : example;
    const reply = await fn.invoke(event, callerOf(example.action));
    expect({ action: example.action, errcode: reply.errcode }).toEqual({ action: example.action, errcode: 0 });
    for (const field of fields[example.action as string]) expect(reply).toHaveProperty(field);
  }
});
