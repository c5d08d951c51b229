import { scheduledEvent } from '../../src/local/events.js';
import { functionName, invokeFunction } from '../../src/local/invoke.js';
import { SendMessageBatchCommand, SQSClient, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { LocalMode } from '../../scripts/local.js';

/** What these helpers use of a local mode, shared or a file's own. */
type LocalApi = Pick<LocalMode, 'endpoints' | 'token'>;
import type { ScalingHistory } from '../../src/contract/scaling-history.js';
import type { EnvironmentStatus } from '../../src/console/web/api-types.js';

/** Local mode's API as the console's tests use it behind the page: the same token, the API's own words. */
export function localApi(local: LocalApi) {
  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${local.endpoints.httpApi}${path}`, {
      headers: { authorization: `Bearer ${local.token}` },
    });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  /** Starts a deploy as an operator's client would: the API's 202, or an error in its words. */
  async function deploy(environment: string, version: string): Promise<void> {
    const response = await fetch(`${local.endpoints.httpApi}/environments/${environment}/deployments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version }),
    });
    if (response.status !== 202)
      throw new Error(`deploy of ${version} answered ${response.status}: ${await response.text()}`);
  }
  return {
    deploy,
    status: (environment: string) => get<EnvironmentStatus>(`/environments/${environment}`),
    releaseState: async (id: string) => String((await get<{ state?: string }>(`/releases/${id}`)).state),
    scalingHistory: (environment: string, service: string) =>
      get<ScalingHistory>(`/environments/${environment}/services/${service}/scaling-history?hours=1`),
  };
}

/** Invokes local mode's autoscaler as its one-minute schedule would (which also restarts its chain of ticks). */
export async function runAutoscaleSchedule(local: LocalApi): Promise<void> {
  await invokeFunction(local.endpoints.lambda, 'autoscale', scheduledEvent(functionName('autoscale')));
}

/** Sends `count` messages to a queue in local mode's emulator, as the portal queues ingestions. */
export async function sendToQueue(local: LocalApi, queueName: string, count: number): Promise<void> {
  const sqs = new SQSClient({
    endpoint: local.endpoints.emulator,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const entries = Array.from({ length: count }, (_, index) => ({
    Id: `m${index}`,
    MessageBody: JSON.stringify({ uuids: [`ingestion-${index}`] }),
  }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
}
