/**
 * The sample page: pick a page, type a query, generate a URL Scheme link with genScheme,
 * copy it, and read why it failed when it does.
 * Built with Component (WeChat accepts it for pages) so miniprogram-simulate can test it.
 */
import { APP_PAGES } from '../../app-pages';
import { generate, GenSchemeCallError } from '../../services/genscheme';
import { isErrorReply } from '../../shared/contract';
import type { ErrorReply, GenerateReply, GenerateRequest } from '../../shared/contract';
import {
  checkQuery,
  DEFAULT_ENV_VERSION,
  ENV_VERSIONS,
  EXPIRE_INTERVAL_MAX_DAYS,
  EXPIRE_INTERVAL_MIN_DAYS,
  isEnvVersion,
  QUERY_MAX_LENGTH,
} from '../../shared/rules';
import type { EnvVersion } from '../../shared/rules';
import { formatLocalTime } from '../../utils/time';

const ENV_LABELS: Record<EnvVersion, string> = { release: '正式版', trial: '体验版', develop: '开发版' };

interface QueryProblemView {
  zh: string;
  hintZh: string;
}

interface LinkView {
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
  },

  methods: {
    onPageChange(e: WechatMiniprogram.PickerChange) {
      const index = Number(e.detail.value);
      if (Number.isInteger(index) && index >= 0 && index < APP_PAGES.length) this.setData({ pageIndex: index });
    },

    onQueryInput(e: WechatMiniprogram.Input) {
      const query = e.detail.value;
      const problem = checkQuery(query);
      this.setData({ query, queryProblem: problem && { zh: problem.zh, hintZh: problem.hintZh } });
      // No return value: a string returned from bindinput would replace the input's text.
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
        this.setData({ queryProblem: { zh: problem.zh, hintZh: problem.hintZh } });
        return;
      }
      const req = requestOf(APP_PAGES[this.data.pageIndex].path, this.data.query, this.data.envVersion, this.data.days);
      this.setData({ busy: true, link: null, failure: null });
      try {
        const reply = await generate(req);
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

    // Reserved for a later issue: a "check a link" box calling genScheme with
    // `action: 'query'` (see the matching section in index.wxml).
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

function linkOf(reply: GenerateReply): LinkView {
  return {
    openlink: reply.openlink,
    expireText: formatLocalTime(reply.expireTime),
    h5Url: reply.h5Url ?? '',
    warnings: (reply.warnings ?? []).map((w) => w.zh).filter((zh) => typeof zh === 'string' && zh !== ''),
  };
}

function failureOf(reply: ErrorReply): FailureView {
  return { message: reply.message.zh, hint: reply.hint.zh, code: `错误码 ${reply.errcode}` };
}

function callFailureOf(err: unknown): FailureView {
  if (err instanceof GenSchemeCallError) return { message: err.zh, hint: err.hintZh, code: '' };
  // Not expected (generate() rejects only with GenSchemeCallError); still say something readable.
  return { message: `生成失败:${err instanceof Error ? err.message : String(err)}`, hint: '请稍后重试。', code: '' };
}

function copy(text: string) {
  // On success WeChat itself shows "内容已复制".
  wx.setClipboardData({ data: text, fail: () => wx.showToast({ title: '复制失败,请长按链接复制', icon: 'none' }) });
}
