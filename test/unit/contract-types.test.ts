/**
 * The contract (miniprogram/shared/contract.ts) and the actions' zod inputs must agree: what a
 * caller may send by the contract, the action's schema must accept. Checked by `npm run typecheck`
 * (a contract change the schema does not accept fails to compile); the runtime part below checks
 * the same through parseEvent, so jest reports it too.
 */
import { ACTIONS } from '../../cloudfunctions/genScheme/src/actions';
import { generate } from '../../cloudfunctions/genScheme/src/actions/generate';
import { plaintext } from '../../cloudfunctions/genScheme/src/actions/plaintext';
import { query } from '../../cloudfunctions/genScheme/src/actions/query';
import { quota } from '../../cloudfunctions/genScheme/src/actions/quota';
import { parseEvent } from '../../cloudfunctions/genScheme/src/event';
import type { GenerateReply, GenerateRequest, PlaintextReply, PlaintextRequest, QueryReply, QueryRequest, QuotaReply, QuotaRequest } from '../../miniprogram/shared/contract';
import type { ActionResult } from '../../cloudfunctions/genScheme/src/actions/action';

/** true when A is assignable to B. */
type Assignable<A, B> = [A] extends [B] ? true : false;
/** true when every field of request R is a field of input I, of a type I accepts (a new optional field counts too). */
type Covers<R, I> = [Exclude<keyof R, keyof I>] extends [never] ? Assignable<R, I> : false;
const yes = <T extends true>(): T => true as T;

type InputOf<A extends { run: (...args: never[]) => unknown }> = Parameters<A['run']>[0];
type Fields<R> = Omit<R, 'action' | 'adminToken'>;

// Requests (cloud-call shape; the HTTPS spellings are mapped to these before the schema sees them).
yes<Covers<Fields<GenerateRequest>, InputOf<typeof generate>>>();
yes<Covers<Fields<QueryRequest>, InputOf<typeof query>>>();
yes<Covers<Fields<QuotaRequest>, InputOf<typeof quota>>>();
yes<Covers<Omit<Fields<PlaintextRequest>, 'jump_wxa'>, InputOf<typeof plaintext>>>();

// Replies: each action's success is the contract's reply for it.
type SuccessOf<A extends { run: (...args: never[]) => Promise<ActionResult> }> = Exclude<Awaited<ReturnType<A['run']>>, { failure: unknown }>;
yes<Assignable<GenerateReply, SuccessOf<typeof generate>>>();
yes<Assignable<QueryReply, SuccessOf<typeof query>>>();
yes<Assignable<QuotaReply, SuccessOf<typeof quota>>>();
yes<Assignable<PlaintextReply, SuccessOf<typeof plaintext>>>();

// The check bites: a new field the schema lacks, or a type it does not accept, fails to compile.
// @ts-expect-error — `unknownField` is not a field of the generate action.
yes<Covers<Fields<GenerateRequest> & { unknownField?: string }, InputOf<typeof generate>>>();
// @ts-expect-error — the schema takes expireInterval as a number, not a string.
yes<Covers<Omit<Fields<GenerateRequest>, 'expireInterval'> & { expireInterval?: string }, InputOf<typeof generate>>>();

describe('contract requests pass the actions\' schemas', () => {
  const full: Record<string, GenerateRequest | QueryRequest | QuotaRequest | PlaintextRequest> = {
    generate: { action: 'generate', adminToken: 't', jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'trial' }, isExpire: true, expireType: 1, expireInterval: 7, cq: 'u=1' },
    generateAt: { expireType: 0, expireTime: 1_900_000_000 },
    query: { action: 'query', adminToken: 't', scheme: 'weixin://dl/business/?t=A' },
    quota: { action: 'quota', adminToken: 't' },
    plaintext: { action: 'plaintext', adminToken: 't', jumpWxa: { path: 'pages/index/index', query: 'a=1', envVersion: 'develop' } },
    plaintextSnake: { action: 'plaintext', jump_wxa: { path: 'pages/index/index', query: 'a=1', env_version: 'develop' } },
  };
  it.each(Object.entries(full))('%s: every contract field is accepted', (_name, request) => {
    const parsed = parseEvent(request, ACTIONS);
    expect('failure' in parsed ? parsed.failure.message.en : 'accepted').toBe('accepted');
  });
});
