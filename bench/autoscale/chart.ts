import type { PolicyRun, Sample } from './simulate.js';

/**
 * One SVG per trace, written by hand (no dependencies): waiting messages on top, tasks below,
 * one line per policy. Lines are downsampled to one point per pixel column (the column's maximum)
 * and flat runs collapse to their ends, which keeps multi-day charts to tens of kilobytes.
 */
const WIDTH = 960;
const PANEL_HEIGHT = 170;
const LEFT = 56;
const RIGHT = 190;
const TOP = 34;
const GAP = 46;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const COLORS: Record<string, string> = {
  conductor: '#d62728',
  'target-tracking': '#1f77b4',
  keda: '#2ca02c',
  'cdk-steps': '#9467bd',
  fixed: '#8c564b',
  clairvoyant: '#7f7f7f',
};

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (value: number): string => String(Math.round(value * 10) / 10);

// The bound dashed, this project's policy a little heavier: the two lines the goal compares.
const lineStyle = (key: string, width: number): string =>
  `stroke="${COLORS[key] ?? '#000'}" stroke-width="${width}"${key === 'clairvoyant' ? ' stroke-dasharray="4 3"' : ''}`;

/** Pixel-column maxima of one series, as polyline points. */
function points(
  samples: readonly Sample[],
  value: (sample: Sample) => number,
  end: number,
  top: number,
  maximum: number,
  offset: number,
): string {
  const columns = new Map<number, number>();
  for (const sample of samples) {
    if (sample.at > end) break;
    const column = Math.round((sample.at / end) * PLOT_WIDTH);
    columns.set(column, Math.max(columns.get(column) ?? 0, value(sample)));
  }
  const entries = [...columns.entries()];
  const kept = entries.filter(([, y], index) => y !== entries[index - 1]?.[1] || y !== entries[index + 1]?.[1]);
  return kept
    .map(
      ([column, y]) => `${round(LEFT + column)},${round(top + PANEL_HEIGHT - (y / maximum) * PANEL_HEIGHT + offset)}`,
    )
    .join(' ');
}

function axes(top: number, title: string, maximum: number, end: number): string {
  const hours = end / 3600;
  const step = hours > 48 ? 12 : hours > 12 ? 3 : 1;
  const ticks: string[] = [];
  for (let hour = 0; hour <= hours; hour += step) {
    const x = round(LEFT + (hour / hours) * PLOT_WIDTH);
    ticks.push(`<line x1="${x}" y1="${top + PANEL_HEIGHT}" x2="${x}" y2="${top + PANEL_HEIGHT + 4}" stroke="#333"/>`);
    ticks.push(`<text x="${x}" y="${top + PANEL_HEIGHT + 16}" text-anchor="middle">${hour} h</text>`);
  }
  return [
    `<text x="${LEFT}" y="${top - 8}" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="none" stroke="#bbb"/>`,
    `<text x="${LEFT - 6}" y="${top + 4}" text-anchor="end">${maximum}</text>`,
    `<text x="${LEFT - 6}" y="${top + PANEL_HEIGHT}" text-anchor="end">0</text>`,
    ...ticks,
  ].join('\n');
}

export function chartSvg(title: string, runs: readonly PolicyRun[], end: number): string {
  const waitingMax = Math.max(1, ...runs.flatMap((run) => run.samples.map((sample) => sample.waiting)));
  const tasksMax = Math.max(1, ...runs.flatMap((run) => run.samples.map((sample) => sample.tasks)));
  const waitingTop = TOP + 12;
  const tasksTop = waitingTop + PANEL_HEIGHT + GAP;
  const lines = runs.flatMap((run, index) => {
    const style = lineStyle(run.key, run.key === 'conductor' ? 1.8 : 1.2);
    // Offsets keep identical lines (several policies at the same count) apart by a pixel or two.
    const offset = (index - (runs.length - 1) / 2) * 1.5;
    return [
      `<polyline fill="none" ${style} points="${points(run.samples, (sample) => sample.waiting, end, waitingTop, waitingMax, offset)}"/>`,
      `<polyline fill="none" ${style} points="${points(run.samples, (sample) => sample.tasks, end, tasksTop, tasksMax, offset)}"/>`,
    ];
  });
  const legend = runs.map((run, index) => {
    const y = waitingTop + 10 + index * 18;
    const x = WIDTH - RIGHT + 16;
    return `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" ${lineStyle(run.key, 2)}/><text x="${x + 24}" y="${y + 4}">${escapeXml(run.label)}</text>`;
  });
  const height = tasksTop + PANEL_HEIGHT + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${LEFT}" y="14" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    axes(waitingTop, 'waiting messages (visible)', waitingMax, end),
    axes(tasksTop, 'tasks (starting, running or stopping)', tasksMax, end),
    ...lines,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
