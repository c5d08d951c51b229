import { readFileSync, writeFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../test/support/lambda-context.js';
import { startRecordingProxy } from '../../test/support/recording-proxy.js';
import { countByOperation } from '../lib/operations.js';

/**
 * One size of bench:fanout, in a process of its own because the handlers read their config at
 * import: runs TICKS autoscale ticks, then TICKS reconcile ticks, through a recording proxy in front
 * of the emulator, and writes each tick's wall time and AWS calls by operation to argv[2] as JSON.
 * Started by bench/fanout/run.ts with CONDUCTOR_CONFIG_FILE and EMULATOR_ENDPOINT set.
 */
export interface Tick {
  ms: number;
  calls: Record<string, number>;
}

export interface TickResults {
  autoscale: Tick[];
  reconcile: Tick[];
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const [resultFile] = process.argv.slice(2);
const { EMULATOR_ENDPOINT: upstream, CONDUCTOR_CONFIG_FILE: configFile, TICKS: ticksText = '7' } = process.env;
const ticks = Number(ticksText);
if (resultFile === undefined || upstream === undefined || configFile === undefined) {
  throw new Error('usage: EMULATOR_ENDPOINT=… CONDUCTOR_CONFIG_FILE=… ticks.ts RESULT_FILE');
}
process.env.CONDUCTOR_CONFIG = readFileSync(configFile, 'utf8');

const proxy = await startRecordingProxy(upstream);
process.env.AWS_ENDPOINT_URL = proxy.endpoint;
// Imported only now, so that their module-scope clients see the proxy's endpoint.
const autoscale = (await import('../../src/handlers/autoscale.js')).handler as unknown as Handler;
const reconcile = (await import('../../src/handlers/reconcile.js')).handler as unknown as Handler;

async function run(name: string, handler: Handler): Promise<Tick[]> {
  const results: Tick[] = [];
  for (let tick = 1; tick <= ticks; tick += 1) {
    proxy.calls.splice(0);
    const started = performance.now();
    await handler(
      { source: 'aws.events', 'detail-type': 'Scheduled Event' },
      lambdaContext(`ecs-conductor-bench-${name}`, `${name}-${String(tick)}`),
    );
    results.push({ ms: performance.now() - started, calls: countByOperation(proxy.calls) });
  }
  return results;
}

try {
  const results: TickResults = {
    autoscale: await run('autoscale', autoscale),
    reconcile: await run('reconcile', reconcile),
  };
  writeFileSync(resultFile, JSON.stringify(results));
} finally {
  await proxy.close();
}
