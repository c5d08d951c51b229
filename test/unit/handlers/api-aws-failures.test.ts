import { DescribeImagesCommand, ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { handler } from '../../../src/handlers/api.js';
import { httpEvent, jsonHeaders } from '../../support/http-event.js';
import { lambdaContext } from '../../support/lambda-context.js';

/**
 * How the API answers when AWS fails under a route: throttling is 503 with Retry-After, anything else
 * 500 quoting the request id and nothing of the failure. The builds route's ECR look-up is the AWS
 * call here (a route dependency that throws an AwsCallError wrapping the SDK error).
 */
const ecr = mockClient(ECRClient);

async function postBuild() {
  const event = httpEvent('POST', '/environments/cgap-mastertest/builds', {
    headers: jsonHeaders('release-token'),
    body: JSON.stringify({ version: '1.4.0' }),
  });
  const response = (await handler(
    event,
    lambdaContext('ecs-conductor-test-api', 'req-503'),
  )) as APIGatewayProxyStructuredResultV2;
  return { ...response, json: JSON.parse(response.body ?? 'null') as unknown };
}

afterEach(() => {
  ecr.reset();
});

afterAll(() => {
  ecr.restore();
});

describe('api handler when AWS fails', () => {
  it('answers 503 with Retry-After when AWS throttles (ThrottlingException under an AwsCallError)', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      new ECRServiceException({
        name: 'ThrottlingException',
        message: 'Rate exceeded',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const response = await postBuild();
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({
      'retry-after': '5',
      'x-request-id': 'req-503',
      'content-type': 'application/json',
    });
    expect(response.json).toEqual({
      error: { code: 'THROTTLED', message: 'AWS is throttling the conductor; retry shortly' },
    });
  });

  it('answers 500 quoting the request id and nothing of the failure otherwise', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      new ECRServiceException({
        name: 'AccessDeniedException',
        message: 'secret-role is not authorized',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const response = await postBuild();
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ error: { code: 'INTERNAL', message: 'internal error; quote request id req-503' } });
    expect(response.body).not.toContain('secret-role');
  });
});
