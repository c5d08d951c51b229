import { clairvoyantRun } from './clairvoyant.js';
import { horizonOf, type PolicySummary, summarize } from './metrics.js';
import { POLICIES } from './policies/index.js';
import type { Scenario } from './scenario.js';
import { type PolicyRun, simulate } from './simulate.js';
import type { Trace } from './trace.js';

export interface TraceResult {
  trace: Trace;
  runs: PolicyRun[];
  summaries: PolicySummary[];
  /** Every policy's run ends, and its task-minutes are counted, at this time (seconds). */
  horizon: number;
}

/** The trace with every processing time scaled (World.processingScale). */
export function withProcessingScale(trace: Trace, scale: number): Trace {
  if (scale === 1) return trace;
  return {
    ...trace,
    messages: trace.messages.map((message) => ({ ...message, processing: message.processing * scale })),
  };
}

/** Every policy and the clairvoyant bound on one trace, in one world. */
export function benchmarkTrace(original: Trace, scenario: Scenario): TraceResult {
  const trace = withProcessingScale(original, scenario.processingScale);
  const horizon = horizonOf(trace, scenario);
  const runs = [
    ...POLICIES.map((policy) => simulate(trace, scenario, policy, horizon)),
    clairvoyantRun(trace, scenario),
  ];
  const summaries = runs.map((run) => summarize(run, trace, scenario, horizon));
  return { trace, runs, summaries, horizon };
}

export function summaryOf(summaries: readonly PolicySummary[], key: string): PolicySummary {
  const summary = summaries.find((candidate) => candidate.key === key);
  if (summary === undefined) throw new Error(`no ${key} run`);
  return summary;
}
