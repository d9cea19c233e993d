/** The one place a Failure becomes the caller's ErrorReply (src/reply.ts). */
import { errorReply } from '../../cloudfunctions/genScheme/src/reply';
import { internalReply } from '../../cloudfunctions/genScheme/src/handle';
import { INTERNAL } from '../../cloudfunctions/genScheme/src/wechat/codes';
import type { Failure } from '../../miniprogram/shared/failure';

const base: Failure = {
  errcode: 40212,
  source: 'input',
  rule: 'query.charset',
  field: 'jumpWxa.query',
  message: { zh: '错', en: 'wrong' },
  hint: { zh: '改', en: 'fix it' },
};

describe('errorReply', () => {
  it('carries the failure, with errmsg "field: message" and retryable from the catalogue', () => {
    expect(errorReply(base, 'generate')).toEqual({
      errcode: 40212,
      errmsg: 'jumpWxa.query: wrong',
      message: { zh: '错', en: 'wrong' },
      hint: { zh: '改', en: 'fix it' },
      retryable: false,
      source: 'input',
      action: 'generate',
      field: 'jumpWxa.query',
      rule: 'query.charset',
    });
    expect(errorReply({ ...base, errcode: -1 }, 'generate').retryable).toBe(true);
    expect(errorReply({ ...base, errcode: -604102 }, 'generate').retryable).toBe(true);
  });

  it("uses WeChat's own text as errmsg when there is one", () => {
    expect(errorReply({ ...base, detail: 'openapi.urlscheme.generate:fail invalid query rid: 1' }, 'generate').errmsg).toBe(
      'openapi.urlscheme.generate:fail invalid query rid: 1',
    );
  });

  it('adds attempts, warnings and retryAfterMs only when there are some', () => {
    const bare = errorReply(base, 'query');
    expect(bare).not.toHaveProperty('attempts');
    expect(bare).not.toHaveProperty('warnings');
    expect(bare).not.toHaveProperty('retryAfterMs');
    const full = errorReply({ ...base, retryAfterMs: 500 }, 'query', { attempts: 2, warnings: [{ code: 'w', zh: 'w', en: 'w' }] });
    expect(full).toMatchObject({ attempts: 2, retryAfterMs: 500, warnings: [{ code: 'w' }], action: 'query' });
    expect(errorReply(base, 'quota', { attempts: 0, warnings: [] })).not.toHaveProperty('warnings');
  });

  it('clips every text: a 1 MB field, message, hint and detail still give a small reply', () => {
    const huge = 'x'.repeat(1_000_000);
    const reply = errorReply({ ...base, field: huge, message: { zh: huge, en: huge }, hint: { zh: huge, en: huge }, detail: huge }, 'generate');
    expect(JSON.stringify(reply).length).toBeLessThan(5_000);
    expect(reply.field!.length).toBeLessThan(150);
    expect(reply.message.en).toContain('(1000000 chars)');
    const noDetail = errorReply({ ...base, field: huge, message: { zh: huge, en: huge } }, 'generate');
    expect(noDetail.errmsg.length).toBeLessThan(700);
  });

  it('internalReply reads any thrown value, even a hostile one', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(internalReply(hostile, 'quota')).toMatchObject({
      errcode: INTERNAL,
      source: 'genscheme',
      rule: 'genscheme.internal',
      action: 'quota',
      errmsg: 'unprintable error',
    });
    expect(internalReply(new Error('boom'), 'generate').errmsg).toBe('boom');
  });
});
