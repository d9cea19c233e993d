import { readFileSync } from 'fs';
import { join } from 'path';
import { pagesOfAppJson } from '../../miniprogram/shared/app-pages';

export const ROOT = join(__dirname, '../..');
/** The mini program's pages, read the way the build reads them. */
export const PAGES = pagesOfAppJson(JSON.parse(readFileSync(join(ROOT, 'miniprogram/app.json'), 'utf8')));
