import { ProvisionedThroughputExceededException, RequestLimitExceeded } from '@aws-sdk/client-dynamodb';
import { ECSServiceException, ServiceNotFoundException } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { AwsCallError, callAws, isThrottling } from '../../../src/aws/errors.js';

/** An SDK error as the SDK builds one for an error code it has no class for. */
function serviceError(name: string, httpStatusCode: number): ECSServiceException {
  return new ECSServiceException({
    name,
    message: `${name} happened`,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}

describe('isThrottling', () => {
  it.each([
    'ThrottlingException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'Throttling',
    'ThrottledException',
  ])('recognises the %s error code', (name) => {
    expect(isThrottling(serviceError(name, 400))).toBe(true);
  });

  it('recognises DynamoDB’s modeled throttling exceptions', () => {
    expect(
      isThrottling(
        new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }),
      ),
    ).toBe(true);
    expect(isThrottling(new RequestLimitExceeded({ message: 'slow down', $metadata: { httpStatusCode: 400 } }))).toBe(
      true,
    );
  });

  it.each([429, 503])('recognises HTTP status %i whatever the code', (status) => {
    expect(isThrottling(serviceError('UnknownError', status))).toBe(true);
  });

  it('looks through an adapter error to the SDK error it wraps', () => {
    const wrapped = new AwsCallError('ecs:UpdateService', 'service web', {
      cause: serviceError('ThrottlingException', 400),
    });

    expect(isThrottling(wrapped)).toBe(true);
  });

  it('does not count other failures as throttling', () => {
    expect(
      isThrottling(new ServiceNotFoundException({ message: 'Service not found.', $metadata: { httpStatusCode: 400 } })),
    ).toBe(false);
    expect(isThrottling(serviceError('InternalFailure', 500))).toBe(false);
    expect(
      isThrottling(new AwsCallError('ecs:UpdateService', 'service web', { cause: new Error('socket hang up') })),
    ).toBe(false);
    expect(isThrottling('ThrottlingException')).toBe(false);
    expect(isThrottling(undefined)).toBe(false);
  });

  it('stops on a cause chain that loops', () => {
    const looping = new Error('outer');
    looping.cause = looping;

    expect(isThrottling(looping)).toBe(false);
  });
});

describe('callAws', () => {
  it('returns the call’s result', async () => {
    expect(await callAws('sqs:GetQueueUrl', 'queue jobs', () => Promise.resolve('url'))).toBe('url');
  });

  it('wraps a failure in an AwsCallError naming the operation and target and keeping the cause', async () => {
    const cause = serviceError('ThrottlingException', 400);

    const failure = await callAws('ecs:UpdateService', 'service web in cluster prod', () =>
      Promise.reject(cause),
    ).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({
      name: 'AwsCallError',
      operation: 'ecs:UpdateService',
      message:
        'ecs:UpdateService failed for service web in cluster prod: ThrottlingException: ThrottlingException happened',
      cause,
    });
  });
});
