import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureVenv, PROJECT_ROOT } from './lib/venv.js';
import {
  describeTimed,
  mergeVitestReports,
  parseVitestReport,
  slowestTests,
  type VitestReport,
} from './lib/vitest-report.js';

/**
 * `npm test`: everything a change must pass — typecheck, lint, format, unit tests, and integration
 * tests against the emulator and local mode — in lanes run side by side. One lane holds the CPU-bound
 * steps (checks, then unit tests); the integration projects mostly wait on emulated AWS, so each has
 * a lane of its own (vitest.config.ts says which files share what). Each lane's output is printed
 * whole when it ends, so lanes never interleave. Ends with the ten slowest tests and one
 * `N passed, N failed` line from the lanes' merged vitest JSON report.
 */
const CONDUCTOR_DIR = join(PROJECT_ROOT, '.conductor');
const REPORT = join(CONDUCTOR_DIR, 'vitest-report.json');
const bin = (name: string) => join(PROJECT_ROOT, 'node_modules', '.bin', name);

interface Step {
  title: string;
  command: string;
  args: string[];
  /** The vitest project a test step runs; its JSON report joins the merged one. */
  project?: string;
}

const reportOf = (project: string) => join(CONDUCTOR_DIR, `vitest-report-${project}.json`);

function vitestStep(project: string, title: string): Step {
  const args = ['run', '--project', project, '--reporter=default', '--reporter=json'];
  return { title, project, command: bin('vitest'), args: [...args, `--outputFile.json=${reportOf(project)}`] };
}

/** Lanes run side by side; the steps of a lane one after another. */
const LANES: Step[][] = [
  [
    { title: 'typecheck', command: bin('tsc'), args: ['-p', '.', '--noEmit'] },
    { title: 'typecheck (console web app)', command: bin('tsc'), args: ['-p', 'src/console/web', '--noEmit'] },
    { title: 'lint', command: bin('eslint'), args: ['.'] },
    { title: 'format', command: bin('biome'), args: ['format', '.'] },
    vitestStep('unit', 'unit tests'),
  ],
  [vitestStep('integration', 'integration tests on one emulator')],
  [vitestStep('shared-local-mode', 'integration tests on one shared local mode')],
  [vitestStep('own-local-mode', 'integration tests that start their own local mode')],
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

/** A lane's steps one after another; every step runs, so one run reports every failure. */
async function runLane(steps: Step[]): Promise<StepResult[]> {
  const output: string[] = [];
  const results: StepResult[] = [];
  for (const step of steps) results.push(await runStep(step, output));
  const timings = results.map(({ step, seconds }) => `${step.title} ${seconds.toFixed(0)} s`).join(', ');
  console.log(`${output.join('')}\n── done: ${timings}`);
  return results;
}

/** The JSON report a test step wrote; none when vitest ended before writing it. */
function readReport(project: string): VitestReport | undefined {
  const path = reportOf(project);
  return existsSync(path) ? parseVitestReport(readFileSync(path, 'utf8')) : undefined;
}

ensureVenv();
mkdirSync(CONDUCTOR_DIR, { recursive: true });
for (const { project } of STEPS) if (project) rmSync(reportOf(project), { force: true });
console.log(`Running ${LANES.length} lanes side by side; each prints its output when it ends:`);
for (const lane of LANES) console.log(`  ${lane.map((step) => step.title).join(' → ')}`);

const results = (await Promise.all(LANES.map(runLane))).flat();
const tests = results.flatMap(({ step, status }) =>
  step.project ? [{ failed: status !== 0, report: readReport(step.project) }] : [],
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
  failures.filter(({ step }) => !step.project).length +
  tests.filter(({ failed, report }) => failed && (report?.numFailedTests ?? 0) === 0).length;
console.log(
  `${report.numPassedTests} passed, ${failed} failed${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}`,
);
process.exitCode = failures.length > 0 ? 1 : 0;
