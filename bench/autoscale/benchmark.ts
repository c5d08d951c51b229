import { clairvoyantRun } from './clairvoyant.js';
import { commonHorizon, summarize, type PolicySummary } from './metrics.js';
import { POLICIES } from './policies/index.js';
import { checkGoal, type GoalCheck } from './report.js';
import type { Scenario } from './scenario.js';
import { simulate, type PolicyRun } from './simulate.js';
import type { Trace } from './trace.js';

export interface TraceResult {
  trace: Trace;
  runs: PolicyRun[];
  summaries: PolicySummary[];
  goal: GoalCheck;
  /** Task-minutes of every policy are counted up to this time (seconds). */
  horizon: number;
}

function summaryOf(summaries: readonly PolicySummary[], key: string): PolicySummary {
  const summary = summaries.find((candidate) => candidate.key === key);
  if (summary === undefined) throw new Error(`no ${key} run`);
  return summary;
}

/** Every policy and the clairvoyant bound on one trace, with the same physics and seed. */
export function benchmarkTrace(trace: Trace, scenario: Scenario): TraceResult {
  const runs = [...POLICIES.map((policy) => simulate(trace, scenario, policy)), clairvoyantRun(trace, scenario)];
  const horizon = commonHorizon(runs, scenario, trace);
  const summaries = runs.map((run) => summarize(run, trace, scenario, horizon));
  const goal = checkGoal(
    trace.name,
    summaryOf(summaries, 'conductor'),
    summaryOf(summaries, 'target-tracking'),
    summaryOf(summaries, 'keda'),
    summaryOf(summaries, 'clairvoyant'),
  );
  return { trace, runs, summaries, goal, horizon };
}
