import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenvInBackground, PROJECT_ROOT } from './lib/venv.js';
import {
  describeTimed,
  mergeVitestReports,
  parseVitestReport,
  slowestTests,
  type VitestReport,
} from './lib/vitest-report.js';

/**
 * `npm test`: everything a change must pass — typecheck, lint, format, unit tests, and integration
 * tests against the emulator and local mode — in four lanes run side by side, of about equal length.
 * One lane holds the CPU-bound steps (checks, then unit tests), then the release-gates local mode, the
 * longest of the own local modes; the integration projects mostly wait on emulated AWS, so they fill the
 * other three (vitest.config.ts says which files share what). Each
 * lane's output is printed whole when it ends, so lanes never interleave. Ends with the ten slowest tests and one
 * `N passed, N failed` line from the lanes' merged vitest JSON report.
 */
const CONDUCTOR_DIR = join(PROJECT_ROOT, '.conductor');
const REPORT = join(CONDUCTOR_DIR, 'vitest-report.json');
const bin = (name: string) => join(PROJECT_ROOT, 'node_modules', '.bin', name);

interface Step {
  title: string;
  command: string;
  args: string[];
  /** Names the JSON report of a test step (vitest's projects), which joins the merged one. */
  report?: string;
  /** Waits for the Python tools (moto, cfn-lint, checkov, shellcheck); the checks before it need none. */
  needsVenv?: boolean;
}

const reportOf = (name: string) => join(CONDUCTOR_DIR, `vitest-report-${name}.json`);

function vitestStep(title: string, projects: string[]): Step {
  const report = projects[0] ?? 'all';
  const args = [
    'run',
    ...projects.flatMap((project) => ['--project', project]),
    '--reporter=default',
    '--reporter=json',
  ];
  return {
    title,
    report,
    needsVenv: true,
    command: bin('vitest'),
    args: [...args, `--outputFile.json=${reportOf(report)}`],
  };
}

/** Lanes run side by side; the steps of a lane one after another. */
const LANES: Step[][] = [
  [
    { title: 'typecheck', command: bin('tsc'), args: ['-p', '.', '--noEmit'] },
    { title: 'typecheck (console web app)', command: bin('tsc'), args: ['-p', 'src/console/web', '--noEmit'] },
    { title: 'lint', command: bin('eslint'), args: ['.'] },
    { title: 'format', command: bin('biome'), args: ['format', '.'] },
    vitestStep('unit tests', ['unit', 'unit-isolated']),
    vitestStep('the release-gates example on its own local mode', ['gates-local-mode']),
  ],
  [vitestStep('integration tests on one emulator', ['integration'])],
  [
    vitestStep('integration tests on one shared local mode', ['shared-local-mode']),
    vitestStep('integration tests that start their own local mode', ['own-local-mode']),
  ],
  [vitestStep('the README, run as printed', ['readme'])],
];
const STEPS = LANES.flat();

interface StepResult {
  step: Step;
  status: number;
  seconds: number;
}

/** Runs one step with its output collected, not printed: a lane prints its output whole when it ends. */
function runStep(step: Step, output: string[]): Promise<StepResult> {
  const started = performance.now();
  output.push(`\n▶ ${step.title}: ${step.command} ${step.args.join(' ')}\n`);
  return new Promise((resolveStep) => {
    const child = spawn(step.command, step.args, {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const collect = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => output.push(`${error.message}\n`));
    child.once('close', (code) => {
      resolveStep({ step, status: code ?? 1, seconds: (performance.now() - started) / 1000 });
    });
  });
}

// pip installs the Python tools while the first lane typechecks and lints.
const venv = ensureVenvInBackground();

/** A lane's steps one after another; every step runs, so one run reports every failure. */
async function runLane(steps: Step[]): Promise<StepResult[]> {
  const output: string[] = [];
  const results: StepResult[] = [];
  for (const step of steps) {
    const ready = step.needsVenv ? await venv : { status: 0 };
    if (ready.status !== 0) {
      output.push(`\n▶ ${step.title}: not run, the Python tools did not install (see above)\n`);
      results.push({ step, status: 1, seconds: 0 });
      continue;
    }
    results.push(await runStep(step, output));
  }
  const timings = results.map(({ step, seconds }) => `${step.title} ${seconds.toFixed(0)} s`).join(', ');
  console.log(`${output.join('')}\n── done: ${timings}`);
  return results;
}

/** The JSON report a test step wrote; none when vitest ended before writing it. */
function readReport(name: string): VitestReport | undefined {
  const path = reportOf(name);
  return existsSync(path) ? parseVitestReport(readFileSync(path, 'utf8')) : undefined;
}

mkdirSync(CONDUCTOR_DIR, { recursive: true });
for (const { report } of STEPS) if (report) rmSync(reportOf(report), { force: true });
console.log(`Running ${LANES.length} lanes side by side; each prints its output when it ends:`);
for (const lane of LANES) console.log(`  ${lane.map((step) => step.title).join(' → ')}`);

const lanes = Promise.all(LANES.map(runLane));
const installed = await venv;
if (installed.output) console.log(installed.output);
const results = (await lanes).flat();
const tests = results.flatMap(({ step, status }) =>
  step.report ? [{ failed: status !== 0, report: readReport(step.report) }] : [],
);
const report = mergeVitestReports(tests.flatMap(({ report }) => (report ? [report] : [])));
writeFileSync(REPORT, JSON.stringify(report));
console.log(`\nThe ten slowest tests (npm run test:slowest):`);
console.log(describeTimed(slowestTests(report, 10, PROJECT_ROOT)).join('\n'));

const failures = results.filter(({ status }) => status !== 0);
if (failures.length > 0) console.log(`\nfailed: ${failures.map(({ step }) => step.title).join(', ')}`);
// A failed check, or a failed vitest run without a failed test (no report, a global setup that
// threw), counts as one failed test each, so the closing line never reads green.
const failed =
  report.numFailedTests +
  failures.filter(({ step }) => !step.report).length +
  tests.filter(({ failed, report }) => failed && (report?.numFailedTests ?? 0) === 0).length;
console.log(
  `${report.numPassedTests} passed, ${failed} failed${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}`,
);
process.exitCode = failures.length > 0 ? 1 : 0;
