import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTimed, parseVitestReport, slowestFiles, slowestTests } from './lib/vitest-report.js';
import { PROJECT_ROOT } from './lib/venv.js';

/**
 * `npm run test:slowest [-- --files] [-- N] [report.json]`: the ten (or N) slowest tests of the last
 * `npm test`, read from its report (.conductor/vitest-report.json); with --files, the slowest files.
 */
const args = process.argv.slice(2);
const byFile = args.includes('--files');
const count = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
const path = args.find((arg) => arg.endsWith('.json')) ?? join(PROJECT_ROOT, '.conductor', 'vitest-report.json');
if (!existsSync(path)) {
  console.error(`no report at ${path}: run npm test first`);
  process.exit(1);
}
const report = parseVitestReport(readFileSync(path, 'utf8'));
const rows = byFile ? slowestFiles(report, count, PROJECT_ROOT) : slowestTests(report, count, PROJECT_ROOT);
console.log(`The ${rows.length} slowest ${byFile ? 'test files' : 'tests'} of ${report.numTotalTests} (${path}):`);
console.log(describeTimed(rows).join('\n'));
