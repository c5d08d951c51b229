import '../../support/aws-env.js';
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src/aws/errors.js';
import { sns } from '../../../src/aws/sns.js';

const snsClient = new SNSClient({});
const sqsClient = new SQSClient({});

/** A topic with a queue subscribed to it, so a test can read back what was published. */
async function topicWithQueue() {
  const suffix = randomUUID().slice(0, 8);
  const topicArn = (await snsClient.send(new CreateTopicCommand({ Name: `releases-${suffix}` }))).TopicArn ?? '';
  const queueUrl =
    (await sqsClient.send(new CreateQueueCommand({ QueueName: `notifications-${suffix}` }))).QueueUrl ?? '';
  const attributes = await sqsClient.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await snsClient.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.QueueArn }),
  );
  return { topicArn, queueUrl };
}

async function receiveNotification(queueUrl: string): Promise<{ MessageId: string; Subject: string; Message: string }> {
  const response = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
  return JSON.parse(response.Messages?.[0]?.Body ?? '{}') as { MessageId: string; Subject: string; Message: string };
}

describe('publish', () => {
  it('delivers the message object as JSON under the subject', async () => {
    const { topicArn, queueUrl } = await topicWithQueue();
    const message = { environment: 'prod', version: '1.4.0', state: 'SUCCEEDED' };

    const messageId = await sns.publish(topicArn, 'Release 1.4.0 succeeded', message);

    const notification = await receiveNotification(queueUrl);
    expect(notification.MessageId).toBe(messageId);
    expect(notification.Subject).toBe('Release 1.4.0 succeeded');
    expect(JSON.parse(notification.Message)).toEqual(message);
  });

  it('flattens and shortens a subject SNS would refuse', async () => {
    const { topicArn, queueUrl } = await topicWithQueue();

    await sns.publish(topicArn, `Release failed:\n${'x'.repeat(200)}`, {});

    const notification = await receiveNotification(queueUrl);
    expect(notification.Subject).toHaveLength(100);
    expect(notification.Subject).toMatch(/^Release failed: x+$/);
  });

  it('throws an AwsCallError for a topic that does not exist', async () => {
    const publishing = sns.publish('arn:aws:sns:us-east-1:123456789012:no-such-topic', 'subject', {});

    await expect(publishing).rejects.toBeInstanceOf(AwsCallError);
  });
});
