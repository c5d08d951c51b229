import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv, PROJECT_ROOT } from './lib/venv.js';

/**
 * `npm test`: everything a change must pass, in the order that fails fastest — typecheck, lint, format,
 * unit tests, then integration tests against the emulator (which vitest starts on a free port).
 * Ends with one `N passed, N failed` line taken from vitest's JSON report.
 */
const REPORT = join(PROJECT_ROOT, '.conductor', 'vitest-report.json');

function step(title: string, command: string, args: string[]): number {
  console.log(`\n▶ ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return result.status ?? 1;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}

function readReport(): VitestReport | undefined {
  return existsSync(REPORT) ? (JSON.parse(readFileSync(REPORT, 'utf8')) as VitestReport) : undefined;
}

ensureVenv();
mkdirSync(join(PROJECT_ROOT, '.conductor'), { recursive: true });
const bin = (name: string) => join(PROJECT_ROOT, 'node_modules', '.bin', name);

const failures: string[] = [];
if (step('typecheck', bin('tsc'), ['-p', '.', '--noEmit']) !== 0) failures.push('typecheck');
if (step('typecheck (console web app)', bin('tsc'), ['-p', 'src/console/web', '--noEmit']) !== 0)
  failures.push('typecheck (console)');
if (step('lint', bin('eslint'), ['.']) !== 0) failures.push('lint');
if (step('format', bin('biome'), ['format', '.']) !== 0) failures.push('format');
const vitestStatus = step('unit and integration tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
]);
if (vitestStatus !== 0) failures.push('tests');

const report = readReport();
if (failures.length > 0) console.log(`\nfailed: ${failures.join(', ')}`);
// Typecheck or lint failures count as one failed check each, so the closing line never reads green.
const failed = (report?.numFailedTests ?? 0) + failures.filter((name) => name !== 'tests').length + (report ? 0 : 1);
console.log(
  `${report?.numPassedTests ?? 0} passed, ${failed} failed${report?.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}`,
);
process.exitCode = failures.length > 0 ? 1 : 0;
