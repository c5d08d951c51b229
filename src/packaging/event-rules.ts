import type { ConductorConfig } from '../config/schema.js';
import { repositoryName } from '../domain/names.js';
import { repositoryArn } from './arns.js';
import { watchedAlarmArns } from './iam-policies.js';

/**
 * The EventBridge rules whose patterns come from the config (serverless.yml takes each function's list
 * whole): a rule appears only when something is there to match, since an empty list is no valid pattern.
 */

/** How long EventBridge keeps trying, then where the event goes (serverless.yml, asyncFailures). */
function eventBridge(pattern: Record<string, unknown>) {
  return {
    eventBridge: {
      deadLetterQueueArn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] },
      retryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 8 },
      pattern,
    },
  };
}

const environmentsOf = (config: ConductorConfig) => Object.values(config.environments);

/**
 * onImagePush's sources: ECR's pushes to the environments' repositories, ECR's basic scan results
 * there, and — only for repositories whose scan gate declares Inspector's enhanced scanning — Amazon
 * Inspector's scan results, matched on the repository's exact ARN (Inspector names it so).
 */
export function imagePushEvents(config: ConductorConfig) {
  const repositories = [...new Set(environmentsOf(config).map((env) => repositoryName(env.repository)))];
  const enhanced = environmentsOf(config).filter((env) => env.gates?.scan?.scanner === 'enhanced');
  const inspected = [...new Map(enhanced.map((env) => [repositoryName(env.repository), repositoryArn(env)])).values()];
  return [
    eventBridge({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: {
        'action-type': ['PUSH'],
        result: ['SUCCESS'],
        'image-tag': [{ exists: true }],
        'repository-name': repositories,
      },
    }),
    // A scan's result: the releases with that image record it, and an auto-deploy tries its gates again.
    eventBridge({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Scan'],
      detail: { 'repository-name': repositories },
    }),
    ...(inspected.length > 0
      ? [
          eventBridge({
            source: ['aws.inspector2'],
            'detail-type': ['Inspector2 Scan'],
            detail: { 'repository-name': inspected },
          }),
        ]
      : []),
  ];
}

/**
 * onAlarmStateChange's rule: a watched alarm (its exact ARN, as IAM scopes DescribeAlarms) going to
 * ALARM. None when no environment watches an alarm.
 */
export function alarmStateEvents(config: ConductorConfig) {
  const alarms = watchedAlarmArns(config);
  if (alarms.length === 0) return [];
  return [
    eventBridge({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: alarms,
      detail: { state: { value: ['ALARM'] } },
    }),
  ];
}
