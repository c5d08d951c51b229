import { emulatorEndpoint } from '../support/aws-env.js';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENT, startConductorHarness, type ConductorHarness } from '../support/conductor-harness.js';
import { lambdaContext } from '../support/lambda-context.js';

const ecs = new ECSClient({ endpoint: emulatorEndpoint });
const sqs = new SQSClient({ endpoint: emulatorEndpoint });
const INGESTER = 'cgap-mastertest-ingester';
let harness: ConductorHarness;
let autoscale: (event: unknown, context: Context) => Promise<unknown>;
let queueUrl: string;

async function desiredCount(): Promise<number> {
  const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster: ENVIRONMENT, services: [INGESTER] }));
  return services[0]?.desiredCount ?? -1;
}

async function enqueue(count: number): Promise<void> {
  const entries = Array.from({ length: count }, (_, index) => ({
    Id: String(index),
    MessageBody: JSON.stringify({ uuids: [`file-${String(index)}`] }),
  }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
}

/** One scheduled tick, with too little time left for a re-check, so it makes exactly one pass. */
async function tick(): Promise<void> {
  await autoscale(
    { source: 'aws.events', 'detail-type': 'Scheduled Event' },
    { ...lambdaContext('ecs-conductor-test-autoscale'), getRemainingTimeInMillis: () => 5_000 },
  );
}

const updateServiceCalls = () => harness.proxy.bodiesOf('UpdateService');

beforeAll(async () => {
  harness = await startConductorHarness();
  // The tests run with POWERTOOLS_DEV, which turns metrics off unless this says otherwise: the EMF
  // test reads what the handler emits.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  autoscale = (await import('../../src/handlers/autoscale.js')).handler;
  queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'cgap-mastertest-ingestion-queue' }))).QueueUrl ?? '';
  // Other files scale the ingester too: start from its configured count.
  await ecs.send(new UpdateServiceCommand({ cluster: ENVIRONMENT, service: INGESTER, desiredCount: 1 }));
}, 60_000);

afterAll(async () => {
  await harness.close();
});

/** Empties the queue (PurgeQueue allows one call a minute). */
async function drain(): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

beforeEach(async () => {
  await drain();
  harness.proxy.calls.length = 0;
});

describe('autoscale', () => {
  it('scales the ingester out at once to the backlog, within maxTasks', async () => {
    await enqueue(3);
    await tick();
    expect(await desiredCount()).toBe(3);
    expect(updateServiceCalls()).toEqual([expect.objectContaining({ service: INGESTER, desiredCount: 3 })]);

    await enqueue(5);
    await tick();
    expect(await desiredCount()).toBe(4);
  });

  it('emits each decision as one EMF record: the four metrics under the environment and service', async () => {
    await enqueue(2);
    const written: string[] = [];
    // POWERTOOLS_DEV (set for the tests) makes Powertools write EMF with console.log.
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      written.push(String(line));
    });
    try {
      await tick();
    } finally {
      log.mockRestore();
    }
    const records = written
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
          } & Record<string, unknown>,
      )
      .filter((record) => record.environment === ENVIRONMENT);

    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: 'EcsConductor',
        Dimensions: [['service', 'environment', 'ecsService']],
        Metrics: ['QueueVisible', 'QueueInFlight', 'DesiredCount', 'ScalingChanges'].map((Name) => ({
          Name,
          Unit: 'Count',
        })),
      }),
    ]);
    expect(record).toMatchObject({
      environment: ENVIRONMENT,
      ecsService: 'ingester',
      QueueVisible: 2,
      QueueInFlight: 0,
      DesiredCount: await desiredCount(),
    });
  });

  it('makes no UpdateService call when the backlog has not changed', async () => {
    await enqueue(2);
    await tick();
    harness.proxy.calls.length = 0;
    await tick();
    await tick();
    expect(updateServiceCalls()).toEqual([]);
  });

  it('a second pass with nothing changed reads the state with one Query and writes only the chart sample', async () => {
    // Start from a change, so that the first pass certainly writes the record.
    await ecs.send(new UpdateServiceCommand({ cluster: ENVIRONMENT, service: INGESTER, desiredCount: 1 }));
    await enqueue(3);
    await tick();
    expect(await desiredCount()).toBe(3);
    harness.proxy.calls.length = 0;

    await tick();
    const operation = (call: { target: string }) => call.target.split('.').pop() ?? '';
    // This environment's calls (the other environment of conductor.yml is autoscaled in the same pass).
    const mine = harness.proxy.calls.filter((call) => call.body.includes(ENVIRONMENT)).map(operation);
    expect(mine.sort()).toEqual(['DescribeServices', 'GetQueueAttributes', 'Query', 'UpdateItem']);
    expect(harness.proxy.bodiesOf('Query')).toContainEqual({
      TableName: 'ecs-conductor-test-state',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `ENV#${ENVIRONMENT}` } },
      ConsistentRead: true,
    });
    // No scaling-record write: the pass's one write is the minute's sample for the console's chart.
    const writes = harness.proxy.bodiesOf('UpdateItem') as { Key: { pk: { S: string } } }[];
    expect(writes.map((write) => write.Key.pk.S).sort()).toEqual([
      `SCALEHIST#${ENVIRONMENT}#ingestion`,
      'SCALEHIST#cgap-prod#ingestion',
    ]);
    const dynamodb = harness.proxy.calls.filter((call) => call.target.startsWith('DynamoDB_')).map(operation);
    expect(dynamodb.filter((name) => name !== 'Query' && name !== 'UpdateItem')).toEqual([]);
    expect(updateServiceCalls()).toEqual([]);
  });

  it('respects a manual hold, and refuses counts outside the bounds', async () => {
    const held = await harness.post(`/environments/${ENVIRONMENT}/services/ingester/scale`, {
      desiredCount: 2,
      holdMinutes: 30,
    });
    expect(held.statusCode).toBe(202);
    expect(held.json).toMatchObject({
      desiredCount: 2,
      hold: { desiredCount: 2, by: 'arn:aws:iam::123456789012:role/cgap-developer' },
    });
    expect(await desiredCount()).toBe(2);

    await enqueue(4);
    harness.proxy.calls.length = 0;
    await tick();
    expect(await desiredCount()).toBe(2);
    expect(updateServiceCalls()).toEqual([]);

    const above = await harness.post(`/environments/${ENVIRONMENT}/services/ingester/scale`, { desiredCount: 9 });
    expect(above.statusCode).toBe(422);
    expect(above.json).toMatchObject({
      error: { details: [{ path: 'body.desiredCount', message: 'must be within [1, 4] for ingester' }] },
    });
    const notQueued = await harness.post(`/environments/${ENVIRONMENT}/services/wsgi/scale`, { desiredCount: 2 });
    expect(notQueued.statusCode).toBe(422);
    expect(await desiredCount()).toBe(2);
  });

  it('never leaves the service outside its bounds under parallel scale requests', async () => {
    const counts = [0, 1, 2, 3, 4, 5, 1, 4, 7, 2];
    const responses = await Promise.all(
      counts.map((desired) =>
        harness.post(`/environments/${ENVIRONMENT}/services/ingester/scale`, { desiredCount: desired }),
      ),
    );
    responses.forEach((response, index) => {
      const inBounds = (counts[index] ?? -1) >= 1 && (counts[index] ?? -1) <= 4;
      // In bounds: set, or 409 "retry" if the hold record stayed contended; out of bounds: refused.
      expect(inBounds ? [202, 409] : [422]).toContain(response.statusCode);
    });
    expect(responses.filter((response) => response.statusCode === 202).length).toBeGreaterThan(0);
    const final = await desiredCount();
    expect(final).toBeGreaterThanOrEqual(1);
    expect(final).toBeLessThanOrEqual(4);
  });
});
