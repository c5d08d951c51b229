import { emulatorEndpoint } from '../support/aws-env.js';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTickPump, type LocalTickPump } from '../../scripts/lib/local-ticks.js';
import { autoscaleTickQueueName, conductorFunctionName } from '../../src/domain/names.js';

const sqs = new SQSClient({ endpoint: emulatorEndpoint });
const STAGE = 'ticks';
let queueUrl: string;
let lambda: Server;
let pump: LocalTickPump;
/** What the stand-in for serverless-offline's invoke endpoint received: path and event. */
const invocations: { path: string; event: { Records: Record<string, unknown>[] } }[] = [];

beforeAll(async () => {
  ({ QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: autoscaleTickQueueName(STAGE) })));
  lambda = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      invocations.push({ path: request.url ?? '', event: JSON.parse(body) as (typeof invocations)[number]['event'] });
      response.end('null');
    });
  });
  await new Promise<void>((resolveListen) => lambda.listen(0, '127.0.0.1', resolveListen));
  const { port } = lambda.address() as AddressInfo;
  pump = startLocalTickPump({
    emulator: emulatorEndpoint,
    lambda: `http://127.0.0.1:${String(port)}`,
    stage: STAGE,
    region: 'us-east-1',
  });
});

afterAll(async () => {
  await pump.stop();
  await new Promise((resolveClose) => lambda.close(resolveClose));
});

describe('local mode`s tick pump', () => {
  it('delivers a tick to autoscale as an SQS event, as the event source mapping would, and deletes it', async () => {
    const tick = JSON.stringify({ chainId: 'local', seq: 3 });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: tick, DelaySeconds: 1 }));
    for (let waited = 0; waited < 10_000 && invocations.length === 0; waited += 200) {
      await new Promise((resolveLater) => setTimeout(resolveLater, 200));
    }
    expect(invocations).toEqual([
      {
        path: `/2015-03-31/functions/${conductorFunctionName(STAGE, 'autoscale')}/invocations`,
        event: {
          Records: [
            expect.objectContaining({
              body: tick,
              eventSource: 'aws:sqs',
              eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${autoscaleTickQueueName(STAGE)}`,
            }),
          ],
        },
      },
    ]);
    await new Promise((resolveLater) => setTimeout(resolveLater, 500));
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });
});
