/** Order statistics for benchmark samples: medians and percentiles, never single times. */

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples');
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0–100): always one of the samples, so small runs stay honest. */
export function percentile(values: readonly number[], p: number): number {
  const ordered = sorted(values);
  const rank = Math.ceil((p / 100) * ordered.length);
  return ordered[Math.min(ordered.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The middle sample, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  const upper = ordered[middle] ?? Number.NaN;
  return ordered.length % 2 === 1 ? upper : ((ordered[middle - 1] ?? Number.NaN) + upper) / 2;
}

export interface Summary {
  count: number;
  median: number;
  p95: number;
  p99: number;
}

export function summarize(values: readonly number[]): Summary {
  return { count: values.length, median: median(values), p95: percentile(values, 95), p99: percentile(values, 99) };
}
