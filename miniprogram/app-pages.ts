/**
 * The pages of app.json, in its order, for the page picker.
 * DevTools cannot import app.json from TypeScript, so the list lives here;
 * test/miniprogram/app-pages.test.ts fails when it drifts from app.json.
 */
export interface AppPage {
  /** As written in app.json (subpackage root included), no leading `/`. */
  path: string;
  /** Shown in the picker. */
  title: string;
}

export const APP_PAGES: readonly AppPage[] = [
  { path: 'pages/index/index', title: '首页（生成链接）' },
  { path: 'pages/publishHomework/publishHomework', title: '发布作业' },
  { path: 'pages/product/detail', title: '商品详情' },
  { path: 'pages/order/list', title: '订单列表' },
  { path: 'pages/links/index', title: '链接管理（管理员）' },
  { path: 'pages/code/index', title: '小程序码跳转页（活码）' },
  { path: 'packageA/pages/promo/index', title: '活动页（分包）' },
];
