import { emulatorEndpoint } from '../support/aws-env.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENT, startConductorHarness, type ConductorHarness } from '../support/conductor-harness.js';
import { lambdaContext } from '../support/lambda-context.js';

const ecs = new ECSClient({ endpoint: emulatorEndpoint });
const sqs = new SQSClient({ endpoint: emulatorEndpoint });
const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulatorEndpoint }));
const INGESTER = 'cgap-mastertest-ingester';
const CHAIN_KEY = { TableName: 'ecs-conductor-test-state', Key: { pk: 'AUTOSCALE', sk: 'CHAIN' } };
/** Ticks come back after 1 s here (15 s by default), so a test can receive the one the handler sent. */
const RECHECK_SECONDS = 1;
let harness: ConductorHarness;
let autoscale: (event: unknown, context: Context) => Promise<unknown>;
let queueUrl: string;
let tickQueueUrl: string;

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

const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
/** What `ecs-conductor local autoscale` sends. */
const PASS_REQUEST = { autoscale: 'pass now' };
const invoke = (event: unknown) => autoscale(event, lambdaContext('ecs-conductor-test-autoscale'));
/** What the event source mapping hands the function: one SQS message per invocation. */
const sqsEvent = (messages: Pick<Message, 'MessageId' | 'Body'>[]) => ({
  Records: messages.map((message) => ({ messageId: message.MessageId, body: message.Body, eventSource: 'aws:sqs' })),
});

async function storedChain(): Promise<Record<string, unknown> | undefined> {
  return (await dynamodb.send(new GetCommand({ ...CHAIN_KEY, ConsistentRead: true }))).Item;
}

/**
 * One pass: the tick that continues the stored chain (as the tick queue would deliver it), or the
 * schedule when there is no chain yet.
 */
async function tick(): Promise<unknown> {
  const chain = await storedChain();
  const next = chain && { chainId: chain.chainId, seq: Number(chain.seq) + 1 };
  return invoke(next ? sqsEvent([{ MessageId: 'tick', Body: JSON.stringify(next) }]) : SCHEDULED);
}

const updateServiceCalls = () => harness.proxy.bodiesOf('UpdateService');

beforeAll(async () => {
  harness = await startConductorHarness();
  // The tests run with POWERTOOLS_DEV, which turns metrics off unless this says otherwise: the EMF
  // test reads what the handler emits.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.CONDUCTOR_AUTOSCALE_RECHECK_SECONDS = String(RECHECK_SECONDS);
  autoscale = (await import('../../src/handlers/autoscale.js')).handler;
  queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'cgap-mastertest-ingestion-queue' }))).QueueUrl ?? '';
  tickQueueUrl =
    (await sqs.send(new GetQueueUrlCommand({ QueueName: 'ecs-conductor-test-autoscale-ticks' }))).QueueUrl ?? '';
  // Other files scale the ingester too: start from its configured count.
  await ecs.send(new UpdateServiceCommand({ cluster: ENVIRONMENT, service: INGESTER, desiredCount: 1 }));
}, 60_000);

afterAll(async () => {
  await harness.close();
});

/** Empties a queue of its visible messages (PurgeQueue allows one call a minute); returns them. */
async function drain(url = queueUrl): Promise<Message[]> {
  const drained: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return drained;
    drained.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
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
    const summary = await tick();
    expect(await desiredCount()).toBe(3);
    // What `aws lambda invoke` prints: the pass and each service's decision.
    expect(summary).toMatchObject({
      outcome: 'autoscaled',
      passes: [
        expect.objectContaining({
          ran: true,
          decisions: expect.arrayContaining([
            {
              environment: ENVIRONMENT,
              service: 'ingester',
              queue: 'ingestion',
              desired: { from: 1, to: 3 },
              action: 'scaled',
              reason: expect.any(String) as unknown,
            },
          ]) as unknown,
        }),
      ],
    });
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

  it('a second pass with nothing changed reads the state with one Query and writes no scaling record', async () => {
    // Start from a change, so that the first pass certainly writes the record.
    await ecs.send(new UpdateServiceCommand({ cluster: ENVIRONMENT, service: INGESTER, desiredCount: 1 }));
    await enqueue(3);
    await tick();
    expect(await desiredCount()).toBe(3);
    // Rule 6b's level is the median of the last three readings: the two passes after a change of the
    // backlog store the readings that follow it; then nothing is new.
    await tick();
    await tick();
    harness.proxy.calls.length = 0;

    await tick();
    const operation = (call: { target: string }) => call.target.split('.').pop() ?? '';
    // This environment's calls (the other environment of conductor.yml is autoscaled in the same pass).
    const mine = harness.proxy.calls
      .filter((call) => call.body.includes(ENVIRONMENT) && !call.body.includes('SCALEHIST#'))
      .map(operation);
    expect(mine.sort()).toEqual(['DescribeServices', 'GetQueueAttributes', 'Query']);
    expect(harness.proxy.bodiesOf('Query')).toContainEqual({
      TableName: 'ecs-conductor-test-state',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `ENV#${ENVIRONMENT}` } },
      ConsistentRead: true,
    });
    // No scaling-record write. The chain's heartbeat is read and written once; the chart's sample is
    // written at most once a minute per service (not at all when both passes fall in one minute).
    const tableCalls = harness.proxy.calls.filter((call) => call.target.startsWith('DynamoDB_'));
    const chainCalls = tableCalls.filter((call) => call.body.includes('"AUTOSCALE"')).map(operation);
    expect(chainCalls.sort()).toEqual(['GetItem', 'PutItem']);
    const samples = tableCalls.filter((call) => call.body.includes('SCALEHIST#')).map(operation);
    expect(samples.length).toBeLessThanOrEqual(2);
    expect(samples.every((name) => name === 'UpdateItem')).toBe(true);
    const environmentCalls = tableCalls.filter((call) => !/"AUTOSCALE"|SCALEHIST#/.test(call.body)).map(operation);
    expect(environmentCalls.filter((name) => name !== 'Query')).toEqual([]);
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

describe('the autoscaler`s tick chain', () => {
  const passes = () =>
    harness.proxy.calls.filter(
      (call) => call.target.endsWith('GetQueueAttributes') && call.body.includes('cgap-mastertest-ingestion-queue'),
    ).length;
  /** The ticks waiting on the tick queue, once their delay has passed. */
  const waitingTicks = async () => {
    await new Promise((resolveLater) => setTimeout(resolveLater, RECHECK_SECONDS * 1000 + 500));
    return drain(tickQueueUrl);
  };
  const ticksOf = (messages: Message[]) => messages.map((message) => JSON.parse(message.Body ?? '') as unknown);

  beforeEach(async () => {
    await dynamodb.send(new DeleteCommand(CHAIN_KEY));
    await waitingTicks();
    harness.proxy.calls.length = 0;
  });

  it('two schedules and a duplicated tick leave one chain: one heartbeat, one tick waiting', async () => {
    await Promise.all([invoke(SCHEDULED), invoke(SCHEDULED)]);
    await invoke(SCHEDULED);
    const started = await storedChain();
    expect(started).toMatchObject({ seq: 0 });
    expect(typeof started?.chainId).toBe('string');
    expect(passes()).toBe(1);

    const sent = await waitingTicks();
    expect(ticksOf(sent)).toEqual([{ chainId: started?.chainId, seq: 1 }]);
    // SQS delivers the tick twice (at-least-once): one of them runs the pass and sends the next.
    await Promise.all([invoke(sqsEvent(sent)), invoke(sqsEvent(sent))]);
    await invoke(SCHEDULED);
    expect(passes()).toBe(2);
    expect(await storedChain()).toMatchObject({ chainId: started?.chainId, seq: 1 });
    expect(ticksOf(await waitingTicks())).toEqual([{ chainId: started?.chainId, seq: 2 }]);
  });

  it('a request for one pass now makes the pass beside a live chain, which goes on untouched', async () => {
    await invoke(SCHEDULED);
    const chain = await storedChain();
    const ticks = await waitingTicks();
    await enqueue(2);
    harness.proxy.calls.length = 0;
    const summary = await invoke(PASS_REQUEST);
    expect(summary).toMatchObject({
      outcome: 'autoscaled',
      passes: [
        {
          trigger: 'request',
          ran: true,
          action: 'pass',
          decisions: expect.arrayContaining([
            expect.objectContaining({ environment: ENVIRONMENT, service: 'ingester', queue: 'ingestion' }),
          ]) as unknown,
        },
      ],
    });
    expect(passes()).toBe(1);
    const decided = (
      summary as { passes: { decisions: { environment?: string; service?: string; desired?: { to: number } }[] }[] }
    ).passes[0]?.decisions.find((decision) => decision.environment === ENVIRONMENT && decision.service === 'ingester');
    expect(decided?.desired?.to).toBe(await desiredCount());
    expect(await storedChain()).toEqual(chain);
    expect(ticksOf(await waitingTicks())).toEqual([]);
    expect(ticksOf(ticks)).toEqual([{ chainId: chain?.chainId, seq: 1 }]);
  });

  it('the schedule replaces a chain gone quiet, and the old chain`s late tick does nothing', async () => {
    const quiet = { chainId: 'quiet', seq: 5, at: Date.now() - 120_000 };
    await dynamodb.send(new PutCommand({ TableName: CHAIN_KEY.TableName, Item: { ...CHAIN_KEY.Key, ...quiet } }));
    await invoke(SCHEDULED);
    const replaced = await storedChain();
    expect(replaced).toMatchObject({ seq: 0 });
    expect(replaced?.chainId).not.toBe('quiet');

    await invoke(sqsEvent([{ MessageId: 'late', Body: JSON.stringify({ chainId: 'quiet', seq: 6 }) }]));
    expect(passes()).toBe(1);
    expect(await storedChain()).toEqual(replaced);
    expect(ticksOf(await waitingTicks())).toEqual([{ chainId: replaced?.chainId, seq: 1 }]);
  });
});
