/**
 * The sample page: pick a page, type a query, generate a URL Scheme link with genScheme,
 * copy it, and read why it failed when it does; paste any link to check what it opens
 * (utils/check-view.ts).
 * Built with Component (WeChat accepts it for pages) so miniprogram-simulate can test it.
 */
import { APP_PAGES } from '../../app-pages';
import { generate, generateUrlLink, GenSchemeCallError, query as queryScheme } from '../../services/genscheme';
import { isErrorReply } from '../../shared/contract';
import type { ErrorReply, GenerateReply, GenerateRequest, UrlLinkReply, UrlLinkRequest } from '../../shared/contract';
import { checkQuery, isEnvVersion } from '../../shared/checks';
import { DEFAULT_ENV_VERSION, ENV_VERSIONS, EXPIRE_INTERVAL_MAX_DAYS, EXPIRE_INTERVAL_MIN_DAYS, QUERY_MAX_LENGTH } from '../../shared/platform';
import type { EnvVersion } from '../../shared/platform';
import { checkedOf, ENV_LABELS, schemeProblemOf, type CheckedView, type QueryProblemView } from '../../utils/check-view';
import { formatLocalTime } from '../../utils/time';

/** Which link to make: an https URL Link (platform-rules §8) or a weixin:// URL Scheme (§1). */
type LinkKind = 'urllink' | 'scheme';
/** One sentence each on where the link opens (§8, §9). */
const KIND_OPTIONS: Array<{ value: LinkKind; label: string; note: string }> = [
  { value: 'urllink', label: 'URL Link', note: 'https 链接：安卓和 iPhone 的短信里可直接点开，微信内也能打开（先显示微信的中间页）。' },
  { value: 'scheme', label: 'URL Scheme', note: 'weixin:// 链接：供 App 和微信外的 H5 页面拉起小程序；安卓短信里不能点开，在微信内也打不开。' },
];
const isLinkKind = (value: unknown): value is LinkKind => value === 'urllink' || value === 'scheme';

interface LinkView {
  kind: LinkKind;
  /** The link to copy: the openlink of a scheme, or the urlLink. */
  openlink: string;
  expireText: string;
  h5Url: string;
  warnings: string[];
}

interface FailureView {
  message: string;
  hint: string;
  /** e.g. "错误码 40165", empty when there is none. */
  code: string;
}

Component({
  data: {
    pageTitles: APP_PAGES.map((page) => `${page.title} · ${page.path}`),
    pageIndex: 0,
    kindOptions: KIND_OPTIONS,
    kind: 'scheme' as LinkKind,
    query: '',
    queryMax: QUERY_MAX_LENGTH,
    queryProblem: null as QueryProblemView | null,
    envOptions: ENV_VERSIONS.map((value) => ({ value, label: `${ENV_LABELS[value]} ${value}` })),
    envVersion: DEFAULT_ENV_VERSION as EnvVersion,
    days: EXPIRE_INTERVAL_MAX_DAYS,
    daysMin: EXPIRE_INTERVAL_MIN_DAYS,
    daysMax: EXPIRE_INTERVAL_MAX_DAYS,
    busy: false,
    link: null as LinkView | null,
    failure: null as FailureView | null,
    // The "check a link" box (action: 'query'), independent of the form above.
    checkText: '',
    checkProblem: null as QueryProblemView | null,
    checking: false,
    checked: null as CheckedView | null,
    checkFailure: null as FailureView | null,
  },

  methods: {
    onPageChange(e: WechatMiniprogram.PickerChange) {
      const index = Number(e.detail.value);
      if (Number.isInteger(index) && index >= 0 && index < APP_PAGES.length) this.setData({ pageIndex: index });
    },

    onQueryInput(e: WechatMiniprogram.Input) {
      const query = e.detail.value;
      const problem = checkQuery(query);
      this.setData({ query, queryProblem: problem && { zh: problem.message.zh, hintZh: problem.hint.zh } });
      // No return value: a string returned from bindinput would replace the input's text.
    },

    onKindChange(e: WechatMiniprogram.RadioGroupChange) {
      // A link of the other kind stays on screen until the next one is generated.
      if (isLinkKind(e.detail.value)) this.setData({ kind: e.detail.value });
    },

    onEnvChange(e: WechatMiniprogram.RadioGroupChange) {
      if (isEnvVersion(e.detail.value)) this.setData({ envVersion: e.detail.value });
    },

    /** Bound to both `changing` (live label while dragging) and `change`. */
    onDaysChange(e: WechatMiniprogram.SliderChange | WechatMiniprogram.SliderChanging) {
      const days = Number(e.detail.value);
      if (Number.isInteger(days) && days >= EXPIRE_INTERVAL_MIN_DAYS && days <= EXPIRE_INTERVAL_MAX_DAYS) this.setData({ days });
    },

    async onGenerate() {
      // The button is disabled meanwhile, but a tap can still arrive (double tap, old base library).
      if (this.data.busy) return;
      const problem = checkQuery(this.data.query);
      if (problem) {
        this.setData({ queryProblem: { zh: problem.message.zh, hintZh: problem.hint.zh } });
        return;
      }
      const req = requestOf(APP_PAGES[this.data.pageIndex].path, this.data.query, this.data.envVersion, this.data.days);
      this.setData({ busy: true, link: null, failure: null });
      try {
        const reply = this.data.kind === 'urllink' ? await generateUrlLink(urlLinkRequestOf(req)) : await generate(req);
        if (isErrorReply(reply)) this.setData({ failure: failureOf(reply) });
        else this.setData({ link: linkOf(reply) });
      } catch (err) {
        this.setData({ failure: callFailureOf(err) });
      } finally {
        this.setData({ busy: false });
      }
    },

    onCopyLink() {
      if (this.data.link) copy(this.data.link.openlink);
    },

    onCopyH5() {
      if (this.data.link?.h5Url) copy(this.data.link.h5Url);
    },

    onCheckInput(e: WechatMiniprogram.TextareaInput) {
      // The hint is about the text that was there; it is checked again on the next tap.
      this.setData({ checkText: e.detail.value, checkProblem: null });
    },

    onCheck() {
      return this.checkLink(this.data.checkText);
    },

    /** "检查此链接" under a generated link: fills the box with it and checks it at once. */
    onCheckGenerated() {
      const link = this.data.link;
      if (!link || this.data.checking) return;
      this.setData({ checkText: link.openlink, checkProblem: null });
      wx.pageScrollTo({ selector: '#check', duration: 300, fail: () => {} });
      return this.checkLink(link.openlink);
    },

    async checkLink(text: string) {
      // As for Generate: the button is disabled meanwhile, but a tap can still arrive.
      if (this.data.checking) return;
      const scheme = text.trim(); // a pasted link often comes with a line break
      const problem = schemeProblemOf(scheme);
      if (problem) {
        this.setData({ checkProblem: problem, checked: null, checkFailure: null });
        return;
      }
      this.setData({ checking: true, checkProblem: null, checked: null, checkFailure: null });
      try {
        const reply = await queryScheme(scheme);
        if (isErrorReply(reply)) this.setData({ checkFailure: failureOf(reply) });
        else this.setData({ checked: checkedOf(reply, scheme) });
      } catch (err) {
        this.setData({ checkFailure: callFailureOf(err, '检查失败') });
      } finally {
        this.setData({ checking: false });
      }
    },
  },
});

/** An empty query is left out: the link then opens the page without parameters. */
function requestOf(path: string, query: string, envVersion: EnvVersion, days: number): GenerateRequest {
  return {
    action: 'generate',
    jumpWxa: query ? { path, query, envVersion } : { path, envVersion },
    expireType: 1,
    expireInterval: days,
  };
}

/** The same target and expiry, as an `action: 'urllink'` request. */
function urlLinkRequestOf(req: GenerateRequest): UrlLinkRequest {
  return { action: 'urllink', jumpWxa: req.jumpWxa, expireType: req.expireType, expireInterval: req.expireInterval };
}

function linkOf(reply: GenerateReply | UrlLinkReply): LinkView {
  const isScheme = reply.action === 'generate';
  return {
    kind: isScheme ? 'scheme' : 'urllink',
    openlink: isScheme ? reply.openlink : reply.urlLink,
    expireText: formatLocalTime(reply.expireTime),
    h5Url: isScheme ? (reply.h5Url ?? '') : '',
    warnings: (reply.warnings ?? []).map((w) => w.zh).filter((zh) => typeof zh === 'string' && zh !== ''),
  };
}

function failureOf(reply: ErrorReply): FailureView {
  return { message: reply.message.zh, hint: reply.hint.zh, code: `错误码 ${reply.errcode}` };
}

function callFailureOf(err: unknown, what = '生成失败'): FailureView {
  if (err instanceof GenSchemeCallError) return { message: err.zh, hint: err.hintZh, code: err.errCode !== undefined ? `错误码 ${err.errCode}` : '' };
  // Not expected (the client rejects only with GenSchemeCallError); still say something readable.
  return { message: `${what}:${err instanceof Error ? err.message : String(err)}`, hint: '请稍后重试。', code: '' };
}

function copy(text: string) {
  // On success WeChat itself shows "内容已复制".
  wx.setClipboardData({ data: text, fail: () => wx.showToast({ title: '复制失败，请长按链接复制', icon: 'none' }) });
}
