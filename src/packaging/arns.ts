import type { EnvironmentConfig } from '../config/schema.js';

/** A CloudFormation value: a literal string or an `Fn::Sub` expression resolved at deploy time. */
export type CfnString = string | { 'Fn::Sub': string };

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
export function ecsServiceName(env: EnvironmentConfig, key: string): string {
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

/**
 * The CodeBuild project the stack creates for an environment whose config names none. One stack per
 * account and region manages an environment: the name holds no stage.
 */
export function createdBuildProjectName(environment: string): string {
  return `ecs-conductor-${environment}-build`;
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
 * An ARN of `service` with `resource`, in the environment's account and region when the config
 * names them and in the stack's own (`AWS::AccountId`, `AWS::Region`) otherwise.
 */
export function arnIn(env: EnvironmentConfig, service: string, resource: string, global = false): CfnString {
  const region = global ? '' : (env.region ?? '${AWS::Region}');
  const account = env.account ?? '${AWS::AccountId}';
  const arn = `arn:\${AWS::Partition}:${service}:${region}:${account}:${resource}`;
  return arn.includes('${') ? { 'Fn::Sub': arn } : arn;
}

/** The configured value when it is already an ARN, else the ARN built from its name. */
export function arnOrBuild(
  env: EnvironmentConfig,
  value: string,
  service: string,
  resource: (name: string) => string,
): CfnString {
  return value.startsWith('arn:') ? value : arnIn(env, service, resource(value), service === 'iam');
}
