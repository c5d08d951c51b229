import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../src/handlers/api.js';
import { lambdaContext } from '../../support/lambda-context.js';

function httpEvent(method: string, path: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'gw-1',
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:15:00:00 +0000',
      timeEpoch: 1795100000000,
    },
    isBase64Encoded: false,
  };
}

async function call(method: string, path: string) {
  const response = (await handler(httpEvent(method, path), lambdaContext('ecs-conductor-test-api', 'req-42'))) as APIGatewayProxyStructuredResultV2;
  return { ...response, json: JSON.parse(response.body ?? 'null') as unknown };
}

describe('api handler', () => {
  it('answers GET /health with 200 JSON and the request id', async () => {
    const response = await call('GET', '/health');
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-42' });
    expect(response.json).toEqual({ status: 'ok', service: 'ecs-conductor', stage: 'test', environments: 2 });
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    const response = await call('GET', '/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /nope' } });
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const response = await call('DELETE', '/health');
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'GET' });
    expect(response.json).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'method DELETE is not allowed on /health' } });
  });
});
