import { ageColumns, stepColumns } from './chart-series.js';
import type { PolicySummary } from './metrics.js';
import type { PolicyRun } from './simulate.js';
import { type Box, frame, polyline, round, text } from './svg.js';
import { burstsOf, type Trace } from './trace.js';

/**
 * One SVG per trace: the oldest waiting message's age and the tasks of every policy over the whole
 * trace, interruptions marked under the age panel, then the first half hour of the largest bursts,
 * where policies differ most. The legend carries each policy's key figures.
 */
const WIDTH = 1000;
const LEFT = 56;
const LEGEND = 300;
const ZOOM_SECONDS = 30 * 60;
const ZOOM_LEAD_SECONDS = 2 * 60;
const MAX_ZOOMS = 8;
const ZOOMS_PER_ROW = 4;
const STYLES: Record<string, string> = {
  conductor: 'stroke="#d62728" stroke-width="2"',
  targetTracking: 'stroke="#1f77b4" stroke-width="1.3"',
  targetTrackingAwsDefaults: 'stroke="#1f77b4" stroke-width="1.3" stroke-dasharray="6 3"',
  keda: 'stroke="#2ca02c" stroke-width="1.3"',
  kedaDefaults: 'stroke="#2ca02c" stroke-width="1.3" stroke-dasharray="6 3"',
  cdkSteps: 'stroke="#9467bd" stroke-width="1.3"',
  fixedOne: 'stroke="#8c564b" stroke-width="1.3"',
  clairvoyant: 'stroke="#7f7f7f" stroke-width="1.3" stroke-dasharray="2 2"',
};
const styleOf = (key: string): string => STYLES[key] ?? 'stroke="#000" stroke-width="1"';
const colorOf = (key: string): string => /stroke="([^"]+)"/.exec(styleOf(key))?.[1] ?? '#000';

export interface ChartInput {
  title: string;
  trace: Trace;
  runs: readonly PolicyRun[];
  summaries: readonly PolicySummary[];
  horizon: number;
  burstGapSeconds: number;
}

const minutesText = (seconds: number): string => (Number.isFinite(seconds) ? (seconds / 60).toFixed(1) : '∞');

/** A y maximum most lines fit under: the median policy's peak × 1.25; higher lines run along the top. */
function scaleOf(peaks: readonly number[]): number {
  const sorted = [...peaks].sort((a, b) => a - b);
  return Math.max(60, (sorted[Math.floor(sorted.length / 2)] ?? 0) * 1.25);
}

function timeTicks(from: number, to: number, zoom: boolean): { at: number; label: string }[] {
  const span = to - from;
  const steps = zoom
    ? [600]
    : [3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400];
  const step = steps.find((candidate) => span / candidate <= 10) ?? steps.at(-1) ?? span;
  const origin = zoom ? from + ZOOM_LEAD_SECONDS : 0;
  const ticks: { at: number; label: string }[] = [];
  for (let index = Math.ceil((from - origin) / step); origin + index * step <= to; index += 1) {
    const offset = index * step;
    const label = zoom ? `+${offset / 60}` : step < 86_400 ? `${offset / 3600} h` : `day ${offset / 86_400}`;
    ticks.push({ at: (origin + offset - from) / span, label });
  }
  return ticks;
}

/** Lines in reverse order, so the first policy (the conductor) is drawn over the others. */
const onTop = (lines: readonly string[]): string[] => [...lines].reverse();

/** An age panel and a tasks panel over [from, to). */
function panels(
  input: ChartInput,
  age: Box,
  tasks: Box,
  from: number,
  to: number,
  title: string,
  zoom: boolean,
): string[] {
  const ages = input.runs.map((run) => ageColumns(run.ages, from, to, Math.round(age.width)));
  const counts = input.runs.map((run) => stepColumns(run.billed, from, to, Math.round(tasks.width)));
  const ageMax = scaleOf(ages.map((columns) => Math.max(0, ...columns)));
  const taskMax = Math.max(1, ...counts.map((columns) => Math.max(0, ...columns)));
  const ticks = timeTicks(from, to, zoom);
  const marks = input.runs.flatMap((run) =>
    [
      ...new Set(
        run.interruptions
          .filter((at) => at >= from && at < to)
          .map((at) => Math.floor(((at - from) / (to - from)) * age.width)),
      ),
    ].map(
      (column) =>
        `<path d="M${round(age.x + column)},${age.y + age.height - 7} l-3,-6 h6 z" fill="${colorOf(run.key)}"/>`,
    ),
  );
  return [
    frame(age, zoom ? title : `${title}: oldest waiting message (min)`, minutesText(ageMax), ticks),
    ...onTop(ages.map((columns, index) => polyline(age, columns, ageMax, styleOf(input.runs[index]?.key ?? '')))),
    ...marks,
    frame(tasks, zoom ? 'tasks' : 'tasks (starting, running or stopping)', String(taskMax), ticks),
    ...onTop(counts.map((columns, index) => polyline(tasks, columns, taskMax, styleOf(input.runs[index]?.key ?? '')))),
  ];
}

function legend(input: ChartInput, x: number, y: number): string[] {
  return input.runs.flatMap((run, index) => {
    const summary = input.summaries.find((candidate) => candidate.key === run.key);
    const top = y + index * 34;
    const figures = summary
      ? `p95 ${minutesText(summary.p95Wait)} min · ${Math.round(summary.taskMinutes)} task-min · ${summary.interrupted} interrupted${summary.unserved > 0 ? ` · ${summary.unserved} unserved` : ''}`
      : '';
    return [
      `<line x1="${x}" y1="${top}" x2="${x + 18}" y2="${top}" ${styleOf(run.key)}/>`,
      text(x + 24, top + 4, run.label),
      text(x + 24, top + 17, figures, 'fill="#555" font-size="10"'),
    ];
  });
}

export function chartSvg(input: ChartInput): string {
  const plotWidth = WIDTH - LEFT - LEGEND;
  const parts = panels(
    input,
    { x: LEFT, y: 48, width: plotWidth, height: 170 },
    { x: LEFT, y: 258, width: plotWidth, height: 80 },
    0,
    input.horizon,
    'whole trace',
    false,
  );
  parts.push(
    ...legend(input, LEFT + plotWidth + 20, 52),
    text(LEFT + plotWidth + 20, 330, '▼ interruptions (a busy task stopped)', 'font-size="10"'),
  );
  const bursts = burstsOf(input.trace.messages, input.burstGapSeconds);
  const shown = [...bursts]
    .sort((a, b) => b.length - a.length || (a[0] ?? 0) - (b[0] ?? 0))
    .slice(0, MAX_ZOOMS)
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
  const zoomWidth = (WIDTH - LEFT - 20) / ZOOMS_PER_ROW - 40;
  const heading =
    bursts.length > shown.length ? `the ${shown.length} largest of ${bursts.length} bursts` : `each burst`;
  parts.push(
    text(
      LEFT,
      382,
      `First ${ZOOM_SECONDS / 60} minutes of ${heading}: oldest waiting message (min) and tasks, minutes from the first arrival`,
      'font-weight="bold" font-size="12"',
    ),
  );
  shown.forEach((burst, index) => {
    const first = input.trace.messages[burst[0] ?? 0]?.arrival ?? 0;
    const x = LEFT + (index % ZOOMS_PER_ROW) * (zoomWidth + 40);
    const y = 410 + Math.floor(index / ZOOMS_PER_ROW) * 200;
    const name = `${(first / 3600).toFixed(1)} h: ${burst.length === 1 ? '1 message' : `${burst.length} messages`}`;
    parts.push(
      ...panels(
        input,
        { x, y, width: zoomWidth, height: 80 },
        { x, y: y + 110, width: zoomWidth, height: 40 },
        first - ZOOM_LEAD_SECONDS,
        first + ZOOM_SECONDS,
        name,
        true,
      ),
    );
  });
  const height = 410 + Math.ceil(shown.length / ZOOMS_PER_ROW) * 200;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(LEFT, 18, input.title, 'font-size="13" font-weight="bold"'),
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
