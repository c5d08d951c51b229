import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type RunningEmulator, startEmulator } from '../../../../scripts/lib/emulator.js';
import { ensureVenv } from '../../../../scripts/lib/venv.js';

/** The AWS side of a task: moto on the task network's host address, with the app's secret and queue. */
export class TaskEmulator {
  private constructor(
    private readonly emulator: RunningEmulator,
    private readonly sqs: SQSClient,
  ) {}

  get endpoint(): string {
    return this.emulator.endpoint;
  }

  static async start(host: string): Promise<TaskEmulator> {
    ensureVenv();
    const emulator = await startEmulator({ host });
    const sqs = new SQSClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
    return new TaskEmulator(emulator, sqs);
  }

  /** Secrets Manager's CreateSecret (no SDK client in this project for it; moto needs no signature). */
  async createSecret(name: string, value: Record<string, string>): Promise<void> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'secretsmanager.CreateSecret',
        Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request',
      },
      body: JSON.stringify({ Name: name, SecretString: JSON.stringify(value) }),
    });
    if (!response.ok) throw new Error(`CreateSecret ${name}: ${String(response.status)} ${await response.text()}`);
  }

  async createQueue(name: string): Promise<string> {
    const { QueueUrl } = await this.sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (QueueUrl === undefined) throw new Error(`no URL for queue ${name}`);
    return QueueUrl;
  }

  async send(queueUrl: string, body: string): Promise<string> {
    const { MessageId } = await this.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    return MessageId ?? '';
  }

  /** Messages waiting and in flight: both 0 once every message was processed and deleted. */
  async backlog(queueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    };
  }

  async stop(): Promise<void> {
    this.sqs.destroy();
    await this.emulator.stop();
  }
}
