import { serveInOrder } from './clairvoyant.js';
import type { Step } from './ecs-service.js';
import type { Scenario } from './scenario.js';
import type { PolicyRun } from './simulate.js';
import { burstsOf, type Trace } from './trace.js';

/** The numbers the tables show for one policy on one trace (times in seconds). */
export interface PolicySummary {
  key: string;
  label: string;
  p50Wait: number;
  p95Wait: number;
  p99Wait: number;
  /** Mean over bursts of: last message of the burst done − the burst's first arrival. */
  drain: number;
  taskMinutes: number;
  updateServiceCalls: number | undefined;
  reversals: number | undefined;
  interrupted: number;
  /** Messages not finished by the horizon (their wait counts as infinite). */
  unserved: number;
}

/** Nearest-rank percentile: the smallest value with at least p % of values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** Task-seconds up to `horizon`: the last count holds until then. */
export function taskSecondsUntil(steps: readonly Step[], horizon: number): number {
  return taskSecondsBetween(steps, 0, horizon);
}

/** Task-seconds from `from` to `to`: each count holds until the next. */
export function taskSecondsBetween(steps: readonly Step[], from: number, to: number): number {
  let total = 0;
  steps.forEach((step, index) => {
    const start = Math.max(from, step.at);
    const end = Math.min(to, steps[index + 1]?.at ?? to);
    if (end > start) total += step.value * (end - start);
  });
  return total;
}

/**
 * Where every policy's run ends and its task-minutes are counted to: when one always-ready task would
 * have finished the whole trace (never before the last arrival), plus the settle time. It depends on
 * the trace and the world only, never on a policy's run.
 */
export function horizonOf(trace: Trace, scenario: Scenario): number {
  const starts = serveInOrder(trace, 1);
  let finished = trace.messages.at(-1)?.arrival ?? 0;
  trace.messages.forEach((message, index) => {
    finished = Math.max(finished, (starts[index] ?? 0) + message.processing);
  });
  return finished + scenario.settleSeconds;
}

export function summarize(run: PolicyRun, trace: Trace, scenario: Scenario, horizon: number): PolicySummary {
  const bursts = burstsOf(trace.messages, scenario.burstGapSeconds);
  let drainTotal = 0;
  for (const burst of bursts) {
    const first = trace.messages[burst[0] ?? 0]?.arrival ?? 0;
    drainTotal += burst.reduce((last, index) => Math.max(last, run.doneAt[index] ?? Infinity), 0) - first;
  }
  return {
    key: run.key,
    label: run.label,
    p50Wait: percentile(run.waits, 50),
    p95Wait: percentile(run.waits, 95),
    p99Wait: percentile(run.waits, 99),
    drain: drainTotal / Math.max(1, bursts.length),
    taskMinutes: taskSecondsUntil(run.billed, horizon) / 60,
    updateServiceCalls: run.updateServiceCalls,
    reversals: run.reversals,
    interrupted: run.interruptions.length,
    unserved: run.waits.filter((wait) => !Number.isFinite(wait)).length,
  };
}
