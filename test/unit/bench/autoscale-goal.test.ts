import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSetting, settingsOf } from '../../../bench/autoscale/experiment.js';
import { LIMITS, type SeedGoal, traceChecks } from '../../../bench/autoscale/goal.js';
import { goalMisses } from '../../../bench/autoscale/report.js';
import { DEFAULT_SCENARIO } from '../../../bench/autoscale/scenario.js';
import { parseTraceCsv } from '../../../bench/autoscale/trace.js';

/**
 * CI's short version of `npm run bench:autoscale -- --seeds 1-8`: shipped traces, one seed, the goal's
 * world (minTasks 0 and 1), judged by the same code that fails the command. The traces are the seven
 * the policy meets the goal on over seeds 1–8 in both rows (cgap-like, cgap-week, daily-spike,
 * heavy-bursts, herd, indexing-bursts, moderate-steady), and the holiday month, whose goal week is
 * met on seed 1 and missed on the worst seed with minTasks 0 (bench/autoscale/RESULTS.md lists every
 * miss: also the lone message, and the steady trickle with minTasks 1).
 */
const shipped = (name: string) => {
  const path = new URL(`../../../bench/autoscale/traces/${name}.csv`, import.meta.url);
  return parseTraceCsv(path.pathname, readFileSync(path, 'utf8'));
};

const goal = (overrides: Partial<SeedGoal>): SeedGoal => ({
  seed: 1,
  excess: { conductor: 60, targetTracking: 180, keda: 60 },
  versusTargetTracking: 0.3,
  versusKeda: 1,
  cost: 1,
  cheapest: 'keda',
  weekCost: NaN,
  weekCheapest: undefined,
  interrupted: 0,
  afterIdleWait: NaN,
  ...overrides,
});

describe('the goal (issue 26)', () => {
  it('judges medians against 0.5 × TT and 1 × KEDA, and every seed against 1.25 × KEDA and 1.1 × cost', () => {
    const fine = [goal({ versusKeda: 0.9 }), goal({ versusKeda: 1.0 }), goal({ versusKeda: 0.8 })];
    expect(traceChecks(fine, 165).every((check) => check.met)).toBe(true);
    const worstTooSlow = [...fine, goal({ versusKeda: 1.3 })];
    expect(traceChecks(worstTooSlow, 165).filter((check) => !check.met)).toEqual([
      { name: '÷ KEDA', over: 'worst', value: 1.3, limit: LIMITS.versusKedaWorst, met: false },
    ]);
    const oneSeedDear = [...fine, goal({ cost: 1.11 })];
    expect(
      traceChecks(oneSeedDear, 165)
        .filter((check) => !check.met)
        .map((check) => check.name),
    ).toEqual(['cost ÷ cheapest comparable']);
    const holiday = [goal({ weekCost: 1.2 })];
    expect(
      traceChecks(holiday, 165)
        .filter((check) => !check.met)
        .map((check) => check.name),
    ).toEqual(['goal-week cost ÷ cheapest comparable']);
  });

  it('reads the goal week of the holiday month from its trace', () => {
    const week = 7 * 24 * 3600;
    expect(shipped('holiday-month').goalWeek).toEqual({ from: 3 * week, to: 4 * week });
  });

  it('is met on a short run of shipped traces, the goal week of the holiday month included', () => {
    const settings = settingsOf(DEFAULT_SCENARIO, ['fair'], false);
    expect(settings.map((setting) => [setting.name, setting.judged])).toEqual([
      ['fair, minTasks 0', true],
      ['fair, minTasks 1', true],
    ]);
    const traces = [
      'cgap-like',
      'cgap-week',
      'daily-spike',
      'heavy-bursts',
      'herd',
      'indexing-bursts',
      'moderate-steady',
      'holiday-month',
    ].map(shipped);
    const results = settings.map((setting) => runSetting(setting, traces, [1], undefined));
    const weekCosts = results[0]?.traces.at(-1)?.seeds.map((seed) => seed.goal.weekCost);
    expect(weekCosts?.every((cost) => Number.isFinite(cost))).toBe(true);
    expect(results.flatMap((result) => goalMisses(result))).toEqual([]);
  }, 60_000);
});
