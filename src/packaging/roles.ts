import type { ConductorConfig } from '../config/schema.js';
import { FUNCTION_NAMES, functionPolicyStatements, type FunctionName } from './iam-policies.js';
import { serviceRole } from './service-role.js';

/** Logical id of a function's role in the template, e.g. `OnImagePushRole`. */
export function roleLogicalId(fn: FunctionName): string {
  return `${fn.charAt(0).toUpperCase()}${fn.slice(1)}Role`;
}

function roleResource(fn: FunctionName, config: ConductorConfig, service: string, stage: string): unknown {
  const logGroup = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${service}-${stage}-${fn}:*`;
  return serviceRole('lambda.amazonaws.com', `${service}-${stage}-${fn}`, [
    {
      Sid: 'OwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': logGroup },
    },
    ...functionPolicyStatements(fn, config),
  ]);
}

/** One least-privilege IAM role per function, as CloudFormation resources keyed by logical id. */
export function functionRoles(config: ConductorConfig, service: string, stage: string): Record<string, unknown> {
  return Object.fromEntries(FUNCTION_NAMES.map((fn) => [roleLogicalId(fn), roleResource(fn, config, service, stage)]));
}
