import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiContext } from '../../src/handlers/http/request-context.js';
import type { ApiRouteSpec } from '../../src/handlers/routes/route.js';
import { httpEvent, type HttpEventOptions } from './http-event.js';
import { lambdaContext } from './lambda-context.js';

export interface RouteReply {
  statusCode: number | undefined;
  headers: Record<string, unknown>;
  json: unknown;
}

/**
 * Calls one route's handler as the API would once authentication let `principal` in, without the
 * router or middlewares (those are the api handler's tests). HttpErrors propagate as thrown.
 */
export async function callRoute(
  route: ApiRouteSpec,
  path: string,
  principal: string,
  options: HttpEventOptions & { pathParameters?: Record<string, string> } = {},
): Promise<RouteReply> {
  const event = httpEvent(route.method, path, options);
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  const context: ApiContext = {
    ...lambdaContext('ecs-conductor-test-api', 'req-7'),
    caller: { principal, via: 'token' },
  };
  const response = (await route.handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return {
    statusCode: response.statusCode,
    headers: response.headers ?? {},
    json: JSON.parse(response.body ?? 'null') as unknown,
  };
}
