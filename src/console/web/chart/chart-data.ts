import type { ScalingDecisionPoint, ScalingHistory } from '../../../contract/scaling-history.js';

/**
 * The scaling history as uPlot's aligned columns: time (s), visible, in flight, desired, running,
 * and a decision column that holds the count a decision set at the sample nearest to it (null
 * elsewhere), so each decision is a point on the chart that a hover can explain.
 */
export type ChartColumns = [number[], ...(number | null)[][]];

export interface ChartData {
  columns: ChartColumns;
  /** Decisions by the sample index they are drawn at. */
  decisionsAt: Map<number, ScalingDecisionPoint[]>;
}

function nearestIndex(times: number[], at: number): number {
  let best = 0;
  times.forEach((time, index) => {
    if (Math.abs(time - at) < Math.abs((times[best] ?? Infinity) - at)) best = index;
  });
  return best;
}

export function chartData(history: ScalingHistory): ChartData {
  const times = history.samples.map((sample) => Date.parse(sample.at) / 1000);
  const decisionColumn: (number | null)[] = times.map(() => null);
  const decisionsAt = new Map<number, ScalingDecisionPoint[]>();
  if (times.length > 0) {
    for (const decision of history.decisions) {
      const index = nearestIndex(times, Date.parse(decision.at) / 1000);
      decisionColumn[index] = decision.to;
      decisionsAt.set(index, [...(decisionsAt.get(index) ?? []), decision]);
    }
  }
  return {
    columns: [
      times,
      history.samples.map((sample) => sample.visible),
      history.samples.map((sample) => sample.inFlight),
      history.samples.map((sample) => sample.desired),
      history.samples.map((sample) => sample.running),
      decisionColumn,
    ],
    decisionsAt,
  };
}
