import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../src/handlers/api.js';
import { handler as publicHandler } from '../../../src/handlers/public-api.js';
import { bearer, httpEvent, jsonHeaders, type HttpEventOptions } from '../../support/http-event.js';
import { lambdaContext } from '../../support/lambda-context.js';

async function call(method: string, path: string, options: HttpEventOptions = {}, served = handler) {
  const response = (await served(
    httpEvent(method, path, options),
    lambdaContext('ecs-conductor-test-api', 'req-42'),
  )) as APIGatewayProxyStructuredResultV2;
  return { ...response, json: JSON.parse(response.body ?? 'null') as unknown };
}

const builds = '/environments/cgap-mastertest/builds';

describe('api handler', () => {
  it('answers GET /health with 200 JSON and the request id, without credentials (publicApi)', async () => {
    const response = await call('GET', '/health', {}, publicHandler);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-42' });
    expect(response.json).toEqual({ status: 'ok', service: 'ecs-conductor', stage: 'test' });
  });

  it.each(['/health', '/openapi.json'])('%s (public) names no environment and no count of them', async (path) => {
    const response = await call('GET', path, {}, publicHandler);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/cgap-mastertest|cgap-prod/);
    expect(response.json).not.toHaveProperty('environments');
  });

  it('serves no path without credentials in the signed function, and nothing but the public routes in publicApi', async () => {
    expect((await call('GET', '/health')).statusCode).toBe(401);
    expect((await call('GET', '/openapi.json')).statusCode).toBe(401);
    expect((await call('GET', '/health', { headers: bearer('release-token') })).statusCode).toBe(404);
    expect((await call('GET', '/environments', { headers: bearer('release-token') }, publicHandler)).statusCode).toBe(
      404,
    );
  });

  it.each([
    ['no credentials', {}, /^no credentials: /],
    ['a wrong token', { headers: bearer('not-a-token') }, /^the bearer token is not one this API knows/],
    ['a malformed authorization header', { headers: { authorization: 'Basic abc' } }, /neither a bearer token/],
  ])('answers 401 with %s, saying which', async (_name, options: HttpEventOptions, message: RegExp) => {
    const response = await call('POST', builds, options);
    expect(response.statusCode).toBe(401);
    expect(response.headers).toMatchObject({ 'www-authenticate': 'Bearer' });
    expect(response.json).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(message) as unknown },
    });
  });

  it('answers an unknown route with a 404 JSON error', async () => {
    const response = await call('GET', '/nope', { headers: bearer('release-token') });
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /nope' } });
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const response = await call('DELETE', builds, { headers: bearer('release-token') });
    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({ allow: 'POST' });
    expect(response.json).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('answers 403 for a caller not on the environment allow-list, by token or by IAM', async () => {
    const body = JSON.stringify({ version: '1.4.0' });
    const byToken = await call('POST', builds, { headers: jsonHeaders('outsider-token'), body });
    expect(byToken.statusCode).toBe(403);
    expect(byToken.json).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'arn:aws:iam::123456789012:role/outsider may not build in environment cgap-mastertest',
      },
    });
    const byIam = await call('POST', '/environments/cgap-prod/builds', {
      headers: { 'content-type': 'application/json' },
      iamPrincipal: 'arn:aws:sts::123456789012:assumed-role/cgap-developer/alice',
      body,
    });
    // cgap-prod builds are for the release role only.
    expect(byIam.statusCode).toBe(403);
  });

  it('answers 404 for an unknown environment, naming those the caller may read', async () => {
    const response = await call('POST', '/environments/cgap-nowhere/builds', {
      headers: jsonHeaders('release-token'),
      body: '{}',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'environment "cgap-nowhere" does not exist',
        details: [{ path: 'env', message: 'known environments: cgap-mastertest, cgap-prod' }],
      },
    });
  });

  it.each([
    [
      '415 for a non-JSON content type',
      { headers: { ...bearer('release-token'), 'content-type': 'text/plain' }, body: 'version=1' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      '413 for a body over 64 KiB',
      { headers: jsonHeaders('release-token'), body: JSON.stringify({ version: 'x'.repeat(70_000) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['400 for malformed JSON', { headers: jsonHeaders('release-token'), body: '{"version":' }, 400, 'MALFORMED_JSON'],
    [
      '400 for bytes that are not UTF-8',
      {
        headers: jsonHeaders('release-token'),
        body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'),
        isBase64Encoded: true,
      },
      400,
      'MALFORMED_BODY',
    ],
  ])('answers %s', async (_name, options: HttpEventOptions, status, code) => {
    const response = await call('POST', builds, options);
    expect(response.statusCode).toBe(status);
    expect(response.json).toMatchObject({ error: { code } });
  });

  it('answers 422 listing every invalid field of a build request', async () => {
    const response = await call('POST', builds, {
      headers: jsonHeaders('release-token'),
      body: JSON.stringify({ version: '-1.4.0', entrypoints: [], colour: 'blue' }),
    });
    expect(response.statusCode).toBe(422);
    expect(response.json).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: 'the request body is invalid',
        details: [
          {
            path: 'body.version',
            message: 'must be an ECR image tag: 1-128 letters, digits, _ . -, not starting with . or -',
          },
          { path: 'body.entrypoints', message: 'Too small: expected array to have >=1 items' },
          { path: 'body.colour', message: 'is not an accepted field' },
        ],
      },
    });
  });

  it('answers 422 for an unknown entrypoint, naming the known ones', async () => {
    const response = await call('POST', builds, {
      headers: jsonHeaders('developer-token'),
      body: JSON.stringify({ version: '1.4.0', entrypoints: ['indexer', 'worker'] }),
    });
    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({
      error: {
        details: [
          {
            path: 'body.entrypoints.1',
            message: 'unknown entrypoint "worker" (known: wsgi, indexer, ingester, deployment)',
          },
        ],
      },
    });
  });

  it.each([
    ['GET', '/environments/constructor', undefined],
    ['POST', '/environments/__proto__/builds', JSON.stringify({ version: '1.4.0' })],
    ['POST', '/environments/cgap-mastertest/services/constructor/scale', JSON.stringify({ desiredCount: 2 })],
    ['POST', '/environments/cgap-mastertest/services/toString/scale', JSON.stringify({ desiredCount: 2 })],
  ])('answers 404, not 500, for %s %s naming a JavaScript built-in', async (method, path, body) => {
    const response = await call(method, path, {
      headers: jsonHeaders('developer-token'),
      ...(body === undefined ? {} : { body }),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses a deployment task named after a JavaScript built-in, and a JSON null rollback body', async () => {
    const task = await call('POST', '/environments/cgap-mastertest/deployments', {
      headers: jsonHeaders('developer-token'),
      body: JSON.stringify({ version: '1.4.0', task: 'constructor' }),
    });
    expect(task.statusCode).toBe(422);
    expect(task.json).toMatchObject({
      error: { details: [{ path: 'body.task', message: 'unknown deployment task "constructor"' }] },
    });
    const rollback = await call('POST', '/environments/cgap-mastertest/rollback', {
      headers: jsonHeaders('developer-token'),
      body: 'null',
    });
    expect(rollback.statusCode).toBe(422);
  });
});
