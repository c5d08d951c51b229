import uPlot from 'uplot';
import { clock } from '../format.js';
import { timeRange, timeTicks } from './time-ticks.js';

/**
 * uPlot's configuration for the queue chart: messages on the left axis, tasks on the right (drawn
 * as steps, as counts change), decisions as points. Colours come from the page's CSS variables, so
 * the chart follows light and dark.
 */
/** uPlot's axis side 1 (right): its `Side` is an ambient const enum, which isolatedModules cannot read. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const RIGHT = 1 as uPlot.Axis.Side;

/** Messages and tasks are counts: ticks at whole numbers only (uPlot would draw 0.5 tasks). */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000, 1_000_000];

function color(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || 'gray';
}

/** `windowEnd`: the end of the history's window (epoch seconds), where an empty chart ends. */
export function queueChartOptions(
  width: number,
  onCursor: (index: number | null) => void,
  windowEnd: () => number,
): uPlot.Options {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const axis = {
    stroke: color('--muted'),
    grid: { stroke: color('--grid'), width: 1 },
    ticks: { stroke: color('--grid') },
  };
  return {
    width,
    height: 240,
    cursor: { points: { size: 6 } },
    scales: {
      // At least ten minutes wide: a chart of one sample would otherwise span years, and one of none, 1970.
      x: { time: true, range: (_u, min, max) => timeRange(min, max, windowEnd()) },
      messages: { range: (_u, min, max) => [0, Math.max(1, min, max)] },
      tasks: { range: (_u, min, max) => [0, Math.max(1, min, max) + 1] },
    },
    axes: [
      { ...axis, values: (_u, splits) => timeTicks(splits) },
      { ...axis, scale: 'messages', label: 'messages', size: 50, incrs: COUNT_STEPS },
      { ...axis, scale: 'tasks', label: 'tasks', side: RIGHT, size: 40, grid: { show: false }, incrs: COUNT_STEPS },
    ],
    series: [
      { value: (_u, at: number | null) => (at === null ? '–' : clock(new Date(at * 1000).toISOString())) },
      {
        label: 'visible',
        scale: 'messages',
        stroke: color('--chart-visible'),
        fill: color('--chart-visible-fill'),
        width: 2,
      },
      { label: 'in flight', scale: 'messages', stroke: color('--chart-inflight'), width: 2, dash: [6, 3] },
      {
        label: 'desired',
        scale: 'tasks',
        stroke: color('--chart-desired'),
        width: 2,
        ...(stepped ? { paths: stepped } : {}),
      },
      {
        label: 'running',
        scale: 'tasks',
        stroke: color('--chart-running'),
        width: 2,
        ...(stepped ? { paths: stepped } : {}),
      },
      {
        label: 'decision',
        scale: 'tasks',
        stroke: color('--chart-decision'),
        fill: color('--chart-decision'),
        width: 0,
        paths: () => null,
        points: { show: true, size: 10, fill: color('--chart-decision') },
      },
    ],
    hooks: {
      setCursor: [
        (chart) => {
          onCursor(chart.cursor.idx ?? null);
        },
      ],
    },
  };
}
