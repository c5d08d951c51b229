import type { SettingResult, TraceSeeds } from './experiment.js';
import { afterIdleLimit, LIMITS, medianAndWorst, type SeedGoal } from './goal.js';
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

/** Whether every criterion holds on the worst seed of every trace. */
export function goalMet(result: SettingResult): boolean {
  const limit = afterIdleLimit(result.setting.scenario);
  return result.traces.every(({ seeds }) =>
    seeds.every(({ goal }) => {
      const idleMet = Number.isNaN(goal.afterIdleWait) || goal.afterIdleWait <= limit;
      const costMet = Number.isNaN(goal.cost) || goal.cost <= LIMITS.cost;
      return (
        goal.versusTargetTracking <= LIMITS.versusTargetTracking &&
        goal.versusKeda <= LIMITS.versusKeda &&
        costMet &&
        goal.interrupted === 0 &&
        idleMet
      );
    }),
  );
}

export function goalTable(result: SettingResult): string {
  const limit = afterIdleLimit(result.setting.scenario);
  return table(
    [
      'trace',
      'p95 excess (min, median): conductor / TT / KEDA',
      `÷ TT (≤ ${LIMITS.versusTargetTracking})`,
      `÷ KEDA (≤ ${LIMITS.versusKeda})`,
      `task-min ÷ cheapest (≤ ${LIMITS.cost})`,
      'interrupted (= 0)',
      `after 2 h idle, wait (≤ ${minutes(limit)} min)`,
    ],
    result.traces.map(({ trace, seeds }) => {
      const goals = seeds.map((seed) => seed.goal);
      const median = (value: (goal: SeedGoal) => number): string => minutes(medianAndWorst(goals.map(value)).median);
      return [
        trace.name,
        `${median((goal) => goal.excess.conductor)} / ${median((goal) => goal.excess.targetTracking)} / ${median((goal) => goal.excess.keda)}`,
        over(goals, (goal) => goal.versusTargetTracking, LIMITS.versusTargetTracking),
        over(goals, (goal) => goal.versusKeda, LIMITS.versusKeda),
        over(goals, (goal) => goal.cost, LIMITS.cost),
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
