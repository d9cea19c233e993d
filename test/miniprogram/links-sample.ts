/** Sample data for the 链接管理 page: its tests and its README screenshot. */
import type { LinkStatsDay, ListLinksReply, StableLinkKind } from '../../miniprogram/shared/contract';

export const SAMPLE_LINKS: ListLinksReply['links'] = [
  {
    code: 'spring-sms',
    name: '春季短信',
    kind: 'scheme',
    path: 'pages/product/detail',
    query: 'id=42',
    envVersion: 'release',
    cq: 'src=sms',
    disabled: false,
    createdAt: '2026-11-16T02:00:00.000Z',
    url: 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?l=spring-sms',
    visits: 1286,
    opens: 431,
  },
  {
    code: 'print-qr',
    name: '门店海报二维码',
    kind: 'urllink',
    path: 'packageA/pages/promo/index',
    query: '',
    envVersion: 'release',
    cq: '',
    disabled: false,
    createdAt: '2026-11-20T02:00:00.000Z',
    url: 'https://genscheme-1a2b3c.tcloudbaseapp.com/jump.html?l=print-qr',
    visits: 88,
    opens: 40,
  },
  {
    code: 'old-2025',
    name: '2025 双十一',
    kind: 'scheme',
    path: 'pages/order/list',
    query: '',
    envVersion: 'release',
    cq: '',
    disabled: true,
    createdAt: '2025-11-01T02:00:00.000Z',
    visits: 5020,
    opens: 1733,
  },
];

/** What the page sends to the function, as the stand-ins read it (jumpWxa is createLink's). */
export type SentData = { action: string; code?: string; name?: string; kind?: StableLinkKind; disabled?: boolean; jumpWxa: { path: string; query?: string } };

/** 14 China days ending 2026-11-29, oldest first, the busiest day 100 visits. */
export const SAMPLE_DAYS: LinkStatsDay[] = [12, 30, 25, 40, 100, 60, 45, 50, 20, 10, 35, 80, 70, 55].map((visits, i) => ({
  date: `2026-11-${String(16 + i).padStart(2, '0')}`,
  visits,
  opens: Math.round(visits * 0.3),
  openers: Math.round(visits * 0.25),
}));
