/**
 * What the link-target pages show: how the page was opened, and with which query, so a generated
 * link can be checked end to end on a phone; and the app's report of a stable link's open
 * (`landed`, called from app.ts onLaunch / onShow, not from the pages).
 */
import { landed } from '../services/genscheme';
import { isErrorReply } from '../shared/contract';
import { stableLinkCodeIn } from '../shared/stable-links';
import { LINK_SCENES, SCENE_ENCRYPTED_SCHEME, SCENE_PLAINTEXT_SCHEME } from '../shared/platform';

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

/** What onLaunch and onShow receive (only the fields read here; older base libraries may leave them out). */
export interface LaunchOptions {
  scene?: number;
  query?: Options;
}

/**
 * The app's one report of stable-link opens (`landed`), for onLaunch and onShow. It calls genScheme
 * only when the scene is a link's (1065, 1286, 1194, 1167: platform-rules §9) and the query carries a
 * stable link's marker (as a key of its own or inside a raw `cq`), and only once per launch: the
 * onShow that follows onLaunch with the same options, or a return from the background that keeps
 * them, counts nothing; a launch from another link (other options) counts again. Never blocks and
 * never shows the user anything: a failure is logged. Resolves when the report is done.
 */
export function createLaunchReporter(): (options: LaunchOptions | undefined) => Promise<void> {
  let lastReported: string | null = null;
  return (options) => {
    const scene = options?.scene;
    const query = options?.query;
    if (scene === undefined || !LINK_SCENES.includes(scene) || stableLinkCodeIn(query) === null) return Promise.resolve();
    const key = launchKey(scene, query!);
    if (key === lastReported) return Promise.resolve();
    lastReported = key;
    // Inside a promise chain: even a synchronous throw (no wx.cloud) ends up logged, not thrown at the app.
    return Promise.resolve()
      .then(() => landed(scene, { ...query }))
      .then(
        (reply) => {
          if (isErrorReply(reply)) console.warn('[genScheme] landed was refused:', reply.errcode, reply.errmsg);
        },
        (error: unknown) => console.warn('[genScheme] landed failed:', error instanceof Error ? error.message : error),
      );
  };
}

/** Same scene and same query (in any key order) = the same launch. */
function launchKey(scene: number, query: Options): string {
  return `${scene}|${JSON.stringify(
    Object.keys(query)
      .sort()
      .map((key) => [key, query[key]]),
  )}`;
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
