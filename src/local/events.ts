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

/** One alarm's state as local mode saw it change (DescribeAlarms' StateValue, StateUpdatedTimestamp). */
export interface AlarmChange {
  name: string;
  state: string;
  previous: string | undefined;
  changedAt: string;
  reason?: string | undefined;
}

/** `CloudWatch Alarm State Change`: the alarm's ARN in `resources`, its new and previous states in the detail. */
export function alarmStateChangeEvent(change: AlarmChange) {
  return eventEnvelope(
    'CloudWatch Alarm State Change',
    'aws.cloudwatch',
    {
      alarmName: change.name,
      state: { value: change.state, reason: change.reason ?? '', timestamp: change.changedAt },
      ...(change.previous ? { previousState: { value: change.previous } } : {}),
    },
    [`arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${change.name}`],
  );
}

/**
 * `Inspector2 Scan`: Amazon Inspector's enhanced scan of `digest` finished. Its repository is named by
 * ARN, and its counts carry CRITICAL, HIGH and MEDIUM (zeros included) and their TOTAL.
 */
export function inspectorScanEvent(repository: string, digest: string, tag: string, counts: Record<string, number>) {
  const arn = `arn:aws:ecr:${LOCAL_REGION}:${LOCAL_ACCOUNT}:repository/${repository}`;
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return eventEnvelope(
    'Inspector2 Scan',
    'aws.inspector2',
    {
      'scan-status': 'INITIAL_SCAN_COMPLETE',
      'repository-name': arn,
      'image-digest': digest,
      'image-tags': [tag],
      'finding-severity-counts': {
        CRITICAL: counts.CRITICAL ?? 0,
        HIGH: counts.HIGH ?? 0,
        MEDIUM: counts.MEDIUM ?? 0,
        TOTAL: total,
      },
    },
    [`${arn}/${digest}`],
  );
}
