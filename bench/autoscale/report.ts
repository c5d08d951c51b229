import type { PolicySummary } from './metrics.js';

/** Markdown tables for the console and RESULTS.md. */

const minutes = (seconds: number): string => (Number.isFinite(seconds) ? (seconds / 60).toFixed(1) : '∞');
const optional = (value: number | undefined): string => (value === undefined ? '—' : String(value));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function policyTable(summaries: readonly PolicySummary[]): string {
  return table(
    [
      'policy',
      'p50 wait (min)',
      'p95 wait (min)',
      'p99 wait (min)',
      'drain (min)',
      'task-min',
      'UpdateService',
      'reversals',
      'interrupted',
    ],
    summaries.map((summary) => [
      summary.unserved > 0 ? `${summary.label} (${summary.unserved} never served)` : summary.label,
      minutes(summary.p50Wait),
      minutes(summary.p95Wait),
      minutes(summary.p99Wait),
      minutes(summary.drain),
      summary.taskMinutes.toFixed(0),
      optional(summary.updateServiceCalls),
      optional(summary.reversals),
      String(summary.interrupted),
    ]),
  );
}

/** The goal on one trace, from the conductor's, target tracking's, KEDA's and the bound's summaries. */
export interface GoalCheck {
  trace: string;
  excess: { conductor: number; targetTracking: number; keda: number };
  /** conductor excess ÷ target tracking's: must be ≤ 0.5. */
  versusTargetTracking: { ratio: number; met: boolean };
  /** conductor excess ÷ KEDA's: must be ≤ 1. */
  versusKeda: { ratio: number; met: boolean };
  /** conductor task-minutes ÷ the cheaper of target tracking and KEDA: must be ≤ 1.1. */
  cost: { ratio: number; met: boolean };
  interrupted: { count: number; met: boolean };
}

/** Wait above the bound at p95; never negative (a percentile can land a hair under the bound's). */
const excessOver = (bound: PolicySummary, summary: PolicySummary): number =>
  Math.max(0, summary.p95Wait - bound.p95Wait);

/** a ÷ b, where a ≤ limit × b is the goal: 0 when b is infinite, NaN when both are 0 (met: no excess). */
const ratioOf = (a: number, b: number): number =>
  b === Infinity ? (a === Infinity ? NaN : 0) : b === 0 ? (a === 0 ? NaN : Infinity) : a / b;

export function checkGoal(
  trace: string,
  conductor: PolicySummary,
  targetTracking: PolicySummary,
  keda: PolicySummary,
  bound: PolicySummary,
): GoalCheck {
  const excess = {
    conductor: excessOver(bound, conductor),
    targetTracking: excessOver(bound, targetTracking),
    keda: excessOver(bound, keda),
  };
  const cheaper = Math.min(targetTracking.taskMinutes, keda.taskMinutes);
  return {
    trace,
    excess,
    versusTargetTracking: {
      ratio: ratioOf(excess.conductor, excess.targetTracking),
      met: excess.conductor <= 0.5 * excess.targetTracking,
    },
    versusKeda: { ratio: ratioOf(excess.conductor, excess.keda), met: excess.conductor <= excess.keda },
    cost: { ratio: conductor.taskMinutes / cheaper, met: conductor.taskMinutes <= 1.1 * cheaper },
    interrupted: { count: conductor.interrupted, met: conductor.interrupted === 0 },
  };
}

const ratioText = (ratio: number): string =>
  Number.isNaN(ratio) ? '0 ÷ 0' : Number.isFinite(ratio) ? ratio.toFixed(2) : '∞';
const verdict = (met: boolean): string => (met ? 'met' : '**not met**');

export function goalTable(checks: readonly GoalCheck[]): string {
  return table(
    [
      'trace',
      'p95 excess (min): conductor / TT / KEDA',
      'conductor ÷ TT (≤ 0.5)',
      'conductor ÷ KEDA (≤ 1)',
      'task-min ÷ cheaper of TT, KEDA (≤ 1.1)',
      'interrupted (= 0)',
    ],
    checks.map((check) => [
      check.trace,
      `${minutes(check.excess.conductor)} / ${minutes(check.excess.targetTracking)} / ${minutes(check.excess.keda)}`,
      `${ratioText(check.versusTargetTracking.ratio)} ${verdict(check.versusTargetTracking.met)}`,
      `${ratioText(check.versusKeda.ratio)} ${verdict(check.versusKeda.met)}`,
      `${ratioText(check.cost.ratio)} ${verdict(check.cost.met)}`,
      `${check.interrupted.count} ${verdict(check.interrupted.met)}`,
    ]),
  );
}

export const allMet = (check: GoalCheck): boolean =>
  check.versusTargetTracking.met && check.versusKeda.met && check.cost.met && check.interrupted.met;
