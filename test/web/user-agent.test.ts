import { classifyClient } from '../../web/src/user-agent';
import { UA } from './user-agents';

describe('which view a visitor gets', () => {
  it.each([
    ['Android Chrome', UA.android, 0, { kind: 'phone', os: 'android' }],
    ['iPhone Safari', UA.iphone, 5, { kind: 'phone', os: 'ios' }],
    ['iPadOS Safari (says Macintosh, has touch)', UA.ipadOs, 5, { kind: 'phone', os: 'ios' }],
    ['WeChat on Android', UA.wechatAndroid, 5, { kind: 'wechat', os: 'android' }],
    ['WeChat on iPhone', UA.wechatIphone, 5, { kind: 'wechat', os: 'ios' }],
    ['WeCom (says MicroMessenger too)', UA.wecom, 5, { kind: 'wecom' }],
    ['desktop Chrome', UA.desktop, 0, { kind: 'desktop' }],
    ['Safari on a Mac (no touch)', UA.ipadOs, 0, { kind: 'desktop' }],
    ['WeChat for Windows', UA.windowsWechat, 0, { kind: 'desktop' }],
  ])('%s', (_name, ua, touch, expected) => {
    expect(classifyClient(ua, touch)).toEqual(expected);
  });
});
