import { summaryOf } from './benchmark.js';
import { serveInOrder } from './clairvoyant.js';
import type { PolicySummary } from './metrics.js';
import type { Scenario } from './scenario.js';
import type { Trace } from './trace.js';

/**
 * The goal on one trace and seed. Target tracking is the better of its two setups (Copilot's,
 * AWS's defaults); KEDA is KEDA at queueLength = messagesPerTask. Excess = p95 wait − the bound's.
 */
export interface SeedGoal {
  seed: number;
  /** p95 wait above the clairvoyant bound's, in seconds (never below 0). */
  excess: { conductor: number; targetTracking: number; keda: number };
  /** conductor ÷ target tracking: ≤ 0.5. */
  versusTargetTracking: number;
  /** conductor ÷ KEDA: ≤ 1. */
  versusKeda: number;
  /** conductor task-minutes ÷ the cheapest of TT (both) and KEDA that served every message: ≤ 1.1. */
  cost: number;
  interrupted: number;
  /** Longest wait of a message that arrived after `IDLE_SECONDS` with nothing to do (NaN: none did). */
  afterIdleWait: number;
}

export const LIMITS = { versusTargetTracking: 0.5, versusKeda: 1, cost: 1.1, interrupted: 0 } as const;
/**
 * A message arrives after hours idle when, in the two hours before it, nothing arrived and the service
 * (as the clairvoyant bound runs it) had nothing left to do.
 */
export const IDLE_SECONDS = 2 * 3600;
const TARGET_TRACKING = ['targetTracking', 'targetTrackingAwsDefaults'];
const COST_COMPARATORS = [...TARGET_TRACKING, 'keda'];

/** One check, the count lag and a task start: the most a message after hours idle should wait. */
export const afterIdleLimit = (scenario: Scenario): number =>
  scenario.recheckSeconds + scenario.maxCountLagSeconds + scenario.startLatency.maxSeconds;

/** a ÷ b where a ≤ limit × b is the goal: 0 when a is 0 or b infinite, infinite when b is 0 and a is not. */
export const ratioOf = (a: number, b: number): number =>
  a === 0 ? 0 : b === Infinity ? (a === Infinity ? Infinity : 0) : b === 0 ? Infinity : a / b;

/** Indexes of messages that arrived after `IDLE_SECONDS` with nothing to do. */
export function afterIdleMessages(trace: Trace, scenario: Scenario): number[] {
  const starts = serveInOrder(trace, scenario.maxTasks * scenario.messagesPerTask);
  const indexes: number[] = [];
  let busyUntil = -Infinity; // the last arrival or completion so far
  trace.messages.forEach((message, index) => {
    if (message.arrival - Math.max(0, busyUntil) >= IDLE_SECONDS) indexes.push(index);
    busyUntil = Math.max(busyUntil, message.arrival, (starts[index] ?? 0) + message.processing);
  });
  return indexes;
}

export function seedGoal(
  seed: number,
  summaries: readonly PolicySummary[],
  conductorWaits: readonly number[],
  idleMessages: readonly number[],
): SeedGoal {
  const bound = summaryOf(summaries, 'clairvoyant');
  const excessOf = (summary: PolicySummary): number => Math.max(0, summary.p95Wait - bound.p95Wait);
  const conductor = summaryOf(summaries, 'conductor');
  const excess = {
    conductor: excessOf(conductor),
    targetTracking: Math.min(...TARGET_TRACKING.map((key) => excessOf(summaryOf(summaries, key)))),
    keda: excessOf(summaryOf(summaries, 'keda')),
  };
  const served = COST_COMPARATORS.map((key) => summaryOf(summaries, key)).filter((summary) => summary.unserved === 0);
  const cheapest = Math.min(...served.map((summary) => summary.taskMinutes));
  return {
    seed,
    excess,
    versusTargetTracking: ratioOf(excess.conductor, excess.targetTracking),
    versusKeda: ratioOf(excess.conductor, excess.keda),
    cost: conductor.unserved > 0 ? Infinity : served.length === 0 ? NaN : conductor.taskMinutes / cheapest,
    interrupted: conductor.interrupted,
    afterIdleWait: idleMessages.reduce(
      (worst, index) => Math.max(worst, conductorWaits[index] ?? Infinity),
      idleMessages.length === 0 ? NaN : 0,
    ),
  };
}

/** Median and worst (largest) over seeds; NaN values (nothing to compare) are left out. */
export function medianAndWorst(values: readonly number[]): { median: number; worst: number } {
  const known = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (known.length === 0) return { median: NaN, worst: NaN };
  const middle = known.length / 2;
  const median = Number.isInteger(middle)
    ? ((known[middle - 1] ?? 0) + (known[middle] ?? 0)) / 2
    : (known[Math.floor(middle)] ?? 0);
  return { median, worst: known.at(-1) ?? NaN };
}
