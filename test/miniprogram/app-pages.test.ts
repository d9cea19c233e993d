/**
 * The page list the picker offers is kept by hand (DevTools cannot import app.json from
 * TypeScript); these tests make it fail loudly when it drifts from app.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { APP_PAGES } from '../../miniprogram/app-pages';
import { pagesOfAppJson } from '../../miniprogram/shared/app-pages';
import { MINIPROGRAM_ROOT } from './helpers';

const appJson: unknown = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8'));

test('APP_PAGES lists exactly the pages of app.json, in its order', () => {
  expect(APP_PAGES.map((page) => page.path)).toEqual(pagesOfAppJson(appJson));
});

test('every page has a title for the picker', () => {
  for (const page of APP_PAGES) expect(page.title.trim()).not.toBe('');
});

test.each(pagesOfAppJson(appJson))('%s exists as a Component-built page (.ts, .wxml, .json with usingComponents)', (page) => {
  const base = path.join(MINIPROGRAM_ROOT, page);
  expect(fs.readFileSync(`${base}.ts`, 'utf8')).toMatch(/\bComponent\(/);
  expect(fs.existsSync(`${base}.wxml`)).toBe(true);
  // WeChat requires usingComponents in the json of a page built with Component.
  expect(JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')).usingComponents).toEqual({});
});

test('app.json names a sitemap that exists', () => {
  const { sitemapLocation } = appJson as { sitemapLocation: string };
  expect(fs.existsSync(path.join(MINIPROGRAM_ROOT, sitemapLocation))).toBe(true);
});
