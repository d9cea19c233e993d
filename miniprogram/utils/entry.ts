/**
 * What the link-target pages show: how the page was opened, and with which query,
 * so a generated link can be checked end to end on a phone — and, when a stable link opened
 * the page, the report that lets genScheme count the open (`landed`).
 */
import { landed } from '../services/genscheme';
import { isErrorReply } from '../shared/contract';
import { stableLinkCodeIn } from '../shared/links';
import { SCENE_ENCRYPTED_SCHEME, SCENE_PLAINTEXT_SCHEME } from '../shared/platform';

export interface EntryView {
  sceneText: string;
  queryText: string;
}

type Options = Record<string, string | undefined>;

/** `options` is what onLoad receives: the link's query as key → value. */
export function describeEntry(options: Options | undefined): EntryView {
  const pairs = Object.keys(options ?? {}).map((key) => `${key}=${options?.[key] ?? ''}`);
  const code = stableLinkCodeIn(options);
  return {
    sceneText: describeScene(enterScene()) + (code === null ? '' : `，稳定链接 ${code}`),
    queryText: pairs.length > 0 ? pairs.join('\n') : '（无参数）',
  };
}

/**
 * A link-target page's onLoad: when a stable link opened it (its marker in the options, as a key of
 * its own or inside a raw `cq`, platform-rules §9), tells genScheme once (`landed`), so the open is
 * counted. Ordinary opens call nothing. Never blocks the page and never shows the user anything:
 * a failure is logged. Resolves when the report is done (the page does not wait for it).
 */
export function reportLanded(options: Options | undefined): Promise<void> {
  if (!options || stableLinkCodeIn(options) === null) return Promise.resolve();
  return landed(enterScene(), { ...options }).then(
    (reply) => {
      if (isErrorReply(reply)) console.warn('[genScheme] landed was refused:', reply.errcode, reply.errmsg);
    },
    (error: unknown) => console.warn('[genScheme] landed failed:', error instanceof Error ? error.message : error),
  );
}

function enterScene(): number | undefined {
  // getEnterOptionsSync needs base library 2.9.4.
  try {
    return typeof wx.getEnterOptionsSync === 'function' ? wx.getEnterOptionsSync().scene : undefined;
  } catch {
    return undefined;
  }
}

function describeScene(scene: number | undefined): string {
  if (scene === SCENE_ENCRYPTED_SCHEME) return `加密 URL Scheme 打开(场景值 ${scene})`;
  if (scene === SCENE_PLAINTEXT_SCHEME) return `明文 URL Scheme 打开(场景值 ${scene})`;
  return scene === undefined ? '未知' : `场景值 ${scene}`;
}
