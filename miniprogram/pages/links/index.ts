/**
 * 链接管理: the stable links of genScheme, for admins. Lists them with their totals, draws the last
 * 14 days of one link as a bar chart (plain views, heights from data: utils/links-view.ts), creates a link and shows its
 * URL to copy, and disables / re-enables one. The selected link's 小程序码 (活码: linkCode, made once
 * and kept in cloud storage) is shown, can be saved to the album and its fileID copied. The function decides who is an admin (trusted callers:
 * GENSCHEME_ADMIN_OPENIDS): the page asks listLinks first and, on its policy refusal, shows only
 * "仅管理员可用".
 */
import { APP_PAGES } from '../../app-pages';
import { createLink, GenSchemeCallError, linkCode, linkStats, listLinks, updateLink } from '../../services/genscheme';
import { isErrorReply } from '../../shared/contract';
import type { StableLinkKind } from '../../shared/contract';
import { checkQuery } from '../../shared/checks';
import { barsOf, callFailureOf, failureOf, isKind, KIND_OPTIONS, rowOf, sum, type BarView, type FailureView, type LinkRow } from '../../utils/links-view';

/** The function's policy refusal (README "Errors"): this caller is not trusted. */
const POLICY_REFUSED = -900010;
const STATS_DAYS = 14;

Component({
  data: {
    /** loading → denied (not an admin) | error | ready */
    state: 'loading' as 'loading' | 'denied' | 'error' | 'ready',
    loadFailure: null as FailureView | null,
    links: [] as LinkRow[],
    // The chart of one link
    selected: '',
    statsLoading: false,
    statsFailure: null as FailureView | null,
    bars: [] as BarView[],
    totalVisits: 0,
    totalOpens: 0,
    /** e.g. 2026-11-16 至 2026-11-29 */
    rangeText: '',
    // The selected link's 小程序码
    codeLoading: false,
    codeFailure: null as FailureView | null,
    linkCode: null as { code: string; fileID: string; imageUrl: string } | null,
    saving: false,
    // The form
    pageTitles: APP_PAGES.map((page) => `${page.title} · ${page.path}`),
    pageIndex: 0,
    query: '',
    queryProblem: '',
    name: '',
    code: '',
    kindOptions: KIND_OPTIONS,
    kind: 'scheme' as StableLinkKind,
    creating: false,
    created: null as { code: string; text: string; isUrl: boolean } | null,
    createFailure: null as FailureView | null,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async load() {
      this.setData({ state: 'loading', loadFailure: null });
      try {
        const reply = await listLinks();
        if (isErrorReply(reply)) {
          if (reply.errcode === POLICY_REFUSED) this.setData({ state: 'denied', links: [] });
          else this.setData({ state: 'error', loadFailure: failureOf(reply) });
          return;
        }
        this.setData({ state: 'ready', links: reply.links.map(rowOf) });
      } catch (err) {
        this.setData({ state: 'error', loadFailure: callFailureOf(err) });
      }
    },

    onRetry() {
      return this.load();
    },

    /** Tapping a link shows its last 14 days. */
    onSelect(e: WechatMiniprogram.BaseEvent) {
      const code = String(e.currentTarget.dataset.code ?? '');
      if (code) return Promise.all([this.showStats(code), this.showCode(code)]);
    },

    /** The link's 小程序码: the stored one, or made on first ask (no WeChat call after that). */
    async showCode(code: string) {
      this.setData({ codeLoading: true, codeFailure: null, linkCode: null });
      try {
        const reply = await linkCode({ code });
        if (this.data.selected !== code) return;
        if (isErrorReply(reply)) this.setData({ codeFailure: failureOf(reply) });
        else this.setData({ linkCode: { code, fileID: reply.fileID, imageUrl: reply.tempFileURL || reply.fileID } });
      } catch (err) {
        if (this.data.selected === code) this.setData({ codeFailure: callFailureOf(err) });
      } finally {
        if (this.data.selected === code) this.setData({ codeLoading: false });
      }
    },

    /** Saves the PNG to the phone's album: downloaded from cloud storage, then wx.saveImageToPhotosAlbum. */
    async onSaveCode() {
      const shown = this.data.linkCode;
      if (!shown || this.data.saving) return;
      this.setData({ saving: true });
      try {
        const { tempFilePath } = await wx.cloud.downloadFile({ fileID: shown.fileID });
        await wx.saveImageToPhotosAlbum({ filePath: tempFilePath });
        wx.showToast({ title: '已保存到相册', icon: 'success' });
      } catch (err) {
        const denied = /auth|deny|denied/i.test(String((err as { errMsg?: unknown })?.errMsg ?? ''));
        wx.showToast({ title: denied ? '请在设置中允许保存到相册' : '保存失败，请稍后重试', icon: 'none' });
      } finally {
        this.setData({ saving: false });
      }
    },

    onCopyFileId() {
      const shown = this.data.linkCode;
      if (shown) wx.setClipboardData({ data: shown.fileID, fail: () => wx.showToast({ title: '复制失败，请长按复制', icon: 'none' }) });
    },

    async showStats(code: string) {
      this.setData({ selected: code, statsLoading: true, statsFailure: null, bars: [], rangeText: '', totalVisits: 0, totalOpens: 0 });
      try {
        const reply = await linkStats(code, STATS_DAYS);
        if (this.data.selected !== code) return; // another link was tapped meanwhile
        if (isErrorReply(reply)) this.setData({ statsFailure: failureOf(reply) });
        else
          this.setData({
            bars: barsOf(reply.days),
            rangeText: reply.days.length ? `${reply.days[0].date} 至 ${reply.days[reply.days.length - 1].date}` : '',
            totalVisits: sum(reply.days, 'visits'),
            totalOpens: sum(reply.days, 'opens'),
          });
      } catch (err) {
        if (this.data.selected === code) this.setData({ statsFailure: callFailureOf(err) });
      } finally {
        if (this.data.selected === code) this.setData({ statsLoading: false });
      }
    },

    async onToggle(e: WechatMiniprogram.BaseEvent) {
      const code = String(e.currentTarget.dataset.code ?? '');
      const index = this.data.links.findIndex((row) => row.code === code);
      if (index < 0 || this.data.links[index].toggling) return;
      const disabled = !this.data.links[index].disabled;
      this.setData({ [`links[${index}].toggling`]: true });
      try {
        const reply = await updateLink({ code, disabled });
        if (isErrorReply(reply)) wx.showToast({ title: reply.message.zh, icon: 'none' });
        else this.setData({ [`links[${index}].disabled`]: reply.link.disabled });
      } catch (err) {
        wx.showToast({ title: err instanceof GenSchemeCallError ? err.zh : '操作失败，请稍后重试', icon: 'none' });
      } finally {
        this.setData({ [`links[${index}].toggling`]: false });
      }
    },

    onPageChange(e: WechatMiniprogram.PickerChange) {
      const index = Number(e.detail.value);
      if (Number.isInteger(index) && index >= 0 && index < APP_PAGES.length) this.setData({ pageIndex: index });
    },

    onQueryInput(e: WechatMiniprogram.Input) {
      const query = e.detail.value;
      this.setData({ query, queryProblem: checkQuery(query)?.message.zh ?? '' });
    },

    onNameInput(e: WechatMiniprogram.Input) {
      this.setData({ name: e.detail.value });
    },

    onCodeInput(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value.trim() });
    },

    onKindChange(e: WechatMiniprogram.RadioGroupChange) {
      if (isKind(e.detail.value)) this.setData({ kind: e.detail.value });
    },

    async onCreate() {
      if (this.data.creating) return;
      const problem = checkQuery(this.data.query);
      if (problem) {
        this.setData({ queryProblem: problem.message.zh });
        return;
      }
      const { query, name, code, kind } = this.data;
      const path = APP_PAGES[this.data.pageIndex].path;
      this.setData({ creating: true, created: null, createFailure: null });
      try {
        const reply = await createLink({
          jumpWxa: query ? { path, query } : { path },
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(code ? { code } : {}),
          kind,
        });
        if (isErrorReply(reply)) {
          this.setData({ createFailure: failureOf(reply) });
          return;
        }
        const link = reply.link;
        this.setData({
          created: { code: link.code, text: link.url ?? link.code, isUrl: link.url !== undefined },
          links: [rowOf({ ...link, visits: 0, opens: 0 }), ...this.data.links.filter((row) => row.code !== link.code)],
          query: '',
          name: '',
          code: '',
        });
      } catch (err) {
        this.setData({ createFailure: callFailureOf(err) });
      } finally {
        this.setData({ creating: false });
      }
    },

    onCopyCreated() {
      const created = this.data.created;
      if (created) wx.setClipboardData({ data: created.text, fail: () => wx.showToast({ title: '复制失败，请长按复制', icon: 'none' }) });
    },
  },
});
