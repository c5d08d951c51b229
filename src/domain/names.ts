import { RELEASE_ID } from './release-states.js';
import type { Environment } from './environment.js';

// Names of AWS resources from the values a config may hold: a plain name, an ARN or (for queues) a
// URL. APIs, event filters and the emulator seed want the name whichever form was used.

/** The resource part of an ARN (everything after `arn:partition:service:region:account:`). */
function arnResource(arn: string): string {
  return arn.split(':').slice(5).join(':');
}

/** The name at the end of an ECS ARN (`cluster/name`, `service/cluster/name`, `service/name`); a plain name as is. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (arnResource(nameOrArn).split('/').pop() ?? nameOrArn) : nameOrArn;
}

/** The name ECS knows a configured service by, from its key in the environment's `services`. */
export function ecsServiceName(env: Environment, key: string): string {
  return nameOf(env.services[key]?.service ?? key);
}

/** `family` from `family`, `family:revision` or a task-definition ARN. */
export function taskDefinitionFamily(reference: string): string {
  return nameOf(reference).replace(/:\d+$/, '');
}

/** ECR repository names may contain slashes (`team/app`): everything after `repository/` is the name. */
export function repositoryName(reference: string): string {
  return reference.startsWith('arn:') ? arnResource(reference).replace(/^repository\//, '') : reference;
}

export function codeBuildProjectName(reference: string): string {
  return reference.startsWith('arn:') ? arnResource(reference).replace(/^project\//, '') : reference;
}

/** A queue's name from its name, URL (`https://sqs.../account/name`) or ARN (`arn:aws:sqs:region:account:name`). */
export function queueName(reference: string): string {
  if (reference.startsWith('arn:')) return arnResource(reference);
  if (/^https?:\/\//.test(reference)) return new URL(reference).pathname.split('/').pop() ?? reference;
  return reference;
}

/**
 * The CodeBuild project the stack creates for an environment whose config names none. One stack per
 * account and region manages an environment: the name holds no stage.
 */
export function createdBuildProjectName(environment: string): string {
  return `${CONDUCTOR_SERVICE}-${environment}-build`;
}

/** An ECR image tag: 1-128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const IMAGE_TAG_RULE = 'must be an ECR image tag: 1-128 letters, digits, _ . -, not starting with . or -';

/** `startedBy` of the tasks the conductor runs: EventBridge routes only these to onTaskStateChange. */
export const STARTED_BY_PREFIX = 'ecs-conductor/';

export function startedByFor(releaseId: string): string {
  return `${STARTED_BY_PREFIX}${releaseId}`;
}

/** The release a task was started for, from its `startedBy`; undefined for anyone else's task. */
export function releaseIdOfStartedBy(startedBy: string | undefined): string | undefined {
  const releaseId = startedBy?.startsWith(STARTED_BY_PREFIX) ? startedBy.slice(STARTED_BY_PREFIX.length) : undefined;
  return releaseId !== undefined && RELEASE_ID.test(releaseId) ? releaseId : undefined;
}

// The names the conductor gives its own resources and telemetry (serverless.yml writes the same
// formats for CloudFormation; test/unit/packaging checks they agree).

/** The service name in logs, metrics and the health reply. */
export const CONDUCTOR_SERVICE = 'ecs-conductor';

/** CloudWatch namespace of the conductor's metrics, unless POWERTOOLS_METRICS_NAMESPACE says another. */
export const DEFAULT_METRICS_NAMESPACE = 'EcsConductor';

/** Counted when a release step runs past its timeout; the StuckReleaseAlarm watches it. */
export const STUCK_RELEASE_METRIC = { namespace: DEFAULT_METRICS_NAMESPACE, name: 'ReleaseStepTimeouts' } as const;

/** The state table of a stage (`custom.tableName`). */
export function stateTableName(stage: string): string {
  return `${CONDUCTOR_SERVICE}-${stage}-state`;
}

/** A function's deployed name: `ecs-conductor-<stage>-<function key in serverless.yml>`. */
export function conductorFunctionName(stage: string, fn: string): string {
  return `${CONDUCTOR_SERVICE}-${stage}-${fn}`;
}

/** The autoscaler's tick queue of a stage, as serverless.yml names it (`custom.autoscaleTickQueue`). */
export function autoscaleTickQueueName(stage: string): string {
  return `${CONDUCTOR_SERVICE}-${stage}-autoscale-ticks`;
}

/** The function ECS invokes at a native deployment's lifecycle stages (serverless.yml's `deploymentHook`). */
export const DEPLOYMENT_HOOK_FUNCTION = 'deploymentHook';
