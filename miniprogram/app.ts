import { CLOUD_ENV } from './config';
import { createLaunchReporter } from './utils/entry';

/** One per app process: remembers what it reported, so one launch counts one open. */
const reportLaunch = createLaunchReporter();

App({
  onLaunch(options?: WechatMiniprogram.App.LaunchShowOption) {
    // wx.cloud exists from base library 2.2.3; the page explains the failure if it is missing.
    if (!wx.cloud) {
      console.error('[genScheme] wx.cloud is missing: use base library 2.2.3 or later.');
      return;
    }
    // No env = the default environment of this appid (see config.ts).
    wx.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true });
    // A stable link's open (platform-rules §9 scenes + its marker): counted once, never waited for.
    void reportLaunch(options);
  },

  onShow(options?: WechatMiniprogram.App.LaunchShowOption) {
    // A hot launch from another link; the onShow right after onLaunch repeats its options and counts nothing.
    if (wx.cloud) void reportLaunch(options);
  },
});
