/**
 * `npm run bench:bill -- --measure`: the autoscale handler as Lambda runs it (bundled as `serverless
 * package` bundles it, in a fresh `node`) against a seeded moto with conductor.yml's two
 * environments: one schedule, then ticks, each invocation one pass. Prints the median invocation,
 * the log bytes of a pass, and the process's memory (what Lambda reports as Max Memory Used).
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startEmulator } from '../../scripts/lib/emulator.js';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { readConductorConfigFile } from '../../src/config/file.js';
import { serverlessEsbuildOptions } from '../bundle/esbuild-options.js';
import { stateTableName } from '../../src/domain/names.js';

const STAGE = 'bench';
const TICKS = 40;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

interface Measured {
  firstMs: number;
  medianMs: number;
  logBytesPerPass: number;
  rssAtStart: number;
  rss: number;
  maxRss: number;
  passes: number;
}

export async function measurePasses(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bill-'));
  const emulator = await startEmulator();
  try {
    const outfile = join(dir, 'autoscale.mjs');
    await build({ ...serverlessEsbuildOptions(), entryPoints: ['src/handlers/autoscale.ts'], outfile, write: true });
    await seedEmulator(emulator.endpoint, readConductorConfigFile('conductor.yml'), { stage: STAGE });
    const env = {
      ...process.env,
      ...{ AWS_ENDPOINT_URL: emulator.endpoint, AWS_REGION: 'us-east-1' },
      ...{ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', CONDUCTOR_STAGE: STAGE },
      CONDUCTOR_TABLE: stateTableName(STAGE),
      CONDUCTOR_CONFIG: JSON.stringify(parse(readFileSync('conductor.yml', 'utf8'))),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const child = join(import.meta.dirname, 'measure-child.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [child, outfile, String(TICKS)], { env });
    const measured = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Measured;
    console.log(`${measured.passes} invocations (1 schedule, then ticks) over conductor.yml's 2 environments, moto:`);
    console.log(`  median ${measured.medianMs.toFixed(0)} ms a pass (first ${measured.firstMs.toFixed(0)} ms)`);
    console.log(`  ${measured.logBytesPerPass.toFixed(0)} log bytes a pass (2 queue-driven services)`);
    console.log(
      `  memory: rss ${mb(measured.rssAtStart)} at start, ${mb(measured.rss)} after, max ${mb(measured.maxRss)}\n`,
    );
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
