/**
 * Every error code a genScheme caller can see, as data: WeChat's errcodes for URL Scheme
 * (platform-rules.md §1, §4), the cloud-call codes of wx-server-sdk / CloudBase (§1, "Cloud-call
 * failures"), and genScheme's own (negative, -9000xx, never used by WeChat).
 *
 * `retry` says what can help: `backoff` (system busy), `pause` (rate limit: wait for the next
 * second), `token` (HTTPS mode only: refresh the access token once), `no`.
 */

export type RetryKind = 'backoff' | 'pause' | 'token' | 'no';
export type CodeSource = 'wechat' | 'cloud' | 'genscheme';

export interface CatalogueEntry {
  code: number;
  source: CodeSource;
  retry: RetryKind;
  zh: string;
  en: string;
  fixZh: string;
  fixEn: string;
}

/**
 * genScheme's own codes: problems no WeChat code describes. Each is also a named constant, which
 * the bundler inlines as a plain number where it is used.
 */
export const EVENT_NOT_OBJECT = -900001;
export const UNKNOWN_FIELD = -900002;
export const INVALID_FIELD = -900003;
export const UNKNOWN_ACTION = -900004;
export const POLICY_DENIED = -900010;
export const RATE_LIMITED = -900011;
export const PUBLIC_DISABLED = -900012;
export const NO_OPENLINK = -900020;
export const TIME_BUDGET = -900021;
export const INTERNAL = -900099;
export const GS = {
  EVENT_NOT_OBJECT,
  UNKNOWN_FIELD,
  INVALID_FIELD,
  UNKNOWN_ACTION,
  POLICY_DENIED,
  RATE_LIMITED,
  PUBLIC_DISABLED,
  NO_OPENLINK,
  TIME_BUDGET,
  INTERNAL,
} as const;

/** Where a code comes from follows from its range: CloudBase's below -100000, WeChat's above (genScheme's own listed codes, ≤ -900000, say `genscheme`). */
const sourceOf = (code: number): CodeSource => (code < -100000 ? 'cloud' : 'wechat');

// The catalogue as text, one code a line: code|zh|en|fixZh|fixEn, then |retry where a retry can
// help (`no` otherwise). Plain text costs the bundle less than an array literal per code. No
// message may contain a "|" or a line break: test/unit/catalogue.test.ts checks every entry.
const TOKEN_FIX = 'HTTPS 调用时刷新一次 access_token；云调用不需要 token。|In HTTPS mode refresh the access token once; cloud calls need no token.';
const FN_FAILED = "云函数执行失败。|The cloud function failed.|查看云函数日志。|See the function's logs.";

// --- WeChat errcodes (platform-rules.md §1 error table, §4) ---
const WECHAT = `
-1|微信系统繁忙。|WeChat is busy.|稍后重试（genScheme 已自动退避重试）。|Try again shortly (genScheme already retried with backoff).|backoff
40001|access_token 无效。|The access token is invalid.|${TOKEN_FIX}|token
40014|access_token 不合法。|The access token is not valid.|${TOKEN_FIX}|token
42001|access_token 已过期。|The access token has expired.|${TOKEN_FIX}|token
40002|暂无生成权限：只有已发布的非个人主体小程序可以生成 URL Scheme。|No permission to generate: only published mini programs of non-personal (company) entities may generate URL Schemes.|确认小程序为企业等非个人主体且已发布。|Make sure the mini program belongs to a company (non-personal) entity and is published.
40013|生成权限已被封禁。|The permission to generate has been banned.|在小程序管理后台查看违规通知并申诉。|Check the violation notice in the MP admin and appeal.
40097|参数错误（查询 Scheme）。|Invalid arguments (query scheme).|检查 scheme 是否为完整的 weixin://dl/business/ 链接。|Check the scheme is a whole weixin://dl/business/ link.
40165|页面路径无效：不是已发布版本中存在的页面，或带了 query。|Invalid page path: not a page of the published version, or it carries a query string.|使用 app.json 中且已发布的页面，不要带 "?"；参数放 query。|Use a page of app.json that is published, without "?"; put parameters in query.
40212|query 无效：过长或含不允许的字符。|Invalid query: too long or contains characters that are not allowed.|最多 1024 个字符，只用数字、字母和 !#$&'()*+,/:;=?@-._~%，其他字符先百分号编码。|At most 1024 characters of digits, letters and !#$&'()*+,/:;=?@-._~%; percent-encode anything else.
44990|生成太频繁：每秒超过 100 次。|Too many calls: more than 100 per second.|降低并发；genScheme 已在本实例内限速并在下一秒重试。|Lower the concurrency; genScheme already paces calls per instance and retried in the next second.|pause
44993|今日生成数量已达上限（URL Scheme 与 URL Link 合计 50 万）。|Today's generation cap is reached (500,000 URL Schemes and URL Links together).|明天再试；一个链接可供多人打开，用 cq 参数区分收件人，或改用明文 Scheme（不需调用接口）。|Try tomorrow; one link may be opened by many people — tell recipients apart with cq, or use plaintext schemes (no API call).
45009|今日调用已达上限（旧错误码）。|Daily call limit reached (older code).|明天再试，并复用已生成的链接。|Try tomorrow, and reuse links already generated.
47001|请求格式错误：例如 env_version 写在了 jump_wxa 外面，或数字写成了字符串。|Malformed request: e.g. env_version outside jump_wxa, or numbers sent as strings.|按文档的字段层级和类型填写。|Follow the documented field nesting and types.
85079|小程序还没有发布版本。|The mini program has no published version.|先发布小程序，再生成链接。|Publish the mini program first.
85400|长期有效 Scheme 数量已达上限（旧错误码，现已不再有永久链接）。|Long-term scheme cap reached (older code; permanent links no longer exist).|使用 30 天内到期的链接。|Use links that expire within 30 days.
85401|有效期无效：必须在 1 分钟之后、30 天之内。|Invalid expiry: it must be more than 1 minute and at most 30 days ahead.|expireTime 用秒级 Unix 时间戳，或用 expireType: 1 + expireInterval（1–30 天）。|Use Unix seconds for expireTime, or expireType: 1 with expireInterval (1–30 days).
85402|env_version 无效。|Invalid env_version.|只能是 release、trial 或 develop。|Use release, trial or develop.
85403|找不到这个 Scheme：不是本小程序生成的，或链接不完整。|Scheme not found: not generated by this mini program, or the link is incomplete.|检查链接是否完整（含 t= 后的全部字符）以及是否属于本小程序。|Check the link is whole (all of t=…) and belongs to this mini program.
85405|该页面未开通明文 Scheme。|This page is not enabled for plaintext schemes.|在小程序管理后台「设置 → 隐私与安全 → 明文 Scheme 拉起此小程序」中添加该页面。|Add the page in the MP admin: 设置 → 隐私与安全 → 明文 Scheme 拉起此小程序.
85406|今日打开次数已用完。|Today's open quota is used up.|明天再试；用 action: "quota" 查看剩余次数。|Try tomorrow; use action: "quota" to see what is left.
85407|没有 Scheme 权限。|No scheme permission.|确认小程序主体与类目满足 URL Scheme 的开放范围。|Check the mini program's entity and category qualify for URL Scheme.
85408|该小程序已被封禁。|The appid is banned.|在小程序管理后台查看处罚通知。|See the penalty notice in the MP admin.`;

// --- Cloud-call failures (platform-rules.md §1, "Cloud-call failures") ---
const CLOUD = `
-604101|云函数没有调用该接口的权限。|The cloud function has no permission for this API.|在云函数的 config.json 中声明 permissions.openapi（如 "urlscheme.generate"），重新上传部署，权限缓存约 10 分钟后生效。|Declare the API in the function's config.json under permissions.openapi (e.g. "urlscheme.generate"), upload it again and wait about 10 minutes for the cached permission to refresh.
-604100|云调用接口不存在。|Cloud-call API not found.|检查接口名（urlscheme.generate）并升级 wx-server-sdk。|Check the API name (urlscheme.generate) and update wx-server-sdk.
-604102|云调用超时。|The cloud call timed out.|稍后重试。|Try again shortly.|backoff
-604104|非法的云调用来源。|Illegal cloud-call source.|只能在云函数内调用 cloud.openapi。|cloud.openapi may be called only inside a cloud function.
-501007|云开发参数无效（例如环境不存在）。|Invalid CloudBase parameters (e.g. the environment does not exist).|检查 cloud.init 的 env；用 cloud.DYNAMIC_CURRENT_ENV。|Check the env given to cloud.init; use cloud.DYNAMIC_CURRENT_ENV.
-501001|云开发系统错误，或环境因欠费被隔离。|CloudBase system error, or the environment is isolated for arrears.|查看云开发控制台的环境状态与账单；网络类错误可稍后重试。|Check the environment status and billing in the CloudBase console; network errors may pass if retried later.
-504002|${FN_FAILED}
-404011|${FN_FAILED}`;

// --- genScheme's own ---
const OWN = `
${EVENT_NOT_OBJECT}|事件必须是 JSON 对象。|The event must be a JSON object.|例如 {"jumpWxa":{"path":"pages/index/index"}}。|For example {"jumpWxa":{"path":"pages/index/index"}}.
${UNKNOWN_FIELD}|事件中有无法识别的字段。|The event has a field genScheme does not know.|检查拼写，或删除该字段。|Check the spelling, or remove the field.
${INVALID_FIELD}|字段的值无效。|A field has an invalid value.|按文档填写。|Follow the documented contract.
${UNKNOWN_ACTION}|未知的 action。|Unknown action.|action 只能是 generate、query、quota 或 plaintext。|action is generate, query, quota or plaintext.
${POLICY_DENIED}|调用方无权生成这样的链接。|The caller may not create this link.|按提示修改请求，或由管理员调整策略。|Change the request as the hint says, or have an admin change the policy.
${RATE_LIMITED}|调用太频繁。|Too many calls.|稍后再试。|Try again later.|pause
${PUBLIC_DISABLED}|未登录的调用方已被禁止。|Public (not signed-in) callers are switched off.|从小程序内调用，或由管理员开启 public 调用。|Call from the mini program, or have an admin switch public callers on.
${NO_OPENLINK}|微信返回成功，但没有链接。|WeChat answered without a link.|稍后重试；若持续出现，查看云函数日志。|Try again shortly; if it persists, see the function's logs.|backoff
${TIME_BUDGET}|微信在云函数的超时时间内没有回复。|WeChat did not answer within the function's time limit.|稍后重试（微信可能已生成链接但未能返回，重试会生成新链接），或把云函数超时时间调大（建议 10 秒）。|Try again shortly (WeChat may have made a link it could not return; a retry makes a new one), or raise the function's timeout (10 s is advised).|backoff
${INTERNAL}|genScheme 内部错误。|genScheme internal error.|查看云函数日志并报告问题。|See the function's logs and report the problem.`;

export const CATALOGUE: ReadonlyMap<number, CatalogueEntry> = new Map(
  (WECHAT + CLOUD + OWN).split('\n').slice(1).map((line): [number, CatalogueEntry] => {
    const [text, zh, en, fixZh, fixEn, retry = 'no'] = line.split('|');
    const code = Number(text);
    return [code, { code, source: code <= -900000 ? 'genscheme' : sourceOf(code), retry: retry as RetryKind, zh, en, fixZh, fixEn }];
  }),
);

/** The entry for a code; an unknown code gets a generic entry that still says where it came from. */
export function lookup(code: number): CatalogueEntry {
  const known = CATALOGUE.get(code);
  if (known) return known;
  return {
    code, source: sourceOf(code), retry: 'no',
    zh: `未登记的错误码 ${code}。`, en: `Unlisted error code ${code}.`,
    fixZh: '查看 errmsg 与微信文档的错误码说明。', fixEn: 'See errmsg and the error codes in the WeChat docs.',
  };
}
