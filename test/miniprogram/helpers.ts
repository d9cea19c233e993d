/**
 * Shared by the page tests: load a page of the mini program under miniprogram-simulate
 * and read what a user would see.
 */
import * as path from 'path';
import * as simulate from 'miniprogram-simulate';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../miniprogram');

export type Comp = ReturnType<typeof simulate.render>;

/** Loads a page (app.json spelling, e.g. `pages/index/index`). Call once per path per test file. */
export function loadPage(page: string): string {
  return simulate.load(path.join(MINIPROGRAM_ROOT, page), 'page', { compiler: 'simulate', rootPath: MINIPROGRAM_ROOT });
}

/** The rendered text of `selector`, or undefined when it is not rendered (wx:if false). */
export function textOf(comp: Comp, selector: string): string | undefined {
  return comp.querySelector(selector)?.dom?.textContent?.trim();
}

/** An attribute as the template rendered it (built-in components are stubs, so not in the DOM). */
export function attrOf(comp: Comp, selector: string, name: string): unknown {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`${selector} is not rendered`);
  const json = (node as unknown as { toJSON(): { attrs: Array<{ name: string; value: unknown }> } }).toJSON();
  return json.attrs.find((attr) => attr.name === name)?.value;
}

/** Mutable view of simulate's `wx` mock, for installing jest mocks. */
export const mockWx = wx as unknown as Record<string, unknown>;

/** Renders a loaded page into the document, as the mini program would show it. */
export function openPage(pageId: string): Comp {
  const comp = simulate.render(pageId);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

/** j-component delivers events in a microtask: wait for the event and the handler's setData. */
export async function tap(comp: Comp, selector: string): Promise<void> {
  comp.querySelector(selector)!.dispatchEvent('tap');
  await simulate.sleep(0);
}
