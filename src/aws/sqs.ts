import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from './client-config.js';
import type { QueueBacklog } from '../domain/scaling.js';
import { callAws } from './errors.js';

const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[^:]*:(\d{12}):(.+)$/;

// Marked pure so that a bundle whose handler never uses this adapter leaves out the client and its SDK
// package; a handler that uses it still creates the client once, at module scope.
const defaultSqsClient = /* @__PURE__ */ new SQSClient(clientConfig);

/** SQS look-ups the conductor needs, in domain shapes; every failure is an AwsCallError. */
export function createSqsAdapter(client: SQSClient = defaultSqsClient) {
  // Queue URLs never change for a queue, so one look-up per queue serves the container's lifetime.
  const urls = new Map<string, string>();

  /** Resolves a queue name, URL or ARN to its URL (a URL is returned as is). */
  async function queueUrl(nameOrUrlOrArn: string): Promise<string> {
    if (/^https?:\/\//.test(nameOrUrlOrArn)) return nameOrUrlOrArn;
    const cached = urls.get(nameOrUrlOrArn);
    if (cached !== undefined) return cached;
    const arn = QUEUE_ARN.exec(nameOrUrlOrArn);
    const response = await callAws('sqs:GetQueueUrl', `queue ${nameOrUrlOrArn}`, () =>
      client.send(
        new GetQueueUrlCommand(
          arn ? { QueueName: arn[2], QueueOwnerAWSAccountId: arn[1] } : { QueueName: nameOrUrlOrArn },
        ),
      ),
    );
    const url = response.QueueUrl ?? '';
    urls.set(nameOrUrlOrArn, url);
    return url;
  }

  /** Counts a queue's waiting, in-flight and delayed messages (SQS's approximations) with one call. */
  async function queueBacklog(queue: string): Promise<QueueBacklog> {
    const url = await queueUrl(queue);
    const response = await callAws('sqs:GetQueueAttributes', `queue ${queue}`, () =>
      client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      ),
    );
    const attributes = response.Attributes ?? {};
    return {
      visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  /** Sends one message, delivered after `delaySeconds` (0–900). */
  async function sendMessage(queue: string, body: string, delaySeconds: number): Promise<void> {
    const url = await queueUrl(queue);
    await callAws('sqs:SendMessage', `queue ${queue}`, () =>
      client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, DelaySeconds: delaySeconds })),
    );
  }

  return { queueUrl, queueBacklog, sendMessage };
}

export type SqsAdapter = ReturnType<typeof createSqsAdapter>;

/** The adapter over the module's shared client (the endpoint comes from AWS_ENDPOINT_URL when set). */
export const sqs = /* @__PURE__ */ createSqsAdapter();
