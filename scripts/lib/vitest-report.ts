/**
 * vitest's JSON report (`--reporter=json`, Jest's shape): the parts `npm test` and
 * `npm run test:slowest` read, the merge of several runs' reports into one, and the slowest tests.
 */

export interface AssertionResult {
  fullName: string;
  status: string;
  /** Milliseconds; absent for a test that did not run. */
  duration?: number | null;
}

export interface FileResult {
  /** The test file's absolute path. */
  name: string;
  status: string;
  startTime: number;
  endTime: number;
  assertionResults: AssertionResult[];
}

export interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  startTime: number;
  success: boolean;
  testResults: FileResult[];
}

const COUNTS = ['numTotalTests', 'numPassedTests', 'numFailedTests', 'numPendingTests', 'numTodoTests'] as const;

/** Reads a report, failing with what is missing rather than answering with undefined counts. */
export function parseVitestReport(text: string): VitestReport {
  const report = JSON.parse(text) as Partial<VitestReport>;
  for (const count of COUNTS) {
    if (typeof report[count] !== 'number') throw new Error(`not a vitest JSON report: no ${count}`);
  }
  if (!Array.isArray(report.testResults)) throw new Error('not a vitest JSON report: no testResults');
  return report as VitestReport;
}

/** One report of several vitest runs (one per project, run side by side): counts add up, files concatenate. */
export function mergeVitestReports(reports: readonly VitestReport[]): VitestReport {
  const merged: VitestReport = {
    numTotalTests: 0,
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    startTime: Math.min(...reports.map((report) => report.startTime)),
    success: reports.length > 0 && reports.every((report) => report.success),
    testResults: reports.flatMap((report) => report.testResults),
  };
  for (const report of reports) for (const count of COUNTS) merged[count] += report[count];
  return merged;
}

export interface TimedTest {
  /** The test file, relative to `root`. */
  file: string;
  name: string;
  ms: number;
}

function relativeTo(root: string, path: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** The `count` tests that took longest (hooks not included), slowest first. */
export function slowestTests(report: VitestReport, count: number, root: string): TimedTest[] {
  return report.testResults
    .flatMap((file) =>
      file.assertionResults
        .filter((test) => typeof test.duration === 'number')
        .map((test) => ({ file: relativeTo(root, file.name), name: test.fullName, ms: test.duration ?? 0 })),
    )
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** The `count` files whose tests ran longest, first test's start to last test's end, slowest first. */
export function slowestFiles(report: VitestReport, count: number, root: string): { file: string; ms: number }[] {
  return report.testResults
    .map((file) => ({ file: relativeTo(root, file.name), ms: file.endTime - file.startTime }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** `  12.3 s  test/x.test.ts › a test`, one line each, for a terminal. */
export function describeTimed(rows: readonly { file: string; name?: string; ms: number }[]): string[] {
  return rows.map(
    ({ file, name, ms }) =>
      `${(ms / 1000).toFixed(1).padStart(7)} s  ${name === undefined ? file : `${file} › ${name}`}`,
  );
}
