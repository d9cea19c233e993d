/**
 * The one setting a developer must look at before running the sample.
 *
 * CLOUD_ENV: the id of your CloudBase environment (云开发控制台 → 设置 → 环境 ID,
 * e.g. "prod-1a2b3c"). Leave it empty to use the default environment of the appid.
 * Cloud development has no tourist mode: put your real appid in project.private.config.json
 * (git-ignored) or wx.cloud will not work.
 */
export const CLOUD_ENV = '';
