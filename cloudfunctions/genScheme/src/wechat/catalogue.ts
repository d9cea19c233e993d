/**
 * Every error code a genScheme caller can see, as typed rows: WeChat's errcodes for URL Scheme
 * and URL Link (platform-rules §1, §4, §8), the cloud-call codes of wx-server-sdk and CloudBase (§1, "cloud-call
 * failures") and genScheme's own (-9000xx, a range neither WeChat nor CloudBase uses).
 *
 * `recovery` says what can help, and both retry decisions derive from it:
 *  - backoff: WeChat is busy and made no link (§1: -1). genScheme retries with backoff.
 *  - pause:   more than 100 calls in a second (§5: 44990). genScheme retries in the next second.
 *  - later:   the caller may try again later; genScheme does not, because WeChat may already have
 *             made a link (a time-out) or the limit is the caller's own.
 *  - refresh-token: HTTPS mode only; cloud calls carry no token.
 *  - none:    a rule, a permission or a cap; calling again does not help.
 */
import type { Bilingual, FailureSource } from '../../../../miniprogram/shared/failure';
import {
  EVENT_NOT_OBJECT,
  UNKNOWN_FIELD,
  INVALID_FIELD,
  UNKNOWN_ACTION,
  POLICY_DENIED,
  RATE_LIMITED,
  PUBLIC_DISABLED,
  NO_OPENLINK,
  TIME_BUDGET,
  NO_IMAGE,
  STABLE_NOT_FOUND,
  STABLE_DISABLED,
  STABLE_UNAVAILABLE,
  STABLE_CODE_TAKEN,
  INTERNAL,
} from './codes';

export type Recovery = 'backoff' | 'pause' | 'later' | 'refresh-token' | 'none';
export type CodeSource = Exclude<FailureSource, 'input' | 'policy'>;

export interface CatalogueRow {
  code: number;
  source: CodeSource;
  recovery: Recovery;
  /** What the code means. */
  meaning: Bilingual;
  /** What the caller should do. */
  fix: Bilingual;
}

// A table, three lines a row (code, meaning, fix) as README's error table reads: kept as laid out.
// prettier-ignore
const ROWS: readonly CatalogueRow[] = [
  // --- WeChat errcodes (§1 error table, §4) ---
  { code: -1, source: 'wechat', recovery: 'backoff',
    meaning: { zh: '微信系统繁忙。', en: 'WeChat is busy.' },
    fix: { zh: '稍后重试（genScheme 已自动退避重试）。', en: 'Try again shortly (genScheme already retried with backoff).' } },
  { code: 40001, source: 'wechat', recovery: 'refresh-token',
    meaning: { zh: 'access_token 无效。', en: 'The access token is invalid.' },
    fix: { zh: 'HTTPS 调用时刷新一次 access_token；云调用不需要 token。', en: 'In HTTPS mode refresh the access token once; cloud calls need no token.' } },
  { code: 40014, source: 'wechat', recovery: 'refresh-token',
    meaning: { zh: 'access_token 不合法。', en: 'The access token is not valid.' },
    fix: { zh: 'HTTPS 调用时刷新一次 access_token；云调用不需要 token。', en: 'In HTTPS mode refresh the access token once; cloud calls need no token.' } },
  { code: 42001, source: 'wechat', recovery: 'refresh-token',
    meaning: { zh: 'access_token 已过期。', en: 'The access token has expired.' },
    fix: { zh: 'HTTPS 调用时刷新一次 access_token；云调用不需要 token。', en: 'In HTTPS mode refresh the access token once; cloud calls need no token.' } },
  { code: 40002, source: 'wechat', recovery: 'none',
    meaning: { zh: '暂无生成权限：只有已发布的非个人主体小程序可以生成 URL Scheme。', en: 'No permission to generate: only published mini programs of non-personal (company) entities may generate URL Schemes.' },
    fix: { zh: '确认小程序为企业等非个人主体且已发布。', en: 'Make sure the mini program belongs to a company (non-personal) entity and is published.' } },
  { code: 40013, source: 'wechat', recovery: 'none',
    meaning: { zh: '生成权限已被封禁。', en: 'The permission to generate has been banned.' },
    fix: { zh: '在小程序管理后台查看违规通知并申诉。', en: 'Check the violation notice in the MP admin and appeal.' } },
  { code: 40097, source: 'wechat', recovery: 'none',
    meaning: { zh: '参数错误（查询 Scheme 或 URL Link；小程序码的 env_version 或其他参数）。', en: 'Invalid arguments (query scheme or URL Link; a 小程序码\'s env_version or other argument).' },
    fix: { zh: '检查链接是否完整：weixin://dl/business/?t=…（cq 用 &cq=），或 https://wxaurl.cn/…（cq 用 ?cq=）；小程序码的 env_version 只能是 release、trial 或 develop（不能为空）。', en: 'Check the link is whole: weixin://dl/business/?t=… (cq joined with &cq=), or https://wxaurl.cn/… (cq joined with ?cq=); a 小程序码\'s env_version is release, trial or develop (not empty).' } },
  { code: 40165, source: 'wechat', recovery: 'none',
    meaning: { zh: '页面路径无效：不是已发布版本中存在的页面，或带了 query。', en: 'Invalid page path: not a page of the published version, or it carries a query string.' },
    fix: { zh: '使用 app.json 中且已发布的页面，不要带 "?"；参数放 query。', en: 'Use a page of app.json that is published, without "?"; put parameters in query.' } },
  // §12: wxacode.getUnlimited's own answers.
  { code: 40169, source: 'wechat', recovery: 'none',
    meaning: { zh: '小程序码的 scene 无效：超过 32 个字符或含不允许的字符。', en: 'Invalid 小程序码 scene: over 32 characters, or characters that are not allowed.' },
    fix: { zh: 'scene 最多 32 个字符，只用数字、字母和 !#$&\'()*+,/:;=?@-._~（不能有 %，所以不能放编码后的中文）；稳定链接的代码最长 30 个字符才能放进 l=CODE。', en: 'A scene holds at most 32 characters of digits, letters and !#$&\'()*+,/:;=?@-._~ (no %, so no URL-encoded Chinese); a stable link\'s code fits l=CODE only when it is at most 30 characters.' } },
  { code: 41030, source: 'wechat', recovery: 'none',
    meaning: { zh: '小程序码的 page 无效：不是已发布版本中的页面，或以 / 开头、带了 query。', en: 'Invalid 小程序码 page: not a page of the published version, or it starts with / or carries a query.' },
    fix: { zh: '先发布含该页面（pages/code/index）的版本；page 不以 / 开头、不带 ?。', en: 'Publish a version that has the page (pages/code/index) first; no leading / and no ?.' } },
  { code: 40212, source: 'wechat', recovery: 'none',
    meaning: { zh: 'query 无效：过长或含不允许的字符。', en: 'Invalid query: too long or contains characters that are not allowed.' },
    fix: { zh: '最多 1024 个字符，只用数字、字母和 !#$&\'()*+,/:;=?@-._~%，其他字符先百分号编码。', en: 'At most 1024 characters of digits, letters and !#$&\'()*+,/:;=?@-._~%; percent-encode anything else.' } },
  { code: 44990, source: 'wechat', recovery: 'pause',
    meaning: { zh: '生成太频繁：每秒超过 100 次。', en: 'Too many calls: more than 100 per second.' },
    fix: { zh: '降低并发；genScheme 已在所有实例间统一限速，并在下一秒重试。', en: 'Lower the concurrency; genScheme paces generate calls across its instances and retried in the next second.' } },
  { code: 44993, source: 'wechat', recovery: 'none',
    meaning: { zh: '今日生成数量已达上限（URL Scheme 与 URL Link 合计 50 万）。', en: 'Today\'s generation cap is reached (500,000 URL Schemes and URL Links together).' },
    fix: { zh: '明天再试；一个链接可供多人打开，用 cq 参数区分收件人，或改用明文 Scheme（不需调用接口）。', en: 'Try tomorrow; one link may be opened by many people — tell recipients apart with cq, or use plaintext schemes (no API call).' } },
  { code: 45009, source: 'wechat', recovery: 'none',
    meaning: { zh: '调用已达上限：今日上限（旧错误码），或小程序码每分钟 5000 次。', en: 'Call limit reached: the daily limit (older code), or 5,000 小程序码 a minute.' },
    fix: { zh: '稍后再试，并复用已生成的链接和小程序码（genScheme 为每个稳定链接只生成一次小程序码）。', en: 'Try again later, and reuse links and codes already made (genScheme makes one 小程序码 per stable link).' } },
  { code: 47001, source: 'wechat', recovery: 'none',
    meaning: { zh: '请求格式错误：例如 env_version 写在了 jump_wxa 外面，或数字写成了字符串。', en: 'Malformed request: e.g. env_version outside jump_wxa, or numbers sent as strings.' },
    fix: { zh: '按文档的字段层级和类型填写。', en: 'Follow the documented field nesting and types.' } },
  // §8, §12 ⚠️: listed in one SDK's table only, not on WeChat's pages; kept so a URL Link caller who meets it gets a fix.
  { code: 85088, source: 'wechat', recovery: 'none',
    meaning: { zh: '（仅见于一个 SDK 的错误码表，微信文档未列出）生成 URL Link 时云开发未开通或不可用。', en: '(Listed in one SDK\'s table only, not on WeChat\'s pages) cloud development is not enabled or not usable when generating a URL Link.' },
    fix: { zh: '确认小程序已开通云开发；用了 cloud_base 时检查 env 是否为存在的环境 ID（不是环境名称）；不需要自定义中间页时去掉 cloud_base。', en: 'Make sure cloud development is enabled for the mini program; with cloud_base, check env is the ID (not the name) of an existing environment; leave cloud_base out when WeChat\'s own middle page will do.' } },
  { code: 85079, source: 'wechat', recovery: 'none',
    meaning: { zh: '小程序还没有发布版本。', en: 'The mini program has no published version.' },
    fix: { zh: '先发布小程序，再生成链接。', en: 'Publish the mini program first.' } },
  { code: 85400, source: 'wechat', recovery: 'none',
    meaning: { zh: '长期有效 Scheme 数量已达上限（旧错误码，现已不再有永久链接）。', en: 'Long-term scheme cap reached (older code; permanent links no longer exist).' },
    fix: { zh: '使用 30 天内到期的链接。', en: 'Use links that expire within 30 days.' } },
  { code: 85401, source: 'wechat', recovery: 'none',
    meaning: { zh: '有效期无效：必须在 1 分钟之后、30 天之内。', en: 'Invalid expiry: it must be more than 1 minute and at most 30 days ahead.' },
    fix: { zh: 'expireTime 用秒级 Unix 时间戳，或用 expireType: 1 + expireInterval（1–30 天）。', en: 'Use Unix seconds for expireTime, or expireType: 1 with expireInterval (1–30 days).' } },
  { code: 85402, source: 'wechat', recovery: 'none',
    meaning: { zh: 'env_version 无效。', en: 'Invalid env_version.' },
    fix: { zh: '只能是 release、trial 或 develop。', en: 'Use release, trial or develop.' } },
  { code: 85403, source: 'wechat', recovery: 'none',
    meaning: { zh: '找不到这个 Scheme 或 URL Link：不是本小程序生成的，或链接不完整。', en: 'Scheme or URL Link not found: not generated by this mini program, or the link is incomplete.' },
    fix: { zh: '检查链接是否完整（含 t= 或 wxaurl.cn/ 后的全部字符）以及是否属于本小程序。', en: 'Check the link is whole (all of t=… or of wxaurl.cn/…) and belongs to this mini program.' } },
  { code: 85405, source: 'wechat', recovery: 'none',
    meaning: { zh: '该页面未开通明文 Scheme。', en: 'This page is not enabled for plaintext schemes.' },
    fix: { zh: '在小程序管理后台「设置 → 隐私与安全 → 明文 Scheme 拉起此小程序」中添加该页面。', en: 'Add the page in the MP admin: 设置 → 隐私与安全 → 明文 Scheme 拉起此小程序.' } },
  { code: 85406, source: 'wechat', recovery: 'none',
    meaning: { zh: '今日打开次数已用完。', en: 'Today\'s open quota is used up.' },
    fix: { zh: '明天再试；用 action: "quota" 查看剩余次数。', en: 'Try tomorrow; use action: "quota" to see what is left.' } },
  { code: 85407, source: 'wechat', recovery: 'none',
    meaning: { zh: '没有 Scheme 权限。', en: 'No scheme permission.' },
    fix: { zh: '确认小程序主体与类目满足 URL Scheme 的开放范围。', en: 'Check the mini program\'s entity and category qualify for URL Scheme.' } },
  { code: 85408, source: 'wechat', recovery: 'none',
    meaning: { zh: '该小程序已被封禁。', en: 'The appid is banned.' },
    fix: { zh: '在小程序管理后台查看处罚通知。', en: 'See the penalty notice in the MP admin.' } },
  // --- cloud-call failures (§1) ---
  { code: -604101, source: 'cloud', recovery: 'none',
    meaning: { zh: '云函数没有调用该接口的权限。', en: 'The cloud function has no permission for this API.' },
    fix: { zh: '在云函数的 config.json 中声明 permissions.openapi（如 "urlscheme.generate"、"urllink.generate"），重新上传部署，权限缓存约 10 分钟后生效。', en: 'Declare the API in the function\'s config.json under permissions.openapi (e.g. "urlscheme.generate", "urllink.generate"), upload it again and wait about 10 minutes for the cached permission to refresh.' } },
  { code: -604100, source: 'cloud', recovery: 'none',
    meaning: { zh: '云调用接口不存在。', en: 'Cloud-call API not found.' },
    fix: { zh: '检查接口名（urlscheme.generate、urllink.generate）并升级 wx-server-sdk。', en: 'Check the API name (urlscheme.generate, urllink.generate) and update wx-server-sdk.' } },
  { code: -604102, source: 'cloud', recovery: 'later',
    meaning: { zh: '云调用超时。', en: 'The cloud call timed out.' },
    fix: { zh: '稍后重试。', en: 'Try again shortly.' } },
  { code: -604104, source: 'cloud', recovery: 'none',
    meaning: { zh: '非法的云调用来源。', en: 'Illegal cloud-call source.' },
    fix: { zh: '只能在云函数内调用 cloud.openapi。', en: 'cloud.openapi may be called only inside a cloud function.' } },
  { code: -501007, source: 'cloud', recovery: 'none',
    meaning: { zh: '云开发参数无效（例如环境不存在）。', en: 'Invalid CloudBase parameters (e.g. the environment does not exist).' },
    fix: { zh: '检查 cloud.init 的 env；用 cloud.DYNAMIC_CURRENT_ENV。', en: 'Check the env given to cloud.init; use cloud.DYNAMIC_CURRENT_ENV.' } },
  { code: -501001, source: 'cloud', recovery: 'none',
    meaning: { zh: '云开发系统错误，或环境因欠费被隔离。', en: 'CloudBase system error, or the environment is isolated for arrears.' },
    fix: { zh: '查看云开发控制台的环境状态与账单；网络类错误可稍后重试。', en: 'Check the environment status and billing in the CloudBase console; network errors may pass if retried later.' } },
  { code: -504002, source: 'cloud', recovery: 'none',
    meaning: { zh: '云函数执行失败。', en: 'The cloud function failed.' },
    fix: { zh: '查看云函数日志。', en: 'See the function\'s logs.' } },
  { code: -404011, source: 'cloud', recovery: 'none',
    meaning: { zh: '云函数执行失败。', en: 'The cloud function failed.' },
    fix: { zh: '查看云函数日志。', en: 'See the function\'s logs.' } },
  { code: -601001, source: 'cloud', recovery: 'later',
    meaning: { zh: '微信服务器有回复，但 wx-server-sdk 无法解析。', en: 'WeChat\'s server answered something wx-server-sdk could not read.' },
    fix: { zh: '稍后重试（微信可能已生成链接，重试会生成新链接）；若持续出现，升级 wx-server-sdk 并查看云函数日志。', en: 'Try again later (WeChat may already have made a link; a retry makes a new one); if it persists, update wx-server-sdk and see the function\'s logs.' } },
  // --- CloudBase database failures (§11) ---
  { code: -502001, source: 'cloud', recovery: 'later',
    meaning: { zh: '数据库请求失败。', en: 'The database request failed.' },
    fix: { zh: '稍后重试；若持续出现，查看云函数日志中的原因。', en: 'Try again later; if it persists, see the cause in the function\'s logs.' } },
  { code: -502002, source: 'cloud', recovery: 'none',
    meaning: { zh: '数据库操作符无效或不受支持。', en: 'Invalid or unsupported database operator.' },
    fix: { zh: '检查查询或更新中使用的操作符（db.command）。', en: 'Check the operators (db.command) used in the query or update.' } },
  { code: -502003, source: 'cloud', recovery: 'none',
    meaning: { zh: '没有该数据库资源的权限。', en: 'No permission on this database resource.' },
    fix: { zh: '在云开发控制台检查集合的权限设置。', en: 'Check the collection\'s permissions in the CloudBase console.' } },
  { code: -502004, source: 'cloud', recovery: 'none',
    meaning: { zh: '数据库集合数量已达上限。', en: 'The database has reached its collection limit.' },
    fix: { zh: '删除不用的集合，或升级云开发套餐。', en: 'Remove unused collections, or upgrade the CloudBase plan.' } },
  { code: -502005, source: 'cloud', recovery: 'none',
    meaning: { zh: '数据库集合不存在。', en: 'The database collection does not exist.' },
    fix: { zh: '先创建集合（云开发控制台或 db.createCollection）。', en: 'Create the collection first (CloudBase console or db.createCollection).' } },
  // --- genScheme's own ---
  { code: EVENT_NOT_OBJECT, source: 'genscheme', recovery: 'none',
    meaning: { zh: '事件必须是 JSON 对象。', en: 'The event must be a JSON object.' },
    fix: { zh: '例如 {"jumpWxa":{"path":"pages/index/index"}}。', en: 'For example {"jumpWxa":{"path":"pages/index/index"}}.' } },
  { code: UNKNOWN_FIELD, source: 'genscheme', recovery: 'none',
    meaning: { zh: '事件中有无法识别的字段。', en: 'The event has a field genScheme does not know.' },
    fix: { zh: '检查拼写，或删除该字段。', en: 'Check the spelling, or remove the field.' } },
  { code: INVALID_FIELD, source: 'genscheme', recovery: 'none',
    meaning: { zh: '字段的值无效。', en: 'A field has an invalid value.' },
    fix: { zh: '按文档填写。', en: 'Follow the documented contract.' } },
  { code: UNKNOWN_ACTION, source: 'genscheme', recovery: 'none',
    meaning: { zh: '未知的 action。', en: 'Unknown action.' },
    fix: { zh: 'action 只能是 generate、urllink、query、quota、plaintext、createLink、resolveLink、updateLink、listLinks、linkStats、landed 或 linkCode。', en: 'action is generate, urllink, query, quota, plaintext, createLink, resolveLink, updateLink, listLinks, linkStats, landed or linkCode.' } },
  { code: POLICY_DENIED, source: 'genscheme', recovery: 'none',
    meaning: { zh: '调用方无权生成这样的链接。', en: 'The caller may not create this link.' },
    fix: { zh: '按提示修改请求，或由管理员调整策略。', en: 'Change the request as the hint says, or have an admin change the policy.' } },
  { code: RATE_LIMITED, source: 'genscheme', recovery: 'later',
    meaning: { zh: '调用太频繁。', en: 'Too many calls.' },
    fix: { zh: '稍后再试。', en: 'Try again later.' } },
  { code: PUBLIC_DISABLED, source: 'genscheme', recovery: 'none',
    meaning: { zh: '未登录的调用方已被禁止。', en: 'Public (not signed-in) callers are switched off.' },
    fix: { zh: '从小程序内调用，或由管理员开启 public 调用。', en: 'Call from the mini program, or have an admin switch public callers on.' } },
  { code: NO_OPENLINK, source: 'genscheme', recovery: 'later',
    meaning: { zh: '微信返回成功，但没有链接（openlink 或 url_link）。', en: 'WeChat answered without a link (openlink or url_link).' },
    fix: { zh: '稍后重试；若持续出现，查看云函数日志。', en: 'Try again shortly; if it persists, see the function\'s logs.' } },
  { code: TIME_BUDGET, source: 'genscheme', recovery: 'later',
    meaning: { zh: '微信在云函数的超时时间内没有回复。', en: 'WeChat did not answer within the function\'s time limit.' },
    fix: { zh: '稍后重试（微信可能已生成链接但未能返回，重试会生成新链接），或把云函数超时时间调大（建议 10 秒）。', en: 'Try again shortly (WeChat may have made a link it could not return; a retry makes a new one), or raise the function\'s timeout (10 s is advised).' } },
  { code: NO_IMAGE, source: 'genscheme', recovery: 'later',
    meaning: { zh: '微信没有返回小程序码图片。', en: 'WeChat answered without a 小程序码 image.' },
    fix: { zh: '稍后重试；若持续出现，查看云函数日志。', en: 'Try again shortly; if it persists, see the function\'s logs.' } },
  { code: STABLE_NOT_FOUND, source: 'genscheme', recovery: 'none',
    meaning: { zh: '找不到这个稳定链接。', en: 'Stable link not found.' },
    fix: { zh: '检查链接中 l= 后的代码是否完整；管理员可用 listLinks 查看现有链接。', en: 'Check the code after l= is whole; an admin can see the links with listLinks.' } },
  { code: STABLE_DISABLED, source: 'genscheme', recovery: 'none',
    meaning: { zh: '这个稳定链接已停用。', en: 'This stable link is disabled.' },
    fix: { zh: '活动可能已结束；管理员可用 updateLink 的 disabled: false 重新启用。', en: 'The campaign may be over; an admin can enable it again with updateLink and disabled: false.' } },
  { code: STABLE_UNAVAILABLE, source: 'genscheme', recovery: 'later',
    meaning: { zh: '稳定链接暂时无法使用：云数据库不可用，或新链接正在生成。', en: 'Stable links are unavailable for now: the CloudBase database is down, or a new ticket is being made.' },
    fix: { zh: '几秒后重试；若持续出现，查看云函数日志中的数据库错误。', en: 'Try again in a few seconds; if it persists, see the database errors in the function\'s logs.' } },
  { code: STABLE_CODE_TAKEN, source: 'genscheme', recovery: 'none',
    meaning: { zh: '稳定链接的代码已被占用。', en: 'The stable link code is taken.' },
    fix: { zh: '换一个代码，或不填 code 让 genScheme 生成。', en: 'Choose another code, or leave code out and genScheme makes one.' } },
  { code: INTERNAL, source: 'genscheme', recovery: 'none',
    meaning: { zh: 'genScheme 内部错误。', en: 'genScheme internal error.' },
    fix: { zh: '查看云函数日志并报告问题。', en: 'See the function\'s logs and report the problem.' } },
];

export const CATALOGUE: ReadonlyMap<number, CatalogueRow> = new Map(ROWS.map((row) => [row.code, row]));

/** CloudBase's codes lie below -100000; WeChat's above. */
const sourceOf = (code: number): CodeSource => (code <= -900000 ? 'genscheme' : code < -100000 ? 'cloud' : 'wechat');

/** The row for a code; an unlisted code gets a generic row that still names it. */
export function lookup(code: number): CatalogueRow {
  return (
    CATALOGUE.get(code) ?? {
      code,
      source: sourceOf(code),
      recovery: 'none',
      meaning: { zh: `未登记的错误码 ${code}。`, en: `Unlisted error code ${code}.` },
      fix: { zh: '查看 errmsg 与微信文档的错误码说明。', en: 'See errmsg and the error codes in the WeChat docs.' },
    }
  );
}

/** Whether genScheme itself calls WeChat again after this code (§1 error table, §5). */
export function retriedByGenScheme(code: number): boolean {
  const { recovery } = lookup(code);
  return recovery === 'backoff' || recovery === 'pause';
}

/** Whether the caller can expect a later call to succeed: the reply's `retryable`. */
export function callerMayRetry(code: number): boolean {
  const { recovery } = lookup(code);
  return recovery === 'backoff' || recovery === 'pause' || recovery === 'later';
}
