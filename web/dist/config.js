/*
 * genScheme jump page — settings. This file is the ONE place to edit them.
 *
 * It is loaded by jump.html before jump.js and is not bundled, so a team can change it on
 * the hosting (CloudBase console → 静态网站 → upload config.js) without rebuilding the page.
 * After changing it on a CDN-cached site, refresh the CDN cache of /config.js.
 */
window.GENSCHEME_CONFIG = {
  // 小程序 AppID (wx + 16 hex digits). Needed for plaintext links (?path=…) and for wx.config in WeChat.
  appid: '',
  // 小程序原始 ID (gh_ + 12 hex digits): the open tag's `username` inside WeChat's browser.
  username: '',
  // The mini program's name, shown to visitors ("打开「name」").
  name: '',
  // CloudBase environment id whose static hosting serves this page (used by live generation).
  env: '',
  // Optional: URL of your own JS-SDK signature endpoint (an official account's).
  // Leave empty on CloudBase static hosting: there wx.config needs no signature (see README).
  signatureUrl: '',
  // Optional live generation: a fresh link on each visit to jump.html without t/path, e.g.
  //   live: { path: 'pages/index/index', query: 'from=sms', envVersion: 'release' },
  // Spends genScheme's quota on every visit; needs identityless access (see README). null = off.
  live: null,
};
