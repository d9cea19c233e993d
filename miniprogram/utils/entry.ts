/**
 * What the link-target pages show: how the page was opened, and with which query,
 * so a generated link can be checked end to end on a phone.
 */
import { SCENE_ENCRYPTED_SCHEME, SCENE_PLAINTEXT_SCHEME } from '../shared/platform';

export interface EntryView {
  sceneText: string;
  queryText: string;
}

/** `options` is what onLoad receives: the link's query as key → value. */
export function describeEntry(options: Record<string, string | undefined> | undefined): EntryView {
  const pairs = Object.keys(options ?? {}).map((key) => `${key}=${options?.[key] ?? ''}`);
  return {
    sceneText: describeScene(),
    queryText: pairs.length > 0 ? pairs.join('\n') : '（无参数）',
  };
}

function describeScene(): string {
  // getEnterOptionsSync needs base library 2.9.4.
  const scene = typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync().scene : undefined;
  if (scene === SCENE_ENCRYPTED_SCHEME) return `加密 URL Scheme 打开(场景值 ${scene})`;
  if (scene === SCENE_PLAINTEXT_SCHEME) return `明文 URL Scheme 打开(场景值 ${scene})`;
  return scene === undefined ? '未知' : `场景值 ${scene}`;
}
