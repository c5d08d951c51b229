import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomStream, SALT } from './random.js';
import type { ScaleRow } from './results-md.js';
import { formatTraceCsv } from './trace.js';
import { cgapWeeks } from './weekly-traces.js';

/**
 * How the simulator grows with the trace: `npx tsx bench/autoscale/scale.ts [--weeks 1,3,13] [--seeds 1]`.
 * Each CGAP-like trace of N weeks runs in a fresh process (every policy, the fair world); its wall
 * time, CPU time and peak RSS go to scale.json, which RESULTS.md shows.
 */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: { weeks: { type: 'string', default: '1,3,13' }, seeds: { type: 'string', default: '1' } },
});
const directory = mkdtempSync(join(tmpdir(), 'autoscale-scale-'));

const rows = values.weeks.split(',').map((text): ScaleRow => {
  const weeks = Number(text);
  if (!Number.isInteger(weeks) || weeks < 1) throw new Error(`--weeks: "${text}" is not a whole number of weeks ≥ 1`);
  const messages = cgapWeeks(randomStream(6, SALT.traces, 100 + weeks), weeks);
  const file = join(directory, `cgap-${weeks}w.csv`);
  writeFileSync(file, formatTraceCsv(`${weeks} weeks of cgap-week`, messages));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'run.ts'), '--worlds', 'fair', '--seeds', values.seeds, '--out', directory, file],
    { encoding: 'utf8' },
  );
  const line = /in ([\d.]+) s \(CPU ([\d.]+) s\), peak RSS (\d+) MB/.exec(run.stdout);
  if (run.status !== 0 || line === null)
    throw new Error(`the ${weeks}-week run failed: ${run.stderr || run.stdout.slice(-500)}`);
  const row = {
    weeks,
    messages: messages.length,
    seeds: values.seeds,
    wallSeconds: Number(line[1]),
    cpuSeconds: Number(line[2]),
    peakMb: Number(line[3]),
  };
  console.log(JSON.stringify(row));
  return row;
});
writeFileSync(join(HERE, 'scale.json'), `${JSON.stringify(rows, null, 1)}\n`);
console.log('bench/autoscale/scale.json written');
