/**
 * The contract (miniprogram/shared/contract.ts) and the actions' zod inputs must agree, for every
 * action of the table: what a caller may send by the contract, the action's schema must accept.
 * Checked by `npm run typecheck` (a contract change the schema does not accept fails to compile);
 * the runtime part below checks the same through parseEvent, so jest reports it too.
 */
import { ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import { createLink } from '../../cloudfunctions/genScheme/src/actions/create-link';
import { generate } from '../../cloudfunctions/genScheme/src/actions/generate';
import { landed } from '../../cloudfunctions/genScheme/src/actions/landed';
import { linkCode } from '../../cloudfunctions/genScheme/src/actions/link-code';
import { linkStats } from '../../cloudfunctions/genScheme/src/actions/link-stats';
import { listLinks } from '../../cloudfunctions/genScheme/src/actions/list-links';
import { plaintext } from '../../cloudfunctions/genScheme/src/actions/plaintext';
import { query } from '../../cloudfunctions/genScheme/src/actions/query';
import { quota } from '../../cloudfunctions/genScheme/src/actions/quota';
import { resolveLink } from '../../cloudfunctions/genScheme/src/actions/resolve-link';
import { sweep } from '../../cloudfunctions/genScheme/src/actions/sweep';
import { updateLink } from '../../cloudfunctions/genScheme/src/actions/update-link';
import { urllink } from '../../cloudfunctions/genScheme/src/actions/urllink';
import { parseEvent } from '../../cloudfunctions/genScheme/src/event';
import type {
  Action,
  CloudBase,
  CreateLinkReply,
  CreateLinkRequest,
  GenerateReply,
  GenerateRequest,
  GenSchemeRequest,
  LandedReply,
  LandedRequest,
  LinkCodeReply,
  LinkCodeRequest,
  LinkStatsReply,
  LinkStatsRequest,
  ListLinksReply,
  ListLinksRequest,
  PlaintextReply,
  PlaintextRequest,
  QueryReply,
  QueryRequest,
  QuotaReply,
  QuotaRequest,
  ResolveLinkReply,
  ResolveLinkRequest,
  SweepReply,
  SweepRequest,
  UpdateLinkReply,
  UpdateLinkRequest,
  UrlLinkReply,
  UrlLinkRequest,
} from '../../miniprogram/shared/contract';
import type { ActionResult } from '../../cloudfunctions/genScheme/src/actions/action';

/** true when A is assignable to B. */
type Assignable<A, B> = [A] extends [B] ? true : false;
/** true when every field of request R is a field of input I, of a type I accepts (a new optional field counts too). */
type Covers<R, I> = [Exclude<keyof R, keyof I>] extends [never] ? Assignable<R, I> : false;
const yes = <T extends true>(): T => true as T;

type InputOf<A extends { run: (...args: never[]) => unknown }> = Parameters<A['run']>[0];
type Fields<R> = Omit<R, 'action' | 'adminToken'>;

// Requests (cloud-call shape; the snake_case and HTTPS spellings are mapped to these before the schema sees them).
yes<Covers<Fields<GenerateRequest>, InputOf<typeof generate>>>();
yes<Covers<Fields<QueryRequest>, InputOf<typeof query>>>();
yes<Covers<Fields<QuotaRequest>, InputOf<typeof quota>>>();
yes<Covers<Omit<Fields<PlaintextRequest>, 'jump_wxa'>, InputOf<typeof plaintext>>>();
// cloudBase is taken as a loose object and checked field by field in the action (an interface is not an index signature).
yes<Covers<Omit<Fields<UrlLinkRequest>, 'cloudBase'> & { cloudBase?: { [K in keyof CloudBase]: CloudBase[K] } }, InputOf<typeof urllink>>>();
yes<Covers<Fields<CreateLinkRequest>, InputOf<typeof createLink>>>();
yes<Covers<Fields<ResolveLinkRequest>, InputOf<typeof resolveLink>>>();
yes<Covers<Fields<UpdateLinkRequest>, InputOf<typeof updateLink>>>();
yes<Covers<Fields<ListLinksRequest>, InputOf<typeof listLinks>>>();
yes<Covers<Fields<LinkStatsRequest>, InputOf<typeof linkStats>>>();
yes<Covers<Fields<LandedRequest>, InputOf<typeof landed>>>();
yes<Covers<Fields<LinkCodeRequest>, InputOf<typeof linkCode>>>();
yes<Covers<Fields<SweepRequest>, InputOf<typeof sweep>>>();

// Replies: each action's success is the contract's reply for it.
type SuccessOf<A extends { run: (...args: never[]) => Promise<ActionResult> }> = Exclude<Awaited<ReturnType<A['run']>>, { failure: unknown }>;
yes<Assignable<GenerateReply, SuccessOf<typeof generate>>>();
yes<Assignable<QueryReply, SuccessOf<typeof query>>>();
yes<Assignable<QuotaReply, SuccessOf<typeof quota>>>();
yes<Assignable<PlaintextReply, SuccessOf<typeof plaintext>>>();
yes<Assignable<UrlLinkReply, SuccessOf<typeof urllink>>>();
yes<Assignable<CreateLinkReply, SuccessOf<typeof createLink>>>();
yes<Assignable<ResolveLinkReply, SuccessOf<typeof resolveLink>>>();
yes<Assignable<UpdateLinkReply, SuccessOf<typeof updateLink>>>();
yes<Assignable<ListLinksReply, SuccessOf<typeof listLinks>>>();
yes<Assignable<LinkStatsReply, SuccessOf<typeof linkStats>>>();
yes<Assignable<LandedReply, SuccessOf<typeof landed>>>();
yes<Assignable<LinkCodeReply, SuccessOf<typeof linkCode>>>();
yes<Assignable<SweepReply, SuccessOf<typeof sweep>>>();

// The check bites: a new field the schema lacks, or a type it does not accept, fails to compile.
// @ts-expect-error — `unknownField` is not a field of the generate action.
yes<Covers<Fields<GenerateRequest> & { unknownField?: string }, InputOf<typeof generate>>>();
// @ts-expect-error — the schema takes expireInterval as a number, not a string.
yes<Covers<Omit<Fields<GenerateRequest>, 'expireInterval'> & { expireInterval?: string }, InputOf<typeof generate>>>();
// @ts-expect-error — linkCode's width is a number.
yes<Covers<Omit<Fields<LinkCodeRequest>, 'width'> & { width?: string }, InputOf<typeof linkCode>>>();

/** One request of each action with every field the contract names; a missing action fails to compile. */
const FULL: { [A in Action]: Extract<GenSchemeRequest, { action?: A }> } = {
  generate: {
    action: 'generate',
    adminToken: 't',
    jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' },
    isExpire: true,
    expireType: 1,
    expireInterval: 7,
    cq: 'u=1',
  },
  query: { action: 'query', adminToken: 't', scheme: 'weixin://dl/business/?t=A' },
  quota: { action: 'quota', adminToken: 't' },
  plaintext: { action: 'plaintext', adminToken: 't', jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'develop' } },
  urllink: {
    action: 'urllink',
    adminToken: 't',
    path: 'pages/index/index',
    query: 'a=1',
    envVersion: 'release',
    isExpire: true,
    expireType: 1,
    expireInterval: 7,
    cq: 'u=1',
    reuse: false,
    cloudBase: { env: 'env-1', domain: 'env-1.tcloudbaseapp.com', path: '/jump.html', query: 'a=1', resourceAppid: 'wx0123456789abcdef' },
  },
  createLink: {
    action: 'createLink',
    adminToken: 't',
    jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'release' },
    name: 'n',
    cq: 'u=1',
    code: 'spring-sms',
    kind: 'urllink',
  },
  resolveLink: { action: 'resolveLink', adminToken: 't', code: 'spring-sms' },
  updateLink: {
    action: 'updateLink',
    adminToken: 't',
    code: 'spring-sms',
    name: 'n',
    jumpWxa: { path: 'pages/index/index', query: 'a=2' },
    cq: 'u=2',
    disabled: true,
  },
  listLinks: { action: 'listLinks', adminToken: 't' },
  linkStats: { action: 'linkStats', adminToken: 't', code: 'spring-sms', days: 30 },
  landed: { action: 'landed', adminToken: 't', scene: 1065, query: { gs: 'spring-sms', id: '1' } },
  linkCode: { action: 'linkCode', adminToken: 't', code: 'spring-sms', width: 430, lineColor: { r: 0, g: 0, b: 0 }, isHyaline: true, refresh: true },
  sweep: { action: 'sweep', adminToken: 't' },
};

describe("contract requests pass the actions' schemas", () => {
  it('the requests below name every action of the table', () => {
    expect(Object.keys(FULL).sort()).toEqual([...ACTIONS.keys()].sort());
  });

  const more: Record<string, GenSchemeRequest> = {
    generateAt: { expireType: 0, expireTime: 1_900_000_000 },
    queryUrlLink: { action: 'query', urlLink: 'https://wxaurl.cn/abc' },
    plaintextSnake: { action: 'plaintext', jump_wxa: { path: 'pages/index/index', query: 'a=1', env_version: 'develop' } },
    urllinkNested: { action: 'urllink', jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' }, expireType: 0, expireTime: 1_900_000_000 },
    urllinkSnake: {
      action: 'urllink',
      jump_wxa: { path: 'pages/index/index', query: 'a=1', env_version: 'trial' },
      is_expire: true,
      expire_type: 1,
      expire_interval: 7,
      cloud_base: { env: 'env-1', domain: 'env-1.tcloudbaseapp.com', path: '/jump.html', query: 'a=1', resource_appid: 'wx0123456789abcdef' },
    },
  };
  it.each([...Object.entries(FULL), ...Object.entries(more)])('%s: every contract field is accepted', (_name, request) => {
    const parsed = parseEvent(request, ACTIONS);
    expect('failure' in parsed ? parsed.failure.message.en : 'accepted').toBe('accepted');
  });

  it('a field the contract does not name is refused (the check above can fail)', () => {
    const parsed = parseEvent({ action: 'linkStats', code: 'spring-sms', dayz: 3 }, ACTIONS);
    expect('failure' in parsed ? parsed.failure.message.en : 'accepted').toMatch(/dayz/);
  });
});
