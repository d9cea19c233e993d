/** The quota action alone (src/actions/quota.ts). */
import { quota } from '../../../cloudfunctions/genScheme/src/actions/quota';
import { NO_OPENLINK, POLICY_DENIED } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import type { Failure } from '../../../miniprogram/shared/failure';
import { actionContext } from '../../support/genscheme';

describe('quota action', () => {
  it('asks the policy, calls urlscheme.query unpaced with query_type 1, and replies with the remaining quota', async () => {
    const { ctx, calls, asks } = actionContext({ outcomes: [{ ok: true, value: { quotaInfo: { remainVisitQuota: 499_990 } } }] });
    expect(await quota.run({}, ctx)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      action: 'quota',
      remainVisitQuota: 499_990,
      generatedToday: 0,
      generateRemaining: 500_000,
      warnings: [],
      attempts: 1,
    });
    expect(asks).toEqual([{ action: 'quota' }]);
    expect(calls[0]).toMatchObject({ api: 'urlscheme.query', request: { queryType: 1 }, options: { paced: false } });
  });

  it('reads a json-bigint number and a numeric string', async () => {
    const big = { s: 1, e: 6, c: [3_000_000], toString: () => '3000000' };
    for (const remain of [big, '3000000']) {
      const { ctx } = actionContext({ outcomes: [{ ok: true, value: { quotaInfo: { remainVisitQuota: remain } } }] });
      expect(await quota.run({}, ctx)).toMatchObject({ remainVisitQuota: 3_000_000 });
    }
  });

  it.each([{}, { quotaInfo: {} }, { quotaInfo: { remainVisitQuota: 'many' } }, undefined])('an answer without a number (%j) is a failure', async (value) => {
    const { ctx } = actionContext({ outcomes: [{ ok: true, value }] });
    expect(await quota.run({}, ctx)).toMatchObject({ failure: { errcode: NO_OPENLINK, rule: 'wechat.noQuota' } });
  });

  it('a policy refusal costs no call; a WeChat failure passes through', async () => {
    const denied: Failure = { errcode: POLICY_DENIED, source: 'policy', message: { zh: 'x', en: 'x' }, hint: { zh: 'x', en: 'x' } };
    const refused = actionContext({ permit: () => denied });
    expect(await quota.run({}, refused.ctx)).toEqual({ failure: denied });
    expect(refused.calls).toHaveLength(0);
    const failure: Failure = { errcode: -604101, source: 'cloud', message: { zh: 'x', en: 'x' }, hint: { zh: 'x', en: 'x' } };
    const failed = actionContext({ outcomes: [{ ok: false, failure }] });
    expect(await quota.run({}, failed.ctx)).toEqual({ ok: false, failure });
  });
});
