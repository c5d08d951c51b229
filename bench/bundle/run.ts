import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { machineLine } from '../lib/machine.js';
import { kb, table } from '../lib/markdown.js';
import { packageFunctions, readZipEntry } from '../lib/package.js';
import { budgetFor, checkBudget, readBudget, writeBudget } from './budget.js';
import { builtBundles } from './contributors.js';

/**
 * npm run bench:bundle [-- --write-budget] [-- --keep]
 * Packages the service as `serverless package` does, prints every function's bundle size (the .mjs in
 * its zip: bytes and gzip -9 bytes; and the zip), checks them against bench/bundle/budget.json and
 * exits non-zero when one grew past its budget. Lists the biggest contributors of each bundle from an
 * esbuild metafile built with the same options, and fails when that build is not the packaged bundle
 * byte for byte (npm test checks the budget on it). --write-budget resets the budget to today's sizes
 * plus its headroom; --keep leaves the package folder for bench:cold (--package DIR).
 */
const BUDGET_FILE = join(import.meta.dirname, 'budget.json');
const TOP_CONTRIBUTORS = 6;

const { values } = parseArgs({
  options: { 'write-budget': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
});
const bytes = (value: number): string => value.toLocaleString('en-US');

console.log(machineLine());
const packaged = await packageFunctions();
try {
  console.log(`serverless package: ${packaged.functions.length} functions in ${packaged.seconds.toFixed(1)} s\n`);
  const sizes = packaged.functions.map((fn) => {
    const bundle = readZipEntry(fn.zipPath, fn.bundleEntry);
    return { ...fn, bytes: bundle.length, gzipBytes: gzipSync(bundle, { level: 9 }).length };
  });

  let budget = readBudget(BUDGET_FILE);
  if (values['write-budget']) {
    budget = budgetFor(sizes, budget.headroomPercent);
    writeBudget(BUDGET_FILE, budget);
    console.log(`${BUDGET_FILE} written: today's sizes + ${budget.headroomPercent} %\n`);
  }
  const checks = checkBudget(budget, sizes);
  console.log(
    table(
      [
        'function',
        'bundle .mjs (bytes)',
        'gzip -9 (bytes)',
        'zip (bytes)',
        `budget (bytes, +${budget.headroomPercent} %)`,
        'of budget',
        'status',
      ],
      sizes.map((size, index) => {
        const check = checks[index];
        const max = check?.max;
        return [
          size.name,
          bytes(size.bytes),
          bytes(size.gzipBytes),
          bytes(size.zipBytes),
          max === undefined ? 'none' : bytes(max),
          max === undefined ? '—' : `${((size.bytes / max) * 100).toFixed(0)} %`,
          check?.within ? 'within' : '**over**',
        ];
      }),
    ),
  );
  console.log('\nzip = the bundle, its source map (`sourcemap: linked`) and nothing else, deflated.\n');

  const contents = await builtBundles(sizes);
  console.log(`### Biggest contributors (kB of minified output, esbuild metafile with the packaging options)\n`);
  console.log(
    table(
      ['function', ...Array.from({ length: TOP_CONTRIBUTORS }, (_, index) => `#${index + 1}`)],
      contents.map(({ name, contributors }) => [
        name,
        ...contributors.slice(0, TOP_CONTRIBUTORS).map((entry) => `${entry.name} ${kb(entry.bytes)}`),
      ]),
    ),
  );

  // npm test checks the budget on these in-memory builds (test/unit/bench/bundle-budget.test.ts), so
  // they must be the packaged bundles byte for byte.
  const differing = contents.filter((built, index) => built.bytes !== sizes[index]?.bytes);
  if (differing.length > 0) {
    console.error(
      `\nesbuild alone built other bundles than serverless package: ${differing.map((built) => `${built.name} ${bytes(built.bytes)}`).join(', ')}`,
    );
    process.exitCode = 1;
  }
  const over = checks.filter((check) => !check.within);
  if (over.length > 0) {
    console.error(
      `\nover budget: ${over.map((check) => `${check.name} ${bytes(check.bytes)} > ${check.max === undefined ? 'no budget' : bytes(check.max)}`).join(', ')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(`\nevery bundle within its budget (${BUDGET_FILE.replace(`${process.cwd()}/`, '')})`);
  }
} finally {
  if (values.keep) console.log(`package kept in ${packaged.dir}`);
  else packaged.remove();
}
