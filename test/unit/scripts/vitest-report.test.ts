import { describe, expect, it } from 'vitest';
import {
  describeTimed,
  mergeVitestReports,
  parseVitestReport,
  slowestFiles,
  slowestTests,
  type VitestReport,
} from '../../../scripts/lib/vitest-report.js';

const ROOT = '/repo';

/** A report as vitest's JSON reporter writes it, trimmed to what a file needs. */
function report(files: { name: string; start: number; end: number; tests: [string, number | null][] }[]): string {
  const testResults = files.map(({ name, start, end, tests }) => ({
    name: `${ROOT}/${name}`,
    status: 'passed',
    message: '',
    startTime: start,
    endTime: end,
    assertionResults: tests.map(([fullName, duration]) => ({
      ancestorTitles: [],
      fullName,
      title: fullName,
      status: duration === null ? 'skipped' : 'passed',
      duration,
      failureMessages: [],
    })),
  }));
  const all = files.flatMap((file) => file.tests);
  return JSON.stringify({
    numTotalTestSuites: files.length,
    numPassedTestSuites: files.length,
    numFailedTestSuites: 0,
    numPendingTestSuites: 0,
    numTotalTests: all.length,
    numPassedTests: all.filter(([, duration]) => duration !== null).length,
    numFailedTests: 0,
    numPendingTests: all.filter(([, duration]) => duration === null).length,
    numTodoTests: 0,
    snapshot: {},
    startTime: files[0]?.start ?? 0,
    success: true,
    testResults,
  });
}

const unit = parseVitestReport(
  report([
    {
      name: 'test/unit/a.test.ts',
      start: 1000,
      end: 1300,
      tests: [
        ['a quick one', 5],
        ['a slow one', 250],
      ],
    },
    { name: 'test/unit/b.test.ts', start: 900, end: 1000, tests: [['skipped', null]] },
  ]),
);
const integration = parseVitestReport(
  report([{ name: 'test/integration/c.test.ts', start: 2000, end: 62_000, tests: [['local mode push', 41_500]] }]),
);

describe("vitest's JSON report", () => {
  it('reads the counts and files, and refuses a file that is not a report', () => {
    expect(unit).toMatchObject({ numTotalTests: 3, numPassedTests: 2, numPendingTests: 1 });
    expect(unit.testResults.map((file) => file.name)).toEqual([
      '/repo/test/unit/a.test.ts',
      '/repo/test/unit/b.test.ts',
    ]);
    expect(() => parseVitestReport('{"numTotalTests": 3}')).toThrow('not a vitest JSON report: no numPassedTests');
    expect(() => parseVitestReport('[]')).toThrow(/not a vitest JSON report/);
  });

  it('merges the reports of runs side by side: counts add up, files concatenate, success only if all', () => {
    const merged = mergeVitestReports([unit, integration]);
    expect(merged).toMatchObject({
      numTotalTests: 4,
      numPassedTests: 3,
      numFailedTests: 0,
      numPendingTests: 1,
      startTime: 1000,
      success: true,
    });
    expect(merged.testResults).toHaveLength(3);
    const failing: VitestReport = { ...integration, numFailedTests: 1, success: false };
    expect(mergeVitestReports([unit, failing])).toMatchObject({ numFailedTests: 1, success: false });
    expect(mergeVitestReports([]).success).toBe(false);
  });

  it('lists the slowest tests first, with their files relative to the project, skipping those that did not run', () => {
    const merged = mergeVitestReports([unit, integration]);
    expect(slowestTests(merged, 10, ROOT)).toEqual([
      { file: 'test/integration/c.test.ts', name: 'local mode push', ms: 41_500 },
      { file: 'test/unit/a.test.ts', name: 'a slow one', ms: 250 },
      { file: 'test/unit/a.test.ts', name: 'a quick one', ms: 5 },
    ]);
    expect(slowestTests(merged, 1, ROOT)).toHaveLength(1);
    expect(slowestFiles(merged, 2, ROOT)).toEqual([
      { file: 'test/integration/c.test.ts', ms: 60_000 },
      { file: 'test/unit/a.test.ts', ms: 300 },
    ]);
  });

  it('prints one aligned line per test, in seconds', () => {
    expect(describeTimed(slowestTests(mergeVitestReports([unit, integration]), 2, ROOT))).toEqual([
      '   41.5 s  test/integration/c.test.ts › local mode push',
      '    0.3 s  test/unit/a.test.ts › a slow one',
    ]);
  });
});
