/**
 * The link targets: opened by a generated link, each shows the query it received and how
 * it was opened, so a link can be checked end to end on a phone.
 */
import * as simulate from 'miniprogram-simulate';
import { loadPage, mockWx, textOf } from './helpers';

const TARGETS = ['pages/publishHomework/publishHomework', 'pages/product/detail', 'pages/order/list', 'packageA/pages/promo/index'];
const ids = new Map(TARGETS.map((page) => [page, loadPage(page)]));
const originalGetEnterOptionsSync = mockWx.getEnterOptionsSync;

afterEach(() => {
  mockWx.getEnterOptionsSync = originalGetEnterOptionsSync;
});

function openWith(page: string, options: Record<string, string>, scene?: number) {
  mockWx.getEnterOptionsSync = jest.fn(() => ({ scene, path: page, query: options }));
  const comp = simulate.render(ids.get(page)!);
  (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad(options);
  return comp;
}

test.each(TARGETS)('%s shows its query and the encrypted-scheme scene', (page) => {
  const comp = openWith(page, { id: '42', from: 'sms' }, 1065);
  expect(textOf(comp, '#query')).toBe('id=42\nfrom=sms');
  expect(textOf(comp, '#scene')).toBe('加密 URL Scheme 打开(场景值 1065)');
});

test('the plaintext-scheme scene is named', () => {
  const comp = openWith('pages/product/detail', { sku: 'A1' }, 1286);
  expect(textOf(comp, '#scene')).toBe('明文 URL Scheme 打开(场景值 1286)');
});

test('other scenes show their number; no query says so', () => {
  const comp = openWith('pages/order/list', {}, 1001);
  expect(textOf(comp, '#scene')).toBe('场景值 1001');
  expect(textOf(comp, '#query')).toBe('（无参数）');
});

test('without getEnterOptionsSync (old base library) the scene is unknown, not an error', () => {
  const comp = simulate.render(ids.get('packageA/pages/promo/index')!);
  mockWx.getEnterOptionsSync = undefined;
  (comp.instance as unknown as { onLoad(o: Record<string, string>): void }).onLoad({ id: '7' });
  expect(textOf(comp, '#scene')).toBe('未知');
  expect(textOf(comp, '#query')).toBe('id=7');
});
