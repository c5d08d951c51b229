import type { RecordedCall as ProxiedCall } from '../../test/support/recording-proxy.js';

/** What a proxy saw of one AWS call: enough to name its operation. */
export type RecordedCall = Pick<ProxiedCall, 'target' | 'body'>;

/** X-Amz-Target prefixes of the JSON-protocol services the conductor calls. */
const SERVICES: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AmazonSQS: 'sqs',
  DynamoDB_20120810: 'dynamodb',
  CodeBuild_20161006: 'codebuild',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
};

const WRITE = /^(Put|Update|Delete|Start|Run|Register|Publish|Create|BatchWrite|TransactWrite|Send|Tag)/;

/** `ecs:DescribeServices` from a recorded call: its X-Amz-Target, or the Action of a query-protocol body (SNS). */
export function operationOf(call: RecordedCall): string {
  const [prefix = '', action = ''] = call.target.split('.');
  if (call.target !== '') return `${SERVICES[prefix] ?? prefix}:${action}`;
  const queryAction = new URLSearchParams(call.body).get('Action');
  return queryAction ? `query:${queryAction}` : 'unknown';
}

export function isWrite(operation: string): boolean {
  return WRITE.test(operation.split(':')[1] ?? '');
}

export function countByOperation(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const operation = operationOf(call);
    counts[operation] = (counts[operation] ?? 0) + 1;
  }
  return counts;
}
