import { CLOUD_ENV } from './config';

App({
  onLaunch() {
    // wx.cloud exists from base library 2.2.3; the page explains the failure if it is missing.
    if (!wx.cloud) {
      console.error('[genScheme] wx.cloud is missing: use base library 2.2.3 or later.');
      return;
    }
    // No env = the default environment of this appid (see config.ts).
    wx.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true });
  },
});
