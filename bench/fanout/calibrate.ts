import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { median } from '../lib/stats.js';

export interface EmulatorPace {
  /** Median round trip of one GetItem with nothing else in flight (ms). */
  roundTripMs: number;
  /** GetItems answered per second with `inFlight` requests outstanding at all times. */
  callsPerSecond: number;
  inFlight: number;
}

/**
 * How fast the emulator answers, to read the tick times against: moto serves one request at a time
 * (one Python process), so a tick that makes N calls takes at least N ÷ callsPerSecond however
 * concurrent the conductor is.
 */
export async function emulatorPace(endpoint: string, table: string, calls = 200, inFlight = 16): Promise<EmulatorPace> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const get = () =>
    client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'BENCH#pace' }, sk: { S: 'NONE' } } }));
  try {
    for (let warm = 0; warm < 10; warm += 1) await get();
    const roundTrips: number[] = [];
    for (let call = 0; call < calls / 2; call += 1) {
      const started = performance.now();
      await get();
      roundTrips.push(performance.now() - started);
    }
    let remaining = calls;
    const worker = async () => {
      for (; remaining > 0; remaining -= 1) await get();
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    return {
      roundTripMs: median(roundTrips),
      callsPerSecond: calls / ((performance.now() - started) / 1000),
      inFlight,
    };
  } finally {
    client.destroy();
  }
}
