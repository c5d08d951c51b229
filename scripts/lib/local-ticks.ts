import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { emulatorClients } from './emulator-clients.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { autoscaleTickQueueName } from '../../src/domain/names.js';
import { invokeFunction } from '../../src/local/invoke.js';

/**
 * What Lambda's SQS event source mapping does in AWS, which serverless-offline does not run: it
 * receives the autoscaler's ticks from the emulator's tick queue, one at a time, invokes `autoscale`
 * with each as an SQS event, and deletes the message once the invocation succeeded (a failed one
 * comes back after the visibility timeout, as in AWS). Without it local mode would autoscale only
 * once a minute, from the schedule.
 */
export interface LocalTickPumpOptions {
  emulator: string;
  /** serverless-offline's Lambda endpoint. */
  lambda: string;
  stage: string;
  region: string;
  log?: (line: string) => void;
}

export interface LocalTickPump {
  stop: () => Promise<void>;
}

const ACCOUNT = '123456789012';

export function startLocalTickPump(options: LocalTickPumpOptions): LocalTickPump {
  const queue = autoscaleTickQueueName(options.stage);
  const { sqs } = emulatorClients(options.emulator);
  const log = options.log ?? (() => undefined);
  const stopping = new AbortController();
  const eventSourceARN = `arn:aws:sqs:${options.region}:${ACCOUNT}:${queue}`;

  const deliverOne = async (queueUrl: string) => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
      { abortSignal: stopping.signal },
    );
    for (const message of Messages) {
      const record = {
        messageId: message.MessageId,
        receiptHandle: message.ReceiptHandle,
        body: message.Body,
        eventSource: 'aws:sqs',
        eventSourceARN,
        awsRegion: options.region,
      };
      await invokeFunction(options.lambda, 'autoscale', { Records: [record] }, { stage: options.stage });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  };

  const running = (async () => {
    const { QueueUrl = '' } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue }));
    while (!stopping.signal.aborted) {
      await deliverOne(QueueUrl).catch(async (error: unknown) => {
        if (stopping.signal.aborted) return;
        log(`autoscale ticks: ${(error as Error).message}`);
        await sleep(1000, undefined, { signal: stopping.signal }).catch(() => undefined);
      });
    }
  })().catch((error: unknown) => {
    log(`autoscale ticks not played: ${(error as Error).message}`);
  });

  return {
    stop: async () => {
      stopping.abort();
      await running;
      sqs.destroy();
    },
  };
}
