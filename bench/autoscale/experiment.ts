import { benchmarkTrace, type TraceResult, withProcessingScale } from './benchmark.js';
import { afterIdleMessages, type SeedGoal, seedGoal } from './goal.js';
import type { PolicySummary } from './metrics.js';
import { type Scenario, WORLDS } from './scenario.js';
import type { Trace } from './trace.js';

/** One world with one minTasks: every trace under every seed. */
export interface Setting {
  name: string;
  describe: string;
  scenario: Scenario;
  /** The goal's world: a missed goal here fails the command. */
  judged: boolean;
}

/** The world the goal is judged in; it always runs with minTasks 0 and 1, each a row of its own. */
export const GOAL_WORLD = 'fair';

export interface SeedResult {
  seed: number;
  summaries: PolicySummary[];
  goal: SeedGoal;
}

export interface TraceSeeds {
  trace: Trace;
  seeds: SeedResult[];
  /** The whole run of the chart seed, kept for the charts (other seeds keep their summaries only). */
  chart: TraceResult | undefined;
}

export interface SettingResult {
  setting: Setting;
  traces: TraceSeeds[];
}

/**
 * The worlds to report (all by default), each with minTasks 0 and, with `withMinOne`, 1 as well; the
 * goal's world always with both.
 */
export function settingsOf(base: Scenario, worldNames: readonly string[] | undefined, withMinOne: boolean): Setting[] {
  const worlds = worldNames === undefined ? WORLDS : worldNames.map((name) => worldNamed(name));
  return worlds.flatMap((world) => {
    const judged = world.name === GOAL_WORLD;
    const minimums = withMinOne || judged ? [0, 1] : [base.minTasks];
    return minimums.map((minTasks) => ({
      name: minimums.length > 1 ? `${world.name}, minTasks ${minTasks}` : world.name,
      describe: world.describe,
      scenario: { ...base, ...world.change, minTasks },
      judged,
    }));
  });
}

function worldNamed(name: string): (typeof WORLDS)[number] {
  const world = WORLDS.find((candidate) => candidate.name === name);
  if (world === undefined)
    throw new Error(`--worlds: no world "${name}" (known: ${WORLDS.map((w) => w.name).join(', ')})`);
  return world;
}

export function runSetting(
  setting: Setting,
  traces: readonly Trace[],
  seeds: readonly number[],
  chartSeed: number | undefined,
): SettingResult {
  return {
    setting,
    traces: traces.map((trace) => {
      const idle = afterIdleMessages(withProcessingScale(trace, setting.scenario.processingScale), setting.scenario);
      let chart: TraceResult | undefined;
      const results = seeds.map((seed): SeedResult => {
        const result = benchmarkTrace(trace, { ...setting.scenario, seed });
        if (seed === chartSeed) chart = result;
        return { seed, summaries: result.summaries, goal: seedGoal(seed, result, idle) };
      });
      return { trace, seeds: results, chart };
    }),
  };
}
