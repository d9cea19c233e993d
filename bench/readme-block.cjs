// The "## Performance" block of README.md, written by `npm run bench` between the markers and
// checked by test/bench/readme.test.ts against bench/results/latest.json.
'use strict';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** The markdown that goes between the markers, from a bench result (bench/results/latest.json). */
function readmeBlock(result) {
  const m = result.machine;
  return [
    START,
    '',
    'Reproduce with `npm run bench` (about two minutes; `--build` rebuilds index.js first). What each row',
    'means and how it is taken: [bench/README.md](bench/README.md); every figure and sample:',
    '`bench/results/latest.json`. Written by the bench itself on its last run:',
    `Node ${m.node}, ${m.cores} cores (${m.cpu}), load average ${m.loadavgAtStart[0]} at the start —`,
    'the dev machine is shared, so wall-clock rows read high when it is busy.',
    '',
    '```',
    result.table,
    '```',
    '',
    END,
  ].join('\n');
}

/** README text with the block between the markers replaced; throws if the markers are missing. */
function replaceBlock(readme, block) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: ${START} … ${END} markers not found`);
  return readme.slice(0, a) + block + readme.slice(b + END.length);
}

/** The block currently in README text (markers included), or undefined. */
function currentBlock(readme) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  return a < 0 || b < a ? undefined : readme.slice(a, b + END.length);
}

module.exports = { START, END, readmeBlock, replaceBlock, currentBlock };
