import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { emptyFigures, FIGURES_DIRECTORY, type ReliabilityFigures } from '../test/support/reliability-figures.js';
import { PROJECT_ROOT } from './lib/venv.js';

/**
 * `npm run test:reliability`: runs the reliability tests (issue #7) and prints their figures. Each
 * test file writes what it measured to .conductor/reliability/<name>.figures.json; this sums them.
 * Exits non-zero when a test failed, a file wrote no figures, or any figure that must be zero is not.
 */
const REPORT = join(FIGURES_DIRECTORY, 'vitest-report.json');
const EXPECTED_FILES = ['bad-input', 'concurrency', 'faults'];
const MUST_BE_ZERO: (keyof ReliabilityFigures)[] = [
  'fiveXxSeen',
  'writesFromBadInput',
  'stuckReleases',
  'duplicateEffects',
];
const LABELS: Record<keyof ReliabilityFigures, string> = {
  eventsDuplicated: 'events duplicated',
  eventsDropped: 'events dropped',
  faultsInjected: 'faults injected',
  badInputsTried: 'bad inputs tried',
  fiveXxSeen: '5xx seen',
  writesFromBadInput: 'writes caused by bad input',
  stuckReleases: 'stuck releases',
  duplicateEffects: 'duplicate effects',
};

// Stale figures from an earlier run must not stand in for a file that failed to write this time.
rmSync(FIGURES_DIRECTORY, { recursive: true, force: true });
mkdirSync(FIGURES_DIRECTORY, { recursive: true });
const bin = join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest');
const started = Date.now();
const run = spawnSync(
  bin,
  [
    'run',
    '--project',
    'integration',
    'test/integration/reliability',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${REPORT}`,
  ],
  {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
);

const report = existsSync(REPORT)
  ? (JSON.parse(readFileSync(REPORT, 'utf8')) as { numPassedTests: number; numFailedTests: number })
  : undefined;
const written = readdirSync(FIGURES_DIRECTORY).filter((file) => file.endsWith('.figures.json'));
const total = emptyFigures();
const perFile: Record<string, ReliabilityFigures> = {};
for (const file of written) {
  const figures = {
    ...emptyFigures(),
    ...(JSON.parse(readFileSync(join(FIGURES_DIRECTORY, file), 'utf8')) as Partial<ReliabilityFigures>),
  };
  perFile[file.replace('.figures.json', '')] = figures;
  for (const key of Object.keys(total) as (keyof ReliabilityFigures)[]) total[key] += figures[key];
}

const names = Object.keys(perFile).sort();
const rows = (Object.keys(LABELS) as (keyof ReliabilityFigures)[]).map((key) => [
  LABELS[key] + (MUST_BE_ZERO.includes(key) ? ' (must be 0)' : ''),
  ...names.map((name) => String(perFile[name]?.[key] ?? 0)),
  String(total[key]),
]);
const header = ['figure', ...names, 'total'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
    .join('  ');
console.log(`\nReliability report (issue #7), ${String(Math.round((Date.now() - started) / 1000))} s\n`);
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
rows.forEach((row) => {
  console.log(line(row));
});

const problems = [
  ...(run.status === 0 ? [] : [`vitest exited ${String(run.status)}`]),
  ...(report ? [] : ['no vitest report']),
  ...EXPECTED_FILES.filter((name) => !perFile[name]).map((name) => `no figures from ${name}`),
  ...MUST_BE_ZERO.filter((key) => total[key] !== 0).map((key) => `${LABELS[key]}: ${String(total[key])}`),
];
console.log(`\n${String(report?.numPassedTests ?? 0)} passed, ${String(report?.numFailedTests ?? 0)} failed`);
if (problems.length > 0) console.log(`NOT RELIABLE: ${problems.join('; ')}`);
process.exitCode = problems.length > 0 ? 1 : 0;
