import '../lib/quiet-sdk.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../../scripts/lib/emulator.js';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { ensureVenv } from '../../scripts/lib/venv.js';
import { parseConductorConfig } from '../../src/config/load.js';
import { machineLine } from '../lib/machine.js';
import { ms, table, verdict } from '../lib/markdown.js';
import { median } from '../lib/stats.js';
import { emulatorPace, type EmulatorPace } from './calibrate.js';
import { fanoutConfigDocument } from './config.js';
import { isWrite } from '../lib/operations.js';
import type { Tick, TickResults } from './ticks.js';
import { stateTableName } from '../../src/domain/names.js';

/**
 * npm run bench:fanout [-- --sizes 1,10,100] [-- --ticks 7]
 * Seeds the emulator with 1, 10 and 100 environments modelled on cgap-mastertest and runs the
 * autoscale and reconcile handlers against it, each size in a fresh process, through a recording
 * proxy. Prints AWS calls per environment per tick by operation (steady state: every tick but the
 * first, which also resolves queue URLs and creates records) and the median wall time per tick with
 * its growth from size to size.
 */
const STAGE = 'bench';
const TICKS_SCRIPT = join(import.meta.dirname, 'ticks.ts');

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1,10,100' }, ticks: { type: 'string', default: '7' } },
});
const sizes = values.sizes.split(',').map(Number);
const ticks = Number(values.ticks);
if (sizes.some((size) => !Number.isInteger(size) || size < 1))
  throw new Error(`--sizes must list whole numbers ≥ 1, got ${values.sizes}`);
if (!Number.isInteger(ticks) || ticks < 6)
  throw new Error(`--ticks must be ≥ 6 (the first is reported apart), got ${values.ticks}`);

function runTicks(endpoint: string, configFile: string, resultFile: string): Promise<TickResults> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TICKS_SCRIPT, resultFile], {
      env: {
        ...process.env,
        // A file, not the variable itself: a hundred environments pass the size limit of one variable.
        CONDUCTOR_CONFIG_FILE: configFile,
        CONDUCTOR_TABLE: stateTableName(STAGE),
        CONDUCTOR_STAGE: STAGE,
        // One pass per invocation: the handler's re-checks within its minute are not a tick.
        CONDUCTOR_AUTOSCALE_RECHECK_SECONDS: '60',
        EMULATOR_ENDPOINT: endpoint,
        TICKS: String(ticks),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      // The handlers' log lines and EMF metrics go to stdout, as in Lambda; they are not the result.
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolveRun(JSON.parse(readFileSync(resultFile, 'utf8')) as TickResults);
      else reject(new Error(`ticks for ${resultFile} exited with ${String(code)}:\n${stderr}`));
    });
  });
}

interface SizeResult {
  size: number;
  seedSeconds: number;
  ticks: TickResults;
}

/** Mean calls per environment per tick by operation, over the given ticks. */
function perEnvironment(taken: readonly Tick[], size: number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const tick of taken)
    for (const [operation, count] of Object.entries(tick.calls))
      totals.set(operation, (totals.get(operation) ?? 0) + count);
  return new Map([...totals].map(([operation, count]) => [operation, count / taken.length / size]));
}

const perTick = (value: number | undefined): string =>
  value === undefined ? '0' : Number.isInteger(value) ? String(value) : value.toFixed(2);

function callsTable(results: readonly SizeResult[], kind: keyof TickResults): string {
  const steady = results.map((result) => perEnvironment(result.ticks[kind].slice(1), result.size));
  const first = results.map((result) => perEnvironment(result.ticks[kind].slice(0, 1), result.size));
  const operations = [...new Set([...steady, ...first].flatMap((counts) => [...counts.keys()]))].sort();
  const total = (counts: Map<string, number> | undefined, writes: boolean) =>
    [...(counts ?? [])]
      .filter(([operation]) => isWrite(operation) === writes)
      .reduce((sum, [, count]) => sum + count, 0);
  return table(
    ['operation', ...results.map((result) => `${String(result.size)} env steady (first tick)`), 'kind'],
    [
      ...operations.map((operation) => [
        operation,
        ...results.map(
          (_, index) => `${perTick(steady[index]?.get(operation))} (${perTick(first[index]?.get(operation))})`,
        ),
        isWrite(operation) ? 'write' : 'read',
      ]),
      [
        '**all reads**',
        ...results.map(
          (_, index) => `${perTick(total(steady[index], false))} (${perTick(total(first[index], false))})`,
        ),
        '',
      ],
      [
        '**all writes**',
        ...results.map((_, index) => `${perTick(total(steady[index], true))} (${perTick(total(first[index], true))})`),
        '',
      ],
    ],
  );
}

function timeTable(results: readonly SizeResult[], pace: EmulatorPace): string {
  const rows = (['autoscale', 'reconcile'] as const).map((kind) => {
    const medians = results.map((result) => median(result.ticks[kind].slice(1).map((tick) => tick.ms)));
    const growth = medians.slice(1).map((value, index) => `${(value / (medians[index] ?? Number.NaN)).toFixed(1)}×`);
    // What the emulator alone needs for a tick's calls, answering one at a time.
    const floors = results.map((result) => {
      const calls = median(
        result.ticks[kind].slice(1).map((tick) => Object.values(tick.calls).reduce((sum, count) => sum + count, 0)),
      );
      return ms((calls / pace.callsPerSecond) * 1000);
    });
    return [
      kind,
      ...medians.map(ms),
      ...growth,
      floors.join(' / '),
      results.map((result) => ms(result.ticks[kind][0]?.ms ?? Number.NaN)).join(' / '),
    ];
  });
  const header = [
    'function',
    ...results.map((result) => `${String(result.size)} env: median ms per tick`),
    ...results.slice(1).map((result, index) => `growth ${String(results[index]?.size)}→${String(result.size)}`),
    'emulator floor: calls ÷ its pace (ms)',
    'first tick (ms)',
  ];
  return table(header, rows);
}

/** The goal: ≤ 2 AWS reads per queue-driven service (DescribeServices batched) + the state read, no write when nothing changes. */
function autoscaleGoal(results: readonly SizeResult[]): string {
  return results
    .map((result) => {
      const counts = perEnvironment(result.ticks.autoscale.slice(1), result.size);
      const awsReads = [...counts]
        .filter(([operation]) => !isWrite(operation) && !operation.startsWith('dynamodb:'))
        .reduce((sum, [, count]) => sum + count, 0);
      const stateReads = [...counts]
        .filter(([operation]) => !isWrite(operation) && operation.startsWith('dynamodb:'))
        .reduce((sum, [, count]) => sum + count, 0);
      const writes = [...counts].filter(([operation]) => isWrite(operation)).reduce((sum, [, count]) => sum + count, 0);
      return (
        `- ${String(result.size)} env: ${perTick(awsReads)} AWS reads per queue-driven service (≤ 2: ${verdict(awsReads <= 2)}), ` +
        `${perTick(stateReads)} DynamoDB reads (state + rollout lock; goal 1: ${verdict(stateReads <= 1)}), ` +
        `${perTick(writes)} writes with nothing changing (0: ${verdict(writes === 0)})`
      );
    })
    .join('\n');
}

console.log(machineLine());
ensureVenv();
const emulator = await startEmulator();
const work = mkdtempSync(join(tmpdir(), 'conductor-fanout-'));
const started = performance.now();
try {
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const document = fanoutConfigDocument(size);
    const seeding = performance.now();
    await seedEmulator(emulator.endpoint, parseConductorConfig(document), { stage: STAGE });
    const seedSeconds = (performance.now() - seeding) / 1000;
    const configFile = join(work, `config-${String(size)}.json`);
    writeFileSync(configFile, JSON.stringify(document));
    results.push({
      size,
      seedSeconds,
      ticks: await runTicks(emulator.endpoint, configFile, join(work, `ticks-${String(size)}.json`)),
    });
    console.log(
      `${String(size)} env: seeded in ${seedSeconds.toFixed(1)} s, ${String(ticks)} ticks of each function run`,
    );
  }
  console.log(
    `\n### autoscale: AWS calls per environment per tick (one queue-driven service each; ticks 2–${String(ticks)}, tick 1 in brackets)\n`,
  );
  console.log(callsTable(results, 'autoscale'));
  console.log(`\n${autoscaleGoal(results)}`);
  console.log(
    '\nCounted at a recording proxy between the handlers and the emulator: every request, named by its X-Amz-Target;' +
      ' per environment = calls in a tick ÷ environments (each has one queue-driven service, so also per service).' +
      ' A tick is one pass: the deployed autoscale makes four a minute (a re-check every 15 s).',
  );
  console.log(
    `\n### reconcile: AWS calls per environment per tick (no active release; ticks 2–${String(ticks)}, tick 1 in brackets)\n`,
  );
  console.log(callsTable(results, 'reconcile'));
  const pace = await emulatorPace(emulator.endpoint, stateTableName(STAGE));
  console.log(
    `\n### Wall time per tick (median of ticks 2–${String(ticks)}; one handler invocation, emulator behind a recording proxy)\n`,
  );
  console.log(timeTable(results, pace));
  console.log(
    `\nemulator pace: GetItem round trip ${ms(pace.roundTripMs)} ms alone; ${pace.callsPerSecond.toFixed(0)} calls/s with ${String(pace.inFlight)} in flight` +
      ' (moto answers one request at a time, so a tick cannot take less than its calls ÷ this pace).',
  );
  console.log(`\nran in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await emulator.stop();
}
