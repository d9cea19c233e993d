/**
 * `linkCode` (trusted): the 小程序码 of a stable link (README "活码"). The code holds the scene
 * `l=CODE` and opens the router page, which asks `landed` for the link's current target — so a
 * printed code follows every updateLink. Made once per link and options: the PNG is kept in cloud
 * storage at genscheme/codes/CODE.png and its fileID on the link; asking again costs no WeChat
 * call and no upload (`refresh: true` makes a new one). A JSON answer instead of an image is
 * WeChat's refusal, answered from the catalogue and never stored.
 */
import type { LinkCodeReply, Warning } from '../../../../miniprogram/shared/contract';
import { inputFailure, type Failure } from '../../../../miniprogram/shared/failure';
import { LINK_CODE_PAGE, linkCodeScene } from '../../../../miniprogram/shared/stable-links';
import { WXACODE_SCENE_CHARSET, WXACODE_SCENE_MAX, WXACODE_WIDTH, type EnvVersion } from '../../../../miniprogram/shared/platform';
import { defineAction, type ActionContext } from './action';
import { checkCode, disabled, isActionFailure, notFound, orUnavailable } from '../links/stable';
import type { LinkCodeFile } from '../state';
import { lookup } from '../wechat/catalogue';
import { INVALID_FIELD, NO_IMAGE } from '../wechat/codes';
import { errMsgOf, sdkFailure } from '../wechat/errors';

/** Where a link's code is kept: one file per link, replaced by a refresh. */
export const linkCodePath = (code: string) => `genscheme/codes/${code}.png`;

/** The options a code was drawn with: the same ones again reuse it. */
type CodeOptions = Omit<LinkCodeFile, 'fileID' | 'createdAt'>;

export const linkCode = defineAction({
  name: 'linkCode',
  defaultAccess: { user: false, public: false },
  fields: (z) => ({
    code: z.string(),
    width: z.optional(z.number()),
    lineColor: z.optional(z.strictObject({ r: z.number(), g: z.number(), b: z.number() })),
    isHyaline: z.optional(z.boolean()),
    refresh: z.optional(z.boolean()),
  }),

  async run(input, ctx) {
    const { names } = ctx;
    const scene = linkCodeScene(input.code);
    const bad =
      checkCode(input.code, names.shown('code')) ??
      checkScene(scene, names.shown('code')) ??
      checkWidth(input.width, names.shown('width')) ??
      checkLineColor(input.lineColor, names.shown('lineColor')) ??
      checkRouterPage(ctx);
    if (bad) return { failure: bad };
    const denied = await ctx.permit({ action: 'linkCode' });
    if (denied) return { failure: denied };

    const record = await orUnavailable(() => ctx.state.stableLinks.getStableLink(input.code));
    if (isActionFailure(record)) return record;
    if (!record) return notFound(input.code);
    if (record.disabled) return disabled(input.code);

    const options: CodeOptions = {
      scene,
      page: LINK_CODE_PAGE,
      envVersion: record.envVersion,
      width: input.width ?? WXACODE_WIDTH.default,
      lineColor: input.lineColor ? `${input.lineColor.r},${input.lineColor.g},${input.lineColor.b}` : '',
      isHyaline: input.isHyaline === true,
    };
    const stored = record.linkCode;
    if (stored && !input.refresh && sameOptions(stored, options)) return reply(stored, true, ctx);

    const image = await drawCode(options, input.lineColor, ctx);
    if ('failure' in image) return image;
    let fileID: string;
    try {
      const uploaded = await ctx.storage.uploadFile({ cloudPath: linkCodePath(input.code), fileContent: image.png });
      if (typeof uploaded?.fileID !== 'string' || !uploaded.fileID)
        throw Object.assign(new Error('uploadFile answered without a fileID'), { errCode: -503001 });
      fileID = uploaded.fileID;
    } catch (error) {
      return { failure: sdkFailure(error, 1) };
    }
    const file: LinkCodeFile = { ...options, fileID, createdAt: new Date(ctx.clock.now()).toISOString() };
    const saved = await orUnavailable(() => ctx.state.stableLinks.updateStableLink(input.code, { linkCode: file }));
    if (isActionFailure(saved)) return saved;
    if (!saved) return notFound(input.code);
    ctx.links.stable.forget(input.code);
    return reply(file, false, ctx);
  },
});

/** §12: a scene of at most 32 characters of the allowed set; `l=` leaves 30 for the code. */
function checkScene(scene: string, field: string): Failure | null {
  if (scene.length <= WXACODE_SCENE_MAX && WXACODE_SCENE_CHARSET.test(scene)) return null;
  return inputFailure({
    errcode: 40169,
    field,
    rule: 'wxacode.scene',
    message: {
      zh: `小程序码的 scene "${scene}" 超过 ${WXACODE_SCENE_MAX} 个字符（platform-rules §12）。`,
      en: `The 小程序码 scene "${scene}" is over ${WXACODE_SCENE_MAX} characters (platform-rules §12).`,
    },
    hint: {
      zh: `给小程序码用的稳定链接，代码最多 ${WXACODE_SCENE_MAX - 2} 个字符；新建一个更短代码的链接。`,
      en: `A stable link meant for a 小程序码 needs a code of at most ${WXACODE_SCENE_MAX - 2} characters; create one with a shorter code.`,
    },
  });
}

function checkWidth(width: number | undefined, field: string): Failure | null {
  if (width === undefined || (Number.isInteger(width) && width >= WXACODE_WIDTH.min && width <= WXACODE_WIDTH.max)) return null;
  return inputFailure({
    errcode: INVALID_FIELD,
    field,
    rule: 'wxacode.width',
    message: {
      zh: `${field} = ${width}：小程序码宽度为 ${WXACODE_WIDTH.min}–${WXACODE_WIDTH.max} 像素的整数（§12）。`,
      en: `${field} = ${width}: a 小程序码 is ${WXACODE_WIDTH.min}–${WXACODE_WIDTH.max} px wide, a whole number (§12).`,
    },
    hint: { zh: `不填则为 ${WXACODE_WIDTH.default}。`, en: `Leave it out for ${WXACODE_WIDTH.default}.` },
  });
}

function checkLineColor(color: { r: number; g: number; b: number } | undefined, field: string): Failure | null {
  if (color === undefined || [color.r, color.g, color.b].every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) return null;
  return inputFailure({
    errcode: INVALID_FIELD,
    field,
    rule: 'wxacode.lineColor',
    message: { zh: `${field} 的 r、g、b 必须是 0–255 的整数。`, en: `${field}.r, .g and .b must be whole numbers 0–255.` },
    hint: { zh: '例如 {"r":0,"g":0,"b":0}（黑色）。', en: 'For example {"r":0,"g":0,"b":0} (black).' },
  });
}

/** The router page must be in the app (the function reads app.json at build): else WeChat answers 41030. */
function checkRouterPage(ctx: ActionContext): Failure | null {
  if (ctx.settings.pages.includes(LINK_CODE_PAGE)) return null;
  const row = lookup(41030);
  return inputFailure({
    errcode: 41030,
    field: 'page',
    rule: 'wxacode.page',
    message: { zh: `小程序的 app.json 中没有页面 ${LINK_CODE_PAGE}。`, en: `The mini program's app.json has no page ${LINK_CODE_PAGE}.` },
    hint: row.fix,
  });
}

function sameOptions(stored: LinkCodeFile, options: CodeOptions): boolean {
  return (Object.keys(options) as Array<keyof CodeOptions>).every((key) => stored[key] === options[key]);
}

/** One call to wxacode.getUnlimited: the PNG, or the failure WeChat's JSON answer stands for. */
async function drawCode(
  options: CodeOptions,
  lineColor: { r: number; g: number; b: number } | undefined,
  ctx: ActionContext,
): Promise<{ png: Buffer } | { failure: Failure }> {
  // §12: check_path holds only for published pages; a trial or develop code may open a page not published yet.
  const request: Record<string, unknown> = {
    scene: options.scene,
    page: options.page,
    checkPath: options.envVersion === 'release',
    envVersion: options.envVersion,
    width: options.width,
  };
  if (lineColor) request.lineColor = lineColor;
  if (options.isHyaline) request.isHyaline = true;
  const outcome = await ctx.wechat.call('wxacode.getUnlimited', request, { paced: false, deadline: ctx.deadline, record: ctx.record });
  if (!outcome.ok) return { failure: outcome.failure };
  return imageOf(outcome.value);
}

/**
 * §12: WeChat answers image bytes, or JSON `{errcode, errmsg}`. wx-server-sdk throws on a JSON
 * answer it recognises by content type; a JSON body under another content type still comes back
 * as a buffer, so the bytes are read too.
 */
export function imageOf(value: unknown): { png: Buffer } | { failure: Failure } {
  const { buffer, contentType } = (value ?? {}) as { buffer?: unknown; contentType?: unknown };
  const bytes = Buffer.isBuffer(buffer) ? buffer : buffer instanceof Uint8Array ? Buffer.from(buffer) : null;
  if (bytes && bytes.length && bytes[0] === 0x7b) {
    try {
      const json = JSON.parse(bytes.toString('utf8')) as { errcode?: unknown; errmsg?: unknown };
      if (typeof json.errcode === 'number' && json.errcode !== 0)
        return { failure: sdkFailure({ errCode: json.errcode, errMsg: `openapi.wxacode.getUnlimited:fail ${String(json.errmsg ?? '')}` }, 1) };
    } catch {
      // Not JSON after all: judged as an image below.
    }
  }
  if (bytes && bytes.length && (typeof contentType !== 'string' || /^image\//i.test(contentType))) return { png: bytes };
  const row = lookup(NO_IMAGE);
  return {
    failure: {
      errcode: NO_IMAGE,
      source: 'genscheme',
      rule: 'wxacode.noImage',
      message: row.meaning,
      hint: row.fix,
      detail: `contentType ${JSON.stringify(contentType)}, ${bytes?.length ?? 0} bytes; ${errMsgOf(value)}`.slice(0, 300),
    },
  };
}

async function reply(file: LinkCodeFile, reused: boolean, ctx: ActionContext): Promise<LinkCodeReply> {
  const warnings: Warning[] = [];
  let tempFileURL = '';
  try {
    const found = (await ctx.storage.getTempFileURL({ fileList: [file.fileID] }))?.fileList?.[0];
    if (typeof found?.tempFileURL === 'string' && found.tempFileURL) tempFileURL = found.tempFileURL;
    else throw Object.assign(new Error(String(found?.errMsg ?? 'no tempFileURL')), { errCode: found?.status });
  } catch (error) {
    warnings.push({
      code: 'linkCode.tempFileURL',
      zh: `拿不到小程序码的临时链接（${errMsgOf(error)}）；fileID 仍可用。`,
      en: `No temporary URL for the 小程序码 (${errMsgOf(error)}); the fileID still works.`,
    });
  }
  return {
    errcode: 0,
    errmsg: 'ok',
    action: 'linkCode',
    code: file.scene.slice(2),
    fileID: file.fileID,
    tempFileURL,
    scene: file.scene,
    page: file.page,
    envVersion: file.envVersion as EnvVersion,
    width: file.width,
    reused,
    warnings,
  };
}
