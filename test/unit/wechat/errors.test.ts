/** Reading what wx-server-sdk throws (src/wechat/errors.ts). */
import { INTERNAL } from '../../../cloudfunctions/genScheme/src/wechat/codes';
import { codeOf, errMsgOf, isWeChatBusy, sdkFailure } from '../../../cloudfunctions/genScheme/src/wechat/errors';
import { sdkError, sdkInternal, wechatBusy } from '../../support/genscheme';

describe('SDK errors', () => {
  it('reads errCode (SDK) or errcode (a WeChat JSON answer), numbers only', () => {
    expect(codeOf(sdkError(40165))).toBe(40165);
    expect(codeOf({ errcode: 44990 })).toBe(44990);
    expect(codeOf({ errCode: '40165' })).toBeUndefined();
    expect(codeOf({ errCode: Number.NaN })).toBeUndefined();
    expect(codeOf(null)).toBeUndefined();
    expect(codeOf('x')).toBeUndefined();
  });

  it("-1 is WeChat's busy answer only when its text says ':fail system error'", () => {
    expect(isWeChatBusy(wechatBusy())).toBe(true);
    expect(isWeChatBusy(wechatBusy('urlscheme.query'))).toBe(true);
    expect(isWeChatBusy(sdkInternal())).toBe(false);
    expect(isWeChatBusy(sdkError(-1, 'openapi.urlscheme.generate:fail'))).toBe(false);
    expect(isWeChatBusy(sdkError(40165, 'openapi.urlscheme.generate:fail system error'))).toBe(false);
  });

  it('reads the text of any thrown value without throwing, and keeps it short', () => {
    expect(errMsgOf(sdkError(1, 'the errMsg'))).toBe('the errMsg');
    expect(errMsgOf(new Error('the message'))).toBe('the message');
    expect(errMsgOf('a string')).toBe('a string');
    expect(errMsgOf(undefined)).toBe('undefined');
    expect(errMsgOf(new Error('x'.repeat(100_000))).length).toBeLessThan(400);
    const hostile = {
      get errMsg() {
        throw new Error('no');
      },
    };
    expect(errMsgOf(hostile)).toBe('unprintable error');
    expect(errMsgOf(Object.create(null))).toBe('unprintable error');
  });

  it("turns an SDK error into the catalogue's words with the SDK text as detail", () => {
    const failure = sdkFailure(sdkError(-604101, 'system error: error code: -604101'), 1);
    expect(failure).toMatchObject({ errcode: -604101, source: 'cloud', rule: 'cloud.-604101', detail: 'system error: error code: -604101' });
    expect(failure.hint.en).toContain('config.json');
    expect(sdkFailure(wechatBusy(), 3).message.en).toBe('WeChat is busy. (after 3 attempts)');
    expect(sdkFailure(wechatBusy(), 3).message.zh).toContain('已尝试 3 次');
  });

  it("an error without a code is genScheme's internal error", () => {
    expect(sdkFailure(new TypeError('boom'), 1)).toMatchObject({ errcode: INTERNAL, source: 'genscheme', detail: 'boom' });
  });
});
