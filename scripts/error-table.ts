/**
 * The README's error table, printed from the catalogue so the two cannot drift
 * (test/e2e/readme.e2e.test.ts compares them). `npm run error-table -- --write` updates README.md.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CATALOGUE, type RetryKind } from '../cloudfunctions/genScheme/src/catalogue';

const RETRY: Record<RetryKind, string> = { backoff: 'yes, backoff', pause: 'yes, after a pause', token: 'HTTPS mode: refresh the token once', no: 'no' };
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderErrorTable(): string {
  const rows = [...CATALOGUE.values()].map((e) => `| ${e.code} | ${e.source} | ${RETRY[e.retry]} | ${cell(e.en)} ${cell(e.zh)} | ${cell(e.fixEn)} |`);
  return ['| code | from | retried | meaning | what to do |', '|---|---|---|---|---|', ...rows].join('\n');
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
