import type { Task } from '@aws-sdk/client-ecs';
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './emulator.js';

/** Events as EventBridge delivers them to the functions, for local mode to play what AWS would send. */

export interface EventBridgeEnvelope<D> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

export function eventEnvelope<D>(
  detailType: string,
  source: string,
  detail: D,
  resources: string[] = [],
): EventBridgeEnvelope<D> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString(),
    region: LOCAL_REGION,
    resources,
    detail,
  };
}

/** `ECR Image Action`: a successful push of `tag` to `repository`. */
export function ecrPushEvent(repository: string, tag: string, digest: string) {
  return eventEnvelope('ECR Image Action', 'aws.ecr', {
    result: 'SUCCESS',
    'repository-name': repository,
    'image-digest': digest,
    'action-type': 'PUSH',
    'image-tag': tag,
  });
}

/** What an EventBridge schedule rule delivers (the rule's ARN in `resources`). */
export function scheduledEvent(rule: string) {
  return eventEnvelope('Scheduled Event', 'aws.events', {}, [
    `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule}`,
  ]);
}

/** The STOPPED event ECS sends for a task, with every container's exit code as given. */
export function taskStoppedEvent(
  task: Task,
  taskArn: string,
  exitCode: (reported: number | undefined) => number | undefined,
) {
  return eventEnvelope('ECS Task State Change', 'aws.ecs', {
    taskArn,
    clusterArn: task.clusterArn,
    lastStatus: 'STOPPED',
    startedBy: task.startedBy,
    stopCode: task.stopCode ?? 'EssentialContainerExited',
    version: 1,
    containers: (task.containers ?? []).map((container) => ({
      name: container.name,
      exitCode: exitCode(container.exitCode),
    })),
  });
}

/** `ECR Image Scan`: a basic scan of `digest` finished; severities without a finding are left out, as ECR does. */
export function ecrScanEvent(repository: string, digest: string, tag: string, counts: Record<string, number>) {
  return eventEnvelope('ECR Image Scan', 'aws.ecr', {
    'scan-status': 'COMPLETE',
    'repository-name': repository,
    'image-digest': digest,
    'image-tags': [tag],
    'finding-severity-counts': Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)),
  });
}
