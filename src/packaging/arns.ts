import type { Environment } from '../domain/environment.js';

/** A CloudFormation value: a literal string or an `Fn::Sub` expression resolved at deploy time. */
export type CfnString = string | { 'Fn::Sub': string };

/**
 * An ARN of `service` with `resource`, in the environment's account and region when the config
 * names them and in the stack's own (`AWS::AccountId`, `AWS::Region`) otherwise.
 */
export function arnIn(env: Environment, service: string, resource: string, global = false): CfnString {
  const region = global ? '' : (env.region ?? '${AWS::Region}');
  const account = env.account ?? '${AWS::AccountId}';
  const arn = `arn:\${AWS::Partition}:${service}:${region}:${account}:${resource}`;
  return arn.includes('${') ? { 'Fn::Sub': arn } : arn;
}

/** The configured value when it is already an ARN, else the ARN built from its name. */
export function arnOrBuild(
  env: Environment,
  value: string,
  service: string,
  resource: (name: string) => string,
): CfnString {
  return value.startsWith('arn:') ? value : arnIn(env, service, resource(value), service === 'iam');
}

/** An environment's ECR repository (name or ARN in the config) as an ARN. */
export function repositoryArn(env: Environment): CfnString {
  return arnOrBuild(env, env.repository, 'ecr', (name) => `repository/${name}`);
}
