/** BASELINE cloud function entry (see handler.ts): wx-server-sdk + the zod-validated handler. */
import * as cloud from 'wx-server-sdk';
import { createHandler, type OpenApi } from './handler';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** The mini program's pages, copied from app.json by hand — as a team would. */
const PAGES = ['pages/index/index', 'pages/publishHomework/publishHomework', 'pages/product/detail', 'pages/order/list', 'packageA/pages/promo/index'];

const handle = createHandler({ openapi: cloud.openapi as unknown as OpenApi, pages: PAGES });

export async function main(event: unknown) {
  return handle(event);
}
