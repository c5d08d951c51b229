import uPlot from 'uplot';
import { clock } from '../format.js';

/**
 * uPlot's configuration for the queue chart: messages on the left axis, tasks on the right (drawn
 * as steps, as counts change), decisions as points. Colours come from the page's CSS variables, so
 * the chart follows light and dark.
 */
/** uPlot's axis side 1 (right): its `Side` is an ambient const enum, which isolatedModules cannot read. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const RIGHT = 1 as uPlot.Axis.Side;

const MIN_SPAN_S = 600;

/** `14:05`: the time axis in the 24-hour clock the rest of the page uses. */
function hourMinute(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

function color(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || 'gray';
}

export function queueChartOptions(width: number, onCursor: (index: number | null) => void): uPlot.Options {
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
      // At least ten minutes wide: a chart of one sample would otherwise span years.
      x: { time: true, range: (_u, min, max) => [Math.min(min, max - MIN_SPAN_S), max] },
      messages: { range: (_u, min, max) => [0, Math.max(1, min, max)] },
      tasks: { range: (_u, min, max) => [0, Math.max(1, min, max) + 1] },
    },
    axes: [
      { ...axis, values: (_u, splits) => splits.map((at) => hourMinute(at)) },
      { ...axis, scale: 'messages', label: 'messages', size: 50 },
      { ...axis, scale: 'tasks', label: 'tasks', side: RIGHT, size: 40, grid: { show: false } },
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
