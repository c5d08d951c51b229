import '../lib/quiet-sdk.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { parseArgs } from 'node:util';
import { startEmulator } from '../../scripts/lib/emulator.js';
import { seedEmulator } from '../../scripts/lib/seed.js';
import { ensureVenv } from '../../scripts/lib/venv.js';
import { createStateTable } from '../../src/aws/state-table.js';
import { stateTableName } from '../../src/domain/names.js';
import { parseConductorConfig } from '../../src/config/load.js';
import { lambdaContext } from '../../test/support/lambda-context.js';
import { machineLine } from '../lib/machine.js';
import { ms, ratio, table } from '../lib/markdown.js';
import { isWrite, operationOf, type RecordedCall } from '../lib/operations.js';
import { summarize } from '../lib/stats.js';
import { startRecordingProxy } from '../../test/support/recording-proxy.js';
import { ENVIRONMENT, overheadConfigDocument } from './config.js';
import { pushEvent } from './pushes.js';

/**
 * npm run bench:overhead [-- --events 1000]
 * Time from an event's arrival in the onImagePush handler to its first AWS write reaching the
 * emulator (timestamped at a proxy in this process), over distinct pushes of cgap-mastertest (cut
 * to one entrypoint: see config.ts), next to the emulator's own round trip for the same call made
 * directly. Both p50 and p99; a few warm-up events first, not counted.
 */
const STAGE = 'bench';
const WARM_UP = 10;

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000' } } });
const events = Number(values.events);
if (!Number.isInteger(events) || events < 100)
  throw new Error(`--events must be a whole number ≥ 100, got ${values.events}`);

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** `dynamodb:PutItem of idempotency#…`: the operation, and for the state table which kind of row it wrote. */
function writeLabel(call: RecordedCall): string {
  const operation = operationOf(call);
  if (!operation.startsWith('dynamodb:')) return operation;
  const { Item, Key } = JSON.parse(call.body) as { Item?: { pk?: { S?: string } }; Key?: { pk?: { S?: string } } };
  const pk = (Item ?? Key)?.pk?.S;
  return pk === undefined ? operation : `${operation} of ${pk.split('#')[0] ?? pk}#…`;
}

console.log(machineLine());
ensureVenv();
const emulator = await startEmulator();
const started = performance.now();
try {
  const config = parseConductorConfig(overheadConfigDocument());
  await seedEmulator(emulator.endpoint, config, { stage: STAGE });
  const proxy = await startRecordingProxy(emulator.endpoint);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    CONDUCTOR_CONFIG: JSON.stringify(config),
    CONDUCTOR_TABLE: stateTableName(STAGE),
    CONDUCTOR_STAGE: STAGE,
    // A thousand "release builds started" lines would bury the figures; the logger still runs.
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  // Imported only now: its module-scope config and clients read the variables above.
  const handler = (await import('../../src/handlers/on-image-push.js')).handler as unknown as Handler;

  const overheads: number[] = [];
  const firstWrites = new Map<string, number>();
  for (let n = 0; n < WARM_UP + events; n += 1) {
    const before = proxy.calls.length;
    const arrived = performance.now();
    await handler(pushEvent(ENVIRONMENT, n), lambdaContext('ecs-conductor-bench-onImagePush', `push-${String(n)}`));
    const write = proxy.calls.slice(before).find((call) => isWrite(operationOf(call)));
    if (!write) throw new Error(`push ${String(n)} made no AWS write`);
    if (n < WARM_UP) continue;
    overheads.push(write.arrivedAt - arrived);
    const label = writeLabel(write);
    firstWrites.set(label, (firstWrites.get(label) ?? 0) + 1);
  }
  const callsPerEvent = proxy.calls.length / (WARM_UP + events);
  await proxy.close();

  // The same call, straight to the emulator: a conditional PutItem of a new item into the state table.
  const direct = createStateTable(
    stateTableName(STAGE),
    DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulator.endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  );
  const roundTrips: number[] = [];
  for (let n = 0; n < WARM_UP + events; n += 1) {
    const sent = performance.now();
    await direct.putIfAbsent({ pk: `BENCH#${String(n)}`, sk: 'ROUND-TRIP', version: 1, record: { n } });
    if (n >= WARM_UP) roundTrips.push(performance.now() - sent);
  }

  const overhead = summarize(overheads);
  const roundTrip = summarize(roundTrips);
  console.log(
    `\n${String(events)} distinct pushes (after ${String(WARM_UP)} warm-up), ${callsPerEvent.toFixed(1)} AWS calls each; first write: ${[...firstWrites].map(([operation, count]) => `${operation} × ${String(count)}`).join(', ')}\n`,
  );
  console.log(
    table(
      ['', 'p50 (ms)', 'p99 (ms)', 'p50 ÷ round trip p50'],
      [
        [
          'onImagePush: event arrival → first AWS write at the proxy',
          ms(overhead.median),
          ms(overhead.p99),
          ratio(overhead.median / roundTrip.median),
        ],
        [
          'emulator round trip of the same call (conditional PutItem, SDK → moto → SDK)',
          ms(roundTrip.median),
          ms(roundTrip.p99),
          ratio(1),
        ],
      ],
    ),
  );
  console.log(`\nran in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await emulator.stop();
}
