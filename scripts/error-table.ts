/**
 * The README's error table, printed from the catalogue so the two cannot drift
 * (test/e2e/readme.e2e.test.ts compares them). `npm run error-table -- --write` updates README.md.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CATALOGUE, type CatalogueRow } from '../cloudfunctions/genScheme/src/wechat/catalogue';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Who retries, from the row's recovery. */
const RETRY: Record<CatalogueRow['recovery'], string> = {
  backoff: 'genScheme retries with backoff',
  pause: 'genScheme retries after a pause',
  later: 'not by genScheme; the caller may try again later',
  'refresh-token': 'HTTPS mode only: refresh the token once',
  none: 'no',
};

export function renderErrorTable(): string {
  const rows = [...CATALOGUE.values()].map(
    (e) => `| ${e.code} | ${e.source} | ${RETRY[e.recovery]} | ${cell(e.meaning.en)} ${cell(e.meaning.zh)} | ${cell(e.fix.en)} |`,
  );
  return ['| code | from | retry | meaning | what to do |', '|---|---|---|---|---|', ...rows].join('\n');
}

export const README = join(__dirname, '..', 'README.md');
export const START = '<!-- error-table:start -->';
export const END = '<!-- error-table:end -->';

if (require.main === module) {
  const table = renderErrorTable();
  if (process.argv.includes('--write')) {
    const text = readFileSync(README, 'utf8');
    const from = text.indexOf(START) + START.length;
    writeFileSync(README, `${text.slice(0, from)}\n${table}\n${text.slice(text.indexOf(END))}`);
    console.log(`README.md: error table written (${CATALOGUE.size} codes)`);
  } else {
    console.log(table);
  }
}
