/**
 * The router page of a stable link's 小程序码 (README "活码"): the code holds only `l=CODE`
 * (`options.scene`, URL-encoded, platform-rules §12), so this page asks genScheme (`landed`, which
 * counts the open) where the link leads today and goes there with wx.redirectTo — a printed code
 * follows every updateLink. A disabled or unknown link gets a friendly message instead.
 */
import { GenSchemeCallError, landed } from '../../services/genscheme';
import { isErrorReply } from '../../shared/contract';
import { stableLinkCodeInScene } from '../../shared/stable-links';

type State = 'loading' | 'failed';

/** The scene this page was opened with: a 小程序码 is scanned (1047), long-pressed (1048) or read from the album (1049). */
function launchScene(): number | undefined {
  try {
    return wx.getEnterOptionsSync?.().scene ?? wx.getLaunchOptionsSync?.().scene;
  } catch {
    return undefined;
  }
}

Component({
  data: { state: 'loading' as State, titleZh: '', messageZh: '', hintZh: '' },
  methods: {
    onLoad(options: Record<string, string | undefined>) {
      void this.route(options ?? {});
    },

    async route(options: Record<string, string | undefined>) {
      if (stableLinkCodeInScene(options.scene) === null) {
        return this.fail('这个小程序码不完整', '没有读到链接代码。', '请重新扫描完整的小程序码。');
      }
      try {
        // The scene value decides how landed reads the options: 1047 when the runtime does not say.
        const reply = await landed(launchScene() ?? 1047, options);
        if (isErrorReply(reply)) {
          const title = reply.errcode === -900031 ? '活动已结束' : reply.errcode === -900030 ? '找不到这个链接' : '暂时无法打开';
          return this.fail(title, reply.message.zh, reply.hint.zh);
        }
        if (reply.path === undefined) return this.fail('找不到这个链接', '这个小程序码没有对应的链接。', '请确认扫描的是本小程序的小程序码。');
        const url = `/${reply.path || 'pages/index/index'}${reply.query ? `?${reply.query}` : ''}`;
        wx.redirectTo({ url, fail: () => wx.reLaunch({ url }) });
      } catch (error) {
        const callError = error instanceof GenSchemeCallError ? error : null;
        this.fail('暂时无法打开', callError?.zh ?? '网络或云函数出错。', callError?.hintZh ?? '请稍后再扫一次。');
      }
    },

    fail(titleZh: string, messageZh: string, hintZh: string) {
      this.setData({ state: 'failed', titleZh, messageZh, hintZh });
    },

    goHome() {
      wx.reLaunch({ url: '/pages/index/index' });
    },
  },
});
