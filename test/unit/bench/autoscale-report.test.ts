import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../../bench/autoscale/chart.js';
import { parseOptions, parseSeeds } from '../../../bench/autoscale/cli-options.js';
import { CountHistory } from '../../../bench/autoscale/count-history.js';
import {
  controlPlaneMonthlyCost,
  fargateCost,
  PRICES,
  SECONDS_PER_MONTH,
} from '../../../bench/autoscale/control-plane-cost.js';
import { runSetting, settingsOf } from '../../../bench/autoscale/experiment.js';
import { afterIdleMessages, medianAndWorst, ratioOf } from '../../../bench/autoscale/goal.js';
import { jsonResult } from '../../../bench/autoscale/json-result.js';
import { goalTable } from '../../../bench/autoscale/report.js';
import type { PolicyRun } from '../../../bench/autoscale/simulate.js';
import { burst, HOUR, MINUTE, scenario, traceOf } from './autoscale-fixtures.js';

const POLICY_KEYS = [
  'conductor',
  'targetTracking',
  'targetTrackingAtLeast',
  'targetTrackingAwsDefaults',
  'targetTrackingAwsDefaultsAtLeast',
  'keda',
  'kedaDefaults',
  'cdkSteps',
  'cdkStepsService',
  'fixedOne',
  'clairvoyant',
];
const small = traceOf('small', [
  [3 * HOUR, 10 * MINUTE],
  [3 * HOUR + 30, 12 * MINUTE],
  [3 * HOUR + 60, 8 * MINUTE],
]);
const [fair] = settingsOf({ ...scenario, seed: 1 }, ['fair'], false);
if (fair === undefined) throw new Error('no fair world');

describe('command line', () => {
  it('reads seed lists and ranges', () => {
    expect(parseSeeds('1-8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('1,4,7')).toEqual([1, 4, 7]);
    expect(() => parseSeeds('8-1')).toThrow('--seeds: range "8-1" runs backwards');
    expect(() => parseSeeds('x')).toThrow('--seeds must be a whole number ≥ 0, got "x"');
  });

  it('turns world options into the scenario and rejects what it does not know', () => {
    const options = parseOptions(['--protection', 'off', '--grace', '30', '--lag', 'random', '--min', 'mine.csv']);
    expect(options.scenario).toMatchObject({
      protection: false,
      stop: { graceSeconds: 30, handBack: false },
      lag: 'random',
    });
    expect(options).toMatchObject({
      withMinOne: true,
      traces: ['mine.csv'],
      seeds: [1, 2, 3, 4, 5, 6, 7, 8],
      chartSeed: 1,
    });
    expect(() => parseOptions(['--lag', 'late'])).toThrow('--lag must be one of steady, random, got "late"');
    expect(() => parseOptions(['--start', '90,45,30'])).toThrow(
      '--start must be "min,median,max" seconds in that order',
    );
    expect(() => settingsOf(scenario, ['nowhere'], false)).toThrow('--worlds: no world "nowhere"');
  });

  it('--min runs minTasks 1 next to 0 in every world asked for', () => {
    const settings = settingsOf(scenario, ['fair', 'unprotected'], true);
    expect(settings.map((setting) => [setting.name, setting.scenario.minTasks, setting.scenario.protection])).toEqual([
      ['fair, minTasks 0', 0, true],
      ['fair, minTasks 1', 1, true],
      ['unprotected, minTasks 0', 0, false],
      ['unprotected, minTasks 1', 1, false],
    ]);
  });
});

describe('goal arithmetic', () => {
  it('divides excesses so that a ≤ limit × b is the goal', () => {
    expect([
      ratioOf(0, 0),
      ratioOf(0, 5),
      ratioOf(2, 4),
      ratioOf(3, Infinity),
      ratioOf(1, 0),
      ratioOf(Infinity, Infinity),
    ]).toEqual([0, 0, 0.5, 0, Infinity, Infinity]);
  });

  it('takes the median and the worst seed, leaving out what had nothing to compare', () => {
    expect(medianAndWorst([0.3, 0.1, 0.2])).toEqual({ median: 0.2, worst: 0.3 });
    expect(medianAndWorst([1, 2, 3, NaN, 10])).toEqual({ median: 2.5, worst: 10 });
    expect(medianAndWorst([1, Infinity])).toEqual({ median: Infinity, worst: Infinity });
  });

  it('finds messages that arrive after two hours with nothing to do', () => {
    expect(afterIdleMessages(small, scenario)).toEqual([0]);
    // The burst keeps four tasks busy until after 3 h: the lone message at 4 h is not after two idle hours.
    expect(afterIdleMessages(burst, scenario)).toEqual([]);
    // Nothing arrived for two hours, but the first message was still being worked on an hour before.
    const backlog = traceOf('backlog', [
      [0, 3 * HOUR],
      [2.5 * HOUR, MINUTE],
      [6 * HOUR, MINUTE],
    ]);
    expect(afterIdleMessages(backlog, scenario)).toEqual([2]);
  });
});

describe('results', () => {
  const result = runSetting(fair, [small], [1, 2], 1);

  it('writes the machine-readable shape of the issue, with no infinity in it', () => {
    const json = JSON.parse(JSON.stringify(jsonResult([result]))) as ReturnType<typeof jsonResult>;
    expect(json.traces.map((trace) => trace.name)).toEqual(['small']);
    const seeds = json.traces[0]?.seeds ?? [];
    expect(seeds.map((seed) => seed.seed)).toEqual([1, 2]);
    for (const { policies } of seeds) {
      expect(Object.keys(policies)).toEqual(POLICY_KEYS);
      for (const figures of Object.values(policies)) {
        expect(Object.keys(figures)).toEqual(['p95ExcessWaitMin', 'taskMinutes', 'interrupted', 'unserved']);
      }
      expect(policies.clairvoyant?.p95ExcessWaitMin).toBe(0);
      // Three messages and target tracking's strict alarm: its rows may never serve them, and say so.
      expect(policies.targetTracking?.p95ExcessWaitMin === null).toBe((policies.targetTracking?.unserved ?? 0) > 0);
    }
  });

  it('prints the goal with the median and the worst seed in each cell', () => {
    const row = goalTable(result).split('\n')[2] ?? '';
    expect(row.startsWith('| small |')).toBe(true);
    expect(row.match(/ · /g)?.length).toBe(5);
  });

  it('charts age and tasks for every policy, the first minutes of each burst, and the key figures', () => {
    const chart = result.traces[0]?.chart;
    if (chart === undefined) throw new Error('no chart run');
    const svg = chartSvg({
      title: 'small',
      trace: small,
      runs: chart.runs,
      summaries: chart.summaries,
      horizon: chart.horizon,
      burstGapSeconds: 600,
    });
    // Two panels over the whole trace and two for the one burst, one line per policy in each.
    expect(svg.match(/<polyline /g)).toHaveLength(4 * POLICY_KEYS.length);
    expect(svg).toContain('First 30 minutes of each burst');
    expect(svg).toMatch(/p95 [\d.]+ min · \d+ task-min · 0 interrupted/);
  });

  it('marks interruptions where a policy stopped busy tasks', () => {
    const [unprotected] = settingsOf({ ...scenario, seed: 1 }, ['unprotected'], false);
    if (unprotected === undefined) throw new Error('no world');
    const chart = runSetting(unprotected, [burst], [1], 1).traces[0]?.chart;
    if (chart === undefined) throw new Error('no chart run');
    const interrupted = chart.runs.reduce((sum, run) => sum + run.interruptions.length, 0);
    expect(interrupted).toBeGreaterThan(0);
    const svg = chartSvg({
      title: 'burst',
      trace: burst,
      runs: chart.runs,
      summaries: chart.summaries,
      horizon: chart.horizon,
      burstGapSeconds: 600,
    });
    expect(svg.match(/<path d="M[\d.]+,[\d.]+ l-3,-6 h6 z"/g)?.length).toBeGreaterThan(0);
  });
});

describe('traces of months', () => {
  it('charts a three-month run with a change every few seconds without a stack overflow', () => {
    const horizon = 90 * 24 * HOUR;
    const changes = 1_000_000;
    const run: PolicyRun = {
      key: 'conductor',
      label: 'conductor',
      waits: [0],
      doneAt: [1],
      billed: Array.from({ length: changes }, (_, index) => ({ at: (index * horizon) / changes, value: index % 5 })),
      ages: Array.from({ length: changes }, (_, index) => ({
        at: (index * horizon) / changes,
        since: index % 3 === 0 ? NaN : (index * horizon) / changes - 60,
      })),
      interruptions: Array.from({ length: 10_000 }, (_, index) => index * 700),
      updateServiceCalls: changes,
      reversals: 0,
    };
    const svg = chartSvg({
      title: 'months',
      trace: traceOf('months', [[0, 1]]),
      runs: [run],
      summaries: [],
      horizon,
      burstGapSeconds: 600,
    });
    expect(svg.length).toBeLessThan(200_000);
  });

  it('keeps only the last minute of queue counts, however long the trace', () => {
    const history = new CountHistory(61);
    for (let second = 0; second < 1_000_000; second += 1) history.record(second, second % 7, 1);
    expect(history.size).toBeLessThanOrEqual(62);
    expect(history.at(999_999 - 60)).toEqual({ visible: (999_999 - 60) % 7, inFlight: 1 });
  });
});

describe('control-plane cost', () => {
  // Today: one invocation a minute that sleeps between four passes, about 50 s of 512 MB each.
  const today = {
    environments: 1,
    invocationsPerMonth: SECONDS_PER_MONTH / 60,
    billedSecondsPerInvocation: 50,
    memoryMb: 512,
    passesPerMonth: SECONDS_PER_MONTH / 15,
    writesPerEnvironmentMonth: SECONDS_PER_MONTH / 150,
    logBytesPerPass: 1000,
    metricsPerEnvironment: 4,
  };

  it('prices the sleeping Lambda at about a million GB-seconds a month', () => {
    const cost = controlPlaneMonthlyCost(today);
    // 43,200 invocations × 50 s × 0.5 GB = 1,080,000 GB-s.
    expect(cost.lambda).toBeCloseTo(1_080_000 * PRICES.lambdaPerGbSecond + 43_200 * PRICES.lambdaPerRequest, 6);
    expect(cost.total).toBeCloseTo(cost.lambda + cost.dynamodb + cost.sqs + cost.cloudwatch, 9);
    expect(cost.sqs).toBeCloseTo(172_800 * PRICES.sqsPerRequest, 9);
    // Ten environments share the Lambda but not the reads, the writes and the metrics.
    const ten = controlPlaneMonthlyCost({ ...today, environments: 10 });
    expect(ten.lambda).toBe(cost.lambda);
    expect(ten.dynamodb).toBeCloseTo(10 * cost.dynamodb, 9);
  });

  it('prices task-minutes as Fargate bills them', () => {
    // CGAP's ingester: 0.5 vCPU, 1 GB; an hour of it.
    expect(fargateCost(60, 0.5, 1)).toBeCloseTo(0.5 * 0.04048 + 0.004445, 9);
  });
});
