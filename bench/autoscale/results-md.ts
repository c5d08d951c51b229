import type { SettingResult } from './experiment.js';
import { afterIdleLimit } from './goal.js';
import { goalMisses, goalTable, policyTable, table } from './report.js';
import type { Scenario } from './scenario.js';

export interface RunFacts {
  command: string;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
  seeds: readonly number[];
  chartSeed: number;
}

const seedText = (seeds: readonly number[]): string =>
  seeds.length > 1 && seeds.every((seed, index) => index === 0 || seed === (seeds[index - 1] ?? 0) + 1)
    ? `${seeds[0]}–${seeds.at(-1)}`
    : seeds.join(', ');

/** The world every figure below comes from, in words. */
export function worldText(scenario: Scenario): string {
  const { startLatency: start, stop } = scenario;
  return [
    `${scenario.minTasks}–${scenario.maxTasks} tasks, ${scenario.messagesPerTask} message(s) per task, stabilization window ${scenario.stabilizationSeconds} s, conductor re-check every ${scenario.recheckSeconds} s;`,
    `task scale-in protection ${scenario.protection ? 'on' : 'off'} for every policy; counts ${scenario.lag === 'steady' ? `${scenario.maxCountLagSeconds} s late` : `of a fresh random 0–${scenario.maxCountLagSeconds} s ago`} at each read, one off ${scenario.countNoise * 100} % of the time each way;`,
    `phantom counts of 1–2 on an empty queue ${scenario.phantomsPerDay} a day on average, ${scenario.phantomSeconds} s each; Fargate starts in ${start.minSeconds}–${start.maxSeconds} s (median ${start.medianSeconds});`,
    `a stopped busy task gets ${stop.graceSeconds} s, then its message ${stop.handBack ? 'is handed back at once' : `comes back after the ${scenario.visibilityTimeoutSeconds} s visibility timeout`}; visibility timeout ${scenario.visibilityTimeoutSeconds} s;`,
    `processing times × ${scenario.processingScale}; CloudWatch alarms act ${scenario.alarmDelaySeconds} s after a datapoint is published.`,
  ].join('\n');
}

/** How a trace of weeks or months runs (scale.json, written by scale.ts). */
export interface ScaleRow {
  weeks: number;
  messages: number;
  seeds: string;
  wallSeconds: number;
  cpuSeconds: number;
  peakMb: number;
}

function scaleSection(rows: readonly ScaleRow[]): string[] {
  if (rows.length === 0) return [];
  return [
    '## Traces of weeks and months',
    '',
    'Made by `npx tsx bench/autoscale/scale.ts`: a CGAP-like trace of N weeks (`make-traces.ts --weeks N`), every policy, the fair world, one seed, each in a fresh process. Time grows with the trace and memory stays flat: counts older than the lag are dropped, charts keep one value per pixel column.',
    '',
    table(
      ['weeks', 'messages', 'seeds', 'wall (s)', 'CPU (s)', 'peak RSS (MB)'],
      rows.map((row) => [
        String(row.weeks),
        String(row.messages),
        row.seeds,
        row.wallSeconds.toFixed(1),
        row.cpuSeconds.toFixed(1),
        String(row.peakMb),
      ]),
    ),
    '',
  ];
}

export function resultsMarkdown(
  results: readonly SettingResult[],
  charts: ReadonlyMap<string, string>,
  run: RunFacts,
  scale: readonly ScaleRow[],
): string {
  const first = results[0];
  const worlds = results.map((result) => {
    const misses = goalMisses(result);
    const verdict =
      misses.length === 0
        ? 'Every goal met on every trace.'
        : `Not every goal met:\n\n${misses.map((miss) => `- ${miss}`).join('\n')}`;
    return `### World "${result.setting.name}": ${result.setting.describe}\n\n${worldText(result.setting.scenario)}\n\n${goalTable(result)}\n\n${verdict}\n`;
  });
  const traces = (first?.traces ?? []).map((traceSeeds) => {
    const { trace } = traceSeeds;
    const chart = charts.get(trace.name);
    return `### ${trace.name}: ${trace.messages.length} message(s), last arrival at ${((trace.messages.at(-1)?.arrival ?? 0) / 3600).toFixed(1)} h\n\n${policyTable(traceSeeds)}\n${chart ? `\n![${trace.name}](${chart})\n` : ''}`;
  });
  const limit = first ? afterIdleLimit(first.setting.scenario) / 60 : 0;
  return [
    '# Autoscaling policy simulator: results',
    '',
    `Made by \`${run.command}\` in ${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(1)} s on a shared 2-core machine; peak RSS ${run.peakMb.toFixed(0)} MB), seeds ${seedText(run.seeds)}.`,
    'How the world and each baseline are modelled, with sources, and why each goal that is not met is not: [README.md](README.md).',
    '',
    '## Goal, world by world',
    '',
    "**The goal (issue 26), in the fair world with minTasks 0 and with minTasks 1: on every trace, the median p95 excess wait ≤ 0.5 × target tracking's and ≤ 1.0 × KEDA's, the worst seed's ≤ 1.25 × KEDA's; on every seed, task-minutes ≤ 1.1 × those of the cheapest baseline that served every message with a p95 excess within twice ours (saving by leaving work waiting is not a cheaper way to do the same job), the same on a trace's goal week alone (a holiday week after normal weeks), and 0 interrupted.** `bench/autoscale/goal.ts` judges it and the command exits 1 when it is missed.",
    '',
    `Each cell is median · worst over the seeds. p95 excess = p95 wait − the clairvoyant bound's. TT is the best of the four target-tracking setups (Copilot's or AWS's cooldowns, scale-out alarm \`>\` or \`>=\`): the one less favourable to us. KEDA runs at queueLength = messagesPerTask. Every other policy is a baseline for cost: "cheapest comparable" names the one the cost ratio divides by, with the number of seeds. "After 2 h idle" (issue 15) is the longest wait of a message that arrived after two hours with nothing to do: no arrivals, and the bound had finished all earlier work (limit: one check + the count lag + the slowest task start = ${limit.toFixed(2)} min).`,
    '',
    ...worlds,
    ...scaleSection(scale),
    `## Per trace (world "${first?.setting.name}"; median · worst over the seeds; times in minutes; chart: seed ${run.chartSeed})`,
    '',
    ...traces,
  ].join('\n');
}
