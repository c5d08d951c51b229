import { FUNCTION_NAMES } from './iam-policies.js';
import { roleLogicalId } from './roles.js';
import { CONDUCTOR_SERVICE, STUCK_RELEASE_METRIC } from '../domain/names.js';

function alarm(
  description: string,
  metric: Record<string, unknown>,
  actions: string[],
  threshold = 0,
  comparison = 'GreaterThanThreshold',
) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      ...metric,
      EvaluationPeriods: 1,
      Threshold: threshold,
      ComparisonOperator: comparison,
      TreatMissingData: 'notBreaching',
      ...(actions.length > 0 ? { AlarmActions: actions, OKActions: actions } : {}),
    },
  };
}

/**
 * CloudWatch alarms on what must never go unnoticed: events in the dead-letter queue, any function's
 * errors or throttles, and a release stuck past its step timeout. `actions` (an SNS topic) is optional.
 */
export function alarmResources(actions: string[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {
    EventsDeadLetterQueueAlarm: alarm(
      'Events the conductor failed to handle after retries are waiting in the dead-letter queue',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
      },
      actions,
    ),
    StuckReleaseAlarm: alarm(
      'A release step ran past its timeout and was failed by reconcile',
      {
        Namespace: STUCK_RELEASE_METRIC.namespace,
        MetricName: STUCK_RELEASE_METRIC.name,
        Dimensions: [{ Name: 'service', Value: CONDUCTOR_SERVICE }],
        Statistic: 'Sum',
        Period: 300,
      },
      actions,
      1,
      'GreaterThanOrEqualToThreshold',
    ),
  };
  for (const fn of FUNCTION_NAMES) {
    const id = roleLogicalId(fn).replace(/Role$/, '');
    for (const metric of ['Errors', 'Throttles']) {
      resources[`${id}${metric}Alarm`] = alarm(
        `${fn}: Lambda ${metric.toLowerCase()}`,
        {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: `${id}LambdaFunction` } }],
          Statistic: 'Sum',
          Period: 300,
        },
        actions,
      );
    }
  }
  return resources;
}
