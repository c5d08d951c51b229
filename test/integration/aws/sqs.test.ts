import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/errors.js';
import { createSqsAdapter, sqs } from '../../../src/aws/sqs.js';

const sdk = new SQSClient({});

async function createQueue() {
  const name = `queue-${randomUUID().slice(0, 8)}`;
  const url = (await sdk.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const attributes = await sdk.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { name, url, arn: attributes.Attributes?.QueueArn ?? '' };
}

async function send(url: string, count: number, delaySeconds = 0): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await sdk.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: `message ${index}`, DelaySeconds: delaySeconds }),
    );
  }
}

describe('queueUrl', () => {
  it('resolves a name and an ARN to the queue URL and passes a URL through', async () => {
    const queue = await createQueue();

    expect(await sqs.queueUrl(queue.name)).toBe(queue.url);
    expect(await sqs.queueUrl(queue.arn)).toBe(queue.url);
    expect(await sqs.queueUrl(queue.url)).toBe(queue.url);
  });

  it('looks each queue up once per adapter', async () => {
    const queue = await createQueue();
    const client = new SQSClient({});
    let lookups = 0;
    client.middlewareStack.add(
      (next) => (args) => {
        lookups += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const adapter = createSqsAdapter(client);

    await adapter.queueUrl(queue.name);
    await adapter.queueUrl(queue.name);

    expect(lookups).toBe(1);
  });

  it('throws an AwsCallError for a queue that does not exist', async () => {
    await expect(sqs.queueUrl(`missing-${randomUUID()}`)).rejects.toBeInstanceOf(AwsCallError);
  });
});

describe('queueBacklog', () => {
  it('counts visible, in-flight and delayed messages separately', async () => {
    const queue = await createQueue();
    await send(queue.url, 5);
    await send(queue.url, 1, 600);
    await sdk.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 2, VisibilityTimeout: 600 }));

    expect(await sqs.queueBacklog(queue.name)).toEqual({ visible: 3, inFlight: 2, delayed: 1 });
  });

  it('reports an empty queue as all zeros', async () => {
    const queue = await createQueue();

    expect(await sqs.queueBacklog(queue.arn)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});
