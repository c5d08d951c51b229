import type { SettingResult, TraceSeeds } from './experiment.js';
import { afterIdleLimit, LIMITS, medianAndWorst, type SeedGoal, traceChecks } from './goal.js';
import type { PolicySummary } from './metrics.js';

/** Markdown tables for the console and RESULTS.md. Every figure over seeds is "median · worst". */

const minutes = (seconds: number): string => (Number.isFinite(seconds) ? (seconds / 60).toFixed(1) : '∞');
const ratio = (value: number): string =>
  Number.isNaN(value) ? 'n/a' : Number.isFinite(value) ? value.toFixed(2) : '∞';
const verdict = (value: number, limit: number): string =>
  Number.isNaN(value) ? '' : value <= limit ? ' met' : ' **not met**';

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function over(goals: readonly SeedGoal[], value: (goal: SeedGoal) => number, limit: number, show = ratio): string {
  const { median, worst } = medianAndWorst(goals.map(value));
  if (Number.isNaN(median)) return 'n/a';
  return `${show(median)}${verdict(median, limit)} · ${show(worst)}${verdict(worst, limit)}`;
}

/** Median and worst, the median judged against `medianLimit` and the worst against `worstLimit`. */
function judged(
  goals: readonly SeedGoal[],
  value: (goal: SeedGoal) => number,
  medianLimit: number,
  worstLimit: number,
) {
  const { median, worst } = medianAndWorst(goals.map(value));
  if (Number.isNaN(median)) return 'n/a';
  return `${ratio(median)}${verdict(median, medianLimit)} · ${ratio(worst)}${Number.isFinite(worstLimit) ? verdict(worst, worstLimit) : ''}`;
}

/** The baselines most often cheapest (comparable) over the seeds, by key. */
function cheapestOf(goals: readonly SeedGoal[], key: (goal: SeedGoal) => string | undefined): string {
  const counts = new Map<string, number>();
  for (const goal of goals) {
    const name = key(goal);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return (
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([name, times]) => `${name} ${times}`)
      .join(', ') || '—'
  );
}

/** The criteria a setting misses, one line each ("trace: criterion (over) value > limit"); empty when met. */
export function goalMisses(result: SettingResult): string[] {
  const limit = afterIdleLimit(result.setting.scenario);
  return result.traces.flatMap(({ trace, seeds }) =>
    traceChecks(
      seeds.map((seed) => seed.goal),
      limit,
    )
      .filter((check) => !check.met)
      .map(
        (check) =>
          `${result.setting.name} / ${trace.name}: ${check.name} (${check.over === 'median' ? 'median' : 'worst seed'}) ${ratio(check.value)} > ${check.limit}`,
      ),
  );
}

export function goalTable(result: SettingResult): string {
  const limit = afterIdleLimit(result.setting.scenario);
  return table(
    [
      'trace',
      'p95 excess (min, median): conductor / TT / KEDA',
      `÷ TT (median ≤ ${LIMITS.versusTargetTracking})`,
      `÷ KEDA (median ≤ ${LIMITS.versusKeda}, worst ≤ ${LIMITS.versusKedaWorst})`,
      `task-min ÷ cheapest comparable (≤ ${LIMITS.cost})`,
      'cheapest comparable (seeds)',
      `goal week: task-min ÷ cheapest (≤ ${LIMITS.weekCost})`,
      'interrupted (= 0)',
      `after 2 h idle, wait (≤ ${minutes(limit)} min)`,
    ],
    result.traces.map(({ trace, seeds }) => {
      const goals = seeds.map((seed) => seed.goal);
      const median = (value: (goal: SeedGoal) => number): string => minutes(medianAndWorst(goals.map(value)).median);
      return [
        trace.name,
        `${median((goal) => goal.excess.conductor)} / ${median((goal) => goal.excess.targetTracking)} / ${median((goal) => goal.excess.keda)}`,
        judged(goals, (goal) => goal.versusTargetTracking, LIMITS.versusTargetTracking, Infinity),
        judged(goals, (goal) => goal.versusKeda, LIMITS.versusKeda, LIMITS.versusKedaWorst),
        over(goals, (goal) => goal.cost, LIMITS.cost),
        cheapestOf(goals, (goal) => goal.cheapest),
        over(goals, (goal) => goal.weekCost, LIMITS.weekCost),
        over(goals, (goal) => goal.interrupted, LIMITS.interrupted, String),
        over(goals, (goal) => goal.afterIdleWait, limit, minutes),
      ];
    }),
  );
}

/** Per policy on one trace: medians over seeds, and the worst seed where it matters. */
export function policyTable({ seeds }: TraceSeeds): string {
  const keys = seeds[0]?.summaries.map((summary) => summary.key) ?? [];
  return table(
    [
      'policy',
      'p50 wait',
      'p95 wait',
      'p99 wait',
      'drain',
      'task-min',
      'UpdateService',
      'reversals',
      'interrupted',
      'unserved',
    ],
    keys.map((key) => {
      const all = seeds.flatMap(({ summaries }) => summaries.filter((summary) => summary.key === key));
      const of = (value: (summary: PolicySummary) => number | undefined) =>
        medianAndWorst(all.map((s) => value(s) ?? NaN));
      const both = (value: (summary: PolicySummary) => number | undefined, show: (n: number) => string): string => {
        const { median, worst } = of(value);
        return Number.isNaN(median) ? '—' : `${show(median)} · ${show(worst)}`;
      };
      const count = (n: number): string => String(Math.round(n));
      return [
        all[0]?.label ?? key,
        both((s) => s.p50Wait, minutes),
        both((s) => s.p95Wait, minutes),
        both((s) => s.p99Wait, minutes),
        both((s) => s.drain, minutes),
        both((s) => s.taskMinutes, count),
        both((s) => s.updateServiceCalls, count),
        both((s) => s.reversals, count),
        both((s) => s.interrupted, count),
        both((s) => s.unserved, count),
      ];
    }),
  );
}
