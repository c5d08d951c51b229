import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { AwsCallError, isThrottling } from '../../../src/aws/errors.js';
import { createStateTable } from '../../../src/aws/state-table.js';

// moto never throttles, and a throttled conditional write must not read as a lost condition.
describe('conditional writes under throttling', () => {
  it('throw a throttling AwsCallError instead of reporting the condition as failed', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const mock = mockClient(client);
    mock
      .on(PutCommand)
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }),
      );
    const table = createStateTable('state', client);

    const failure = await table.putIfAbsent({ pk: 'IDEMPOTENCY#1', sk: 'RECORD' }).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsCallError);
    expect(isThrottling(failure)).toBe(true);
    await expect(table.acquireLease('LOCK#prod', 'LEASE', 'release-a', 60, new Date())).rejects.toSatisfy(isThrottling);
  });
});
