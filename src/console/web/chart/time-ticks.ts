/**
 * The chart's time axis labels: `14:05` in the page's 24-hour clock; with seconds when minutes alone
 * would repeat a label (a span of a few minutes); the first tick of a new day (and the first of all,
 * when the span crosses midnight) with its date, so `00:00` after `23:50` reads as the next day.
 */

const timeOf = (date: Date, seconds: boolean) =>
  date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  });

const dayOf = (date: Date) => date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });

export function timeTicks(splits: readonly number[]): string[] {
  const dates = splits.map((at) => new Date(at * 1000));
  const minutes = dates.map((date) => timeOf(date, false));
  const seconds = new Set(minutes).size < minutes.length;
  const days = new Set(dates.map(dayOf)).size > 1;
  return dates.map((date, index) => {
    const time = timeOf(date, seconds);
    const previous = dates[index - 1];
    const newDay = previous ? dayOf(previous) !== dayOf(date) : days;
    return newDay ? `${dayOf(date)} ${time}` : time;
  });
}

const MIN_SPAN_S = 600;

/**
 * The time axis's span (epoch seconds): the samples', at least ten minutes wide, never past the
 * window's end. uPlot widens a single sample's span by 86,400 of its time units (seconds here: a
 * thousand days), and gives no span at all without samples (1970, every tick at 00:00).
 */
export function timeRange(min: number | null, max: number | null, windowEnd: number): [number, number] {
  const end = max !== null && Number.isFinite(max) ? Math.min(max, windowEnd) : windowEnd;
  const start = min !== null && Number.isFinite(min) ? min : end;
  return [Math.min(start, end - MIN_SPAN_S), end];
}
