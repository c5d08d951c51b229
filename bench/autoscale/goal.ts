import { summaryOf, type TraceResult } from './benchmark.js';
import { serveInOrder } from './clairvoyant.js';
import { percentile, type PolicySummary, taskSecondsBetween } from './metrics.js';
import type { Scenario } from './scenario.js';
import type { Trace } from './trace.js';

/**
 * The goal (issues 15 and 26) on one trace and seed. Excess = p95 wait − the clairvoyant bound's.
 * Target tracking is the best of its four setups (Copilot's or AWS's cooldowns, alarm `>` or `>=`):
 * whichever is less favourable to us. KEDA is KEDA at queueLength = messagesPerTask.
 */
export interface SeedGoal {
  seed: number;
  /** p95 wait above the clairvoyant bound's, in seconds (never below 0). */
  excess: { conductor: number; targetTracking: number; keda: number };
  /** conductor ÷ target tracking: median over seeds ≤ 0.5. */
  versusTargetTracking: number;
  /** conductor ÷ KEDA: median ≤ 1, every seed ≤ 1.25. */
  versusKeda: number;
  /**
   * conductor task-minutes ÷ the cheapest baseline's that served every message with a p95 excess
   * within twice ours (leaving work waiting is not a cheaper way to do the same job): ≤ 1.1.
   */
  cost: number;
  /** That cheapest comparable baseline's key (undefined: none was comparable). */
  cheapest: string | undefined;
  /** The same on the trace's goal week alone (a holiday after normal weeks); NaN without one. */
  weekCost: number;
  weekCheapest: string | undefined;
  interrupted: number;
  /** Longest wait of a message that arrived after `IDLE_SECONDS` with nothing to do (NaN: none did). */
  afterIdleWait: number;
}

/** Each limit, and whether it binds the median over seeds or every seed (the worst). */
export const LIMITS = {
  versusTargetTracking: 0.5,
  versusKeda: 1,
  versusKedaWorst: 1.25,
  cost: 1.1,
  weekCost: 1.1,
  interrupted: 0,
} as const;
/** A baseline is comparable on cost when its p95 excess is within this many times ours. */
export const COMPARABLE_EXCESS = 2;
/**
 * A message arrives after hours idle when, in the two hours before it, nothing arrived and the service
 * (as the clairvoyant bound runs it) had nothing left to do.
 */
export const IDLE_SECONDS = 2 * 3600;
const TARGET_TRACKING = [
  'targetTracking',
  'targetTrackingAtLeast',
  'targetTrackingAwsDefaults',
  'targetTrackingAwsDefaultsAtLeast',
];
const CONDUCTOR = 'conductor';
const BOUND = 'clairvoyant';

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

/** What the goal needs of one policy's run over the whole trace or its goal week. */
interface Judged {
  key: string;
  p95Wait: number;
  taskMinutes: number;
  unserved: number;
}

/** The cheapest baseline that served every message with a p95 excess within twice ours. */
function cheapestComparable(judged: readonly Judged[]): { cost: number; cheapest: string | undefined } {
  const excessOf = (run: Judged): number =>
    Math.max(0, run.p95Wait - (judged.find((r) => r.key === BOUND)?.p95Wait ?? 0));
  const ours = judged.find((run) => run.key === CONDUCTOR);
  if (ours === undefined) throw new Error('no conductor run');
  const comparable = judged.filter(
    (run) =>
      run.key !== CONDUCTOR &&
      run.key !== BOUND &&
      run.unserved === 0 &&
      excessOf(run) <= COMPARABLE_EXCESS * excessOf(ours),
  );
  const cheapest = comparable.reduce<Judged | undefined>(
    (best, run) => (best === undefined || run.taskMinutes < best.taskMinutes ? run : best),
    undefined,
  );
  if (ours.unserved > 0) return { cost: Infinity, cheapest: cheapest?.key };
  return cheapest === undefined
    ? { cost: NaN, cheapest: undefined }
    : { cost: ratioOf(ours.taskMinutes, cheapest.taskMinutes), cheapest: cheapest.key };
}

/** Each run over the goal week alone: its messages' waits, and the task-minutes from its start on. */
function weekOf(result: TraceResult, week: { from: number; to: number }): Judged[] {
  const inWeek = result.trace.messages.flatMap((message, index) =>
    message.arrival >= week.from && message.arrival < week.to ? [index] : [],
  );
  return result.runs.map((run) => {
    const waits = inWeek.map((index) => run.waits[index] ?? Infinity);
    return {
      key: run.key,
      p95Wait: percentile(waits, 95),
      taskMinutes: taskSecondsBetween(run.billed, week.from, result.horizon) / 60,
      unserved: waits.filter((wait) => !Number.isFinite(wait)).length,
    };
  });
}

export function seedGoal(seed: number, result: TraceResult, idleMessages: readonly number[]): SeedGoal {
  const { summaries } = result;
  const bound = summaryOf(summaries, BOUND);
  const excessOf = (summary: PolicySummary): number => Math.max(0, summary.p95Wait - bound.p95Wait);
  const conductor = summaryOf(summaries, CONDUCTOR);
  const excess = {
    conductor: excessOf(conductor),
    targetTracking: Math.min(...TARGET_TRACKING.map((key) => excessOf(summaryOf(summaries, key)))),
    keda: excessOf(summaryOf(summaries, 'keda')),
  };
  const whole = cheapestComparable(summaries);
  const week = result.trace.goalWeek && cheapestComparable(weekOf(result, result.trace.goalWeek));
  const conductorWaits = result.runs.find((run) => run.key === CONDUCTOR)?.waits ?? [];
  return {
    seed,
    excess,
    versusTargetTracking: ratioOf(excess.conductor, excess.targetTracking),
    versusKeda: ratioOf(excess.conductor, excess.keda),
    cost: whole.cost,
    cheapest: whole.cheapest,
    weekCost: week?.cost ?? NaN,
    weekCheapest: week?.cheapest,
    interrupted: conductor.interrupted,
    afterIdleWait: idleMessages.reduce(
      (worst, index) => Math.max(worst, conductorWaits[index] ?? Infinity),
      idleMessages.length === 0 ? NaN : 0,
    ),
  };
}

/** One criterion of the goal on one trace, over its seeds. */
export interface GoalCheck {
  name: string;
  /** The median over seeds, or the worst seed's value, as the criterion says. */
  over: 'median' | 'worst';
  value: number;
  limit: number;
  met: boolean;
}

/**
 * The goal's criteria on one trace: median ÷ TT ≤ 0.5 and ÷ KEDA ≤ 1; on every seed ÷ KEDA ≤ 1.25,
 * cost ≤ 1.1 (and ≤ 1.1 on the goal week), nothing interrupted, and a message after hours idle served
 * within `idleLimit`. A value that cannot be computed (NaN: nothing comparable) is not judged.
 */
export function traceChecks(goals: readonly SeedGoal[], idleLimit: number): GoalCheck[] {
  const check = (
    name: string,
    over: 'median' | 'worst',
    value: (goal: SeedGoal) => number,
    limit: number,
  ): GoalCheck[] => {
    const figures = medianAndWorst(goals.map(value));
    const figure = over === 'median' ? figures.median : figures.worst;
    return Number.isNaN(figure) ? [] : [{ name, over, value: figure, limit, met: figure <= limit }];
  };
  return [
    ...check('÷ target tracking', 'median', (goal) => goal.versusTargetTracking, LIMITS.versusTargetTracking),
    ...check('÷ KEDA', 'median', (goal) => goal.versusKeda, LIMITS.versusKeda),
    ...check('÷ KEDA', 'worst', (goal) => goal.versusKeda, LIMITS.versusKedaWorst),
    ...check('cost ÷ cheapest comparable', 'worst', (goal) => goal.cost, LIMITS.cost),
    ...check('goal-week cost ÷ cheapest comparable', 'worst', (goal) => goal.weekCost, LIMITS.weekCost),
    ...check('interrupted', 'worst', (goal) => goal.interrupted, LIMITS.interrupted),
    ...check('wait after hours idle', 'worst', (goal) => goal.afterIdleWait, idleLimit),
  ];
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
