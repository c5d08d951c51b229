/**
 * Names of AWS resources from the values a config may hold: a plain name, an ARN or (for queues) a
 * URL. The emulator seed creates resources by name, so it needs the name whichever form was used.
 */

const LOCAL_ACCOUNT = '123456789012';

/** The resource part of an ARN (everything after `arn:partition:service:region:account:`). */
function arnResource(arn: string): string {
  return arn.split(':').slice(5).join(':');
}

/** `cluster/name` and `service/cluster/name` ARNs end with the name; a plain name is returned as is. */
export function ecsName(value: string): string {
  return value.startsWith('arn:') ? (arnResource(value).split('/').pop() ?? value) : value;
}

/** Family of `family`, `family:revision` or a task-definition ARN. */
export function taskDefinitionFamily(value: string): string {
  return ecsName(value).replace(/:\d+$/, '');
}

/** ECR repository names may contain slashes, so everything after `repository/` is the name. */
export function repositoryName(value: string): string {
  return value.startsWith('arn:') ? arnResource(value).replace(/^repository\//, '') : value;
}

export function codeBuildProjectName(value: string): string {
  return value.startsWith('arn:') ? arnResource(value).replace(/^project\//, '') : value;
}

/** A queue's name from its name, URL (`https://sqs.../account/name`) or ARN (`arn:aws:sqs:region:account:name`). */
export function queueName(value: string): string {
  if (value.startsWith('arn:')) return arnResource(value);
  if (/^https?:\/\//.test(value)) return new URL(value).pathname.split('/').pop() ?? value;
  return value;
}

/** A role's ARN from its name or ARN; names are taken to be roles of `account`. */
export function roleArn(value: string, account = LOCAL_ACCOUNT): string {
  return value.startsWith('arn:') ? value : `arn:aws:iam::${account}:role/${value}`;
}
