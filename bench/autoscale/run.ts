import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chartSvg } from './chart.js';
import { parseOptions } from './cli-options.js';
import { runSetting, type SettingResult, settingsOf } from './experiment.js';
import { jsonResult } from './json-result.js';
import { goalMisses, goalTable, policyTable } from './report.js';
import { resultsMarkdown, type ScaleRow } from './results-md.js';
import { parseTraceCsv } from './trace.js';

/**
 * npm run bench:autoscale [-- options] [trace.csv ...]
 * Every trace (default: the shipped ones) under every policy, seed and world; prints the goal tables,
 * writes one SVG chart per trace (fair world, chart seed) and RESULTS.md to --out (default out/), or
 * with --publish where the README links them (charts/ and RESULTS.md); --json FILE for machines.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const options = parseOptions(process.argv.slice(2));
const shipped = join(HERE, 'traces');
const paths =
  options.traces.length > 0
    ? options.traces
    : readdirSync(shipped)
        .filter((name) => name.endsWith('.csv'))
        .sort()
        .map((name) => join(shipped, name));
const traces = paths.map((path) => parseTraceCsv(path, readFileSync(path, 'utf8')));
const chartsDir = options.publish ? join(HERE, 'charts') : (options.out ?? join(HERE, 'out'));
const resultsFile = options.publish ? join(HERE, 'RESULTS.md') : join(chartsDir, 'RESULTS.md');
mkdirSync(chartsDir, { recursive: true });

const started = performance.now();
const cpuAtStart = process.cpuUsage();
const results: SettingResult[] = [];
for (const setting of settingsOf(options.scenario, options.worlds, options.withMinOne)) {
  const chartSeed = results.length === 0 ? options.chartSeed : undefined;
  const result = runSetting(setting, traces, options.seeds, chartSeed);
  results.push(result);
  const misses = goalMisses(result);
  const verdict =
    misses.length === 0 ? 'every goal met on every trace' : `NOT every goal met:\n- ${misses.join('\n- ')}`;
  console.log(`## World "${setting.name}": ${setting.describe}\n\n${goalTable(result)}\n\n${verdict}\n`);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAtStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakMb = process.resourceUsage().maxRSS / 1024;

const charts = new Map<string, string>();
const first = results[0];
for (const { trace, chart, seeds } of first?.traces ?? []) {
  console.log(
    `### ${trace.name} (world "${first?.setting.name}", median · worst of ${seeds.length} seeds)\n\n${policyTable({ trace, seeds, chart })}\n`,
  );
  if (chart === undefined) continue;
  const file = join(chartsDir, `${trace.name}.svg`);
  const messages = trace.messages.length === 1 ? '1 message' : `${trace.messages.length} messages`;
  const span = (trace.messages.at(-1)?.arrival ?? 0) / 3600;
  const title = `${trace.name}: ${messages}, last at ${span.toFixed(1)} h — world "${first?.setting.name}", seed ${options.chartSeed}`;
  writeFileSync(
    file,
    chartSvg({
      title,
      trace,
      runs: chart.runs,
      summaries: chart.summaries,
      horizon: chart.horizon,
      burstGapSeconds: options.scenario.burstGapSeconds,
    }),
  );
  charts.set(trace.name, relative(join(resultsFile, '..'), file));
}

const command = ['npm run bench:autoscale', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
  ' ',
);
const run = { command, seconds, cpuSeconds, peakMb, seeds: options.seeds, chartSeed: options.chartSeed };
const scaleFile = join(HERE, 'scale.json');
const scale = existsSync(scaleFile) ? (JSON.parse(readFileSync(scaleFile, 'utf8')) as ScaleRow[]) : [];
writeFileSync(resultsFile, resultsMarkdown(results, charts, run, scale));
if (options.json !== undefined) {
  const fairSettings = results.filter((result) => result.setting.describe === first?.setting.describe);
  writeFileSync(options.json, `${JSON.stringify(jsonResult(fairSettings), null, 1)}\n`);
  console.log(`${options.json} written`);
}
const missed = results.filter((result) => result.setting.judged).flatMap((result) => goalMisses(result));
if (missed.length > 0) {
  console.error(`Goal missed in the goal's world:\n- ${missed.join('\n- ')}`);
  process.exitCode = 1;
} else if (results.some((result) => result.setting.judged)) console.log("Goal met on every trace in the goal's world.");
console.log(
  `${results.length} worlds × ${traces.length} traces × ${options.seeds.length} seeds in ${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s), peak RSS ${peakMb.toFixed(0)} MB; ${relative(process.cwd(), resultsFile)} written`,
);
