/**
 * The README's error table, printed from the catalogue so the two cannot drift
 * (test/e2e/readme.e2e.test.ts compares them). `npm run error-table -- --write` updates README.md.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CATALOGUE, type CatalogueEntry } from '../cloudfunctions/genScheme/src/catalogue';
import { RETRIED_CODES } from '../cloudfunctions/genScheme/src/retry';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** Who retries: genScheme itself (only RETRIED_CODES), the caller later, or nobody. */
function retry(e: CatalogueEntry): string {
  if (e.retry === 'token') return 'HTTPS mode only: refresh the token once';
  if (e.retry === 'no') return 'no';
  if (RETRIED_CODES.includes(e.code)) return e.retry === 'pause' ? 'genScheme retries after a pause' : 'genScheme retries with backoff';
  return 'not by genScheme; the caller may try again later';
}

export function renderErrorTable(): string {
  const rows = [...CATALOGUE.values()].map((e) => `| ${e.code} | ${e.source} | ${retry(e)} | ${cell(e.en)} ${cell(e.zh)} | ${cell(e.fixEn)} |`);
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
