import middy, { type MiddlewareObj } from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { loadConductorConfig } from '../config/load.js';
import { loadRuntimeSettings } from '../config/runtime.js';
import { errorResponse, jsonResponse } from './http/responses.js';
import { logger } from './observability.js';

// Validated once per container: a bad config fails the cold start, listing every problem.
const config = loadConductorConfig();
const settings = loadRuntimeSettings();

type ApiRoute = Route<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

const routes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/health',
    handler: (_event: APIGatewayProxyEventV2, context: Context) =>
      Promise.resolve(jsonResponse(
        200,
        { status: 'ok', service: 'ecs-conductor', stage: settings.stage, environments: Object.keys(config.environments).length },
        context.awsRequestId,
      )),
  },
];

function routeNotFound({ method, path }: { method: string; path: string }): never {
  const allowed = routes.filter((route) => route.path === path).map((route) => route.method);
  const status = allowed.length > 0 ? 405 : 404;
  throw Object.assign(new Error(status === 405 ? `method ${method} is not allowed on ${path}` : `no route ${method} ${path}`), {
    statusCode: status,
    allow: allowed.join(', '),
  });
}

interface RoutingError {
  statusCode?: number;
  allow?: string;
  message: string;
}

/** Maps routing and unexpected errors to the API's one error shape. */
const errorReplies: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  onError: (request) => {
      const error = request.error as RoutingError | null;
      const requestId = request.context.awsRequestId;
      if (error?.statusCode === 404) {
        request.response = errorResponse(404, 'NOT_FOUND', error.message, requestId);
      } else if (error?.statusCode === 405) {
        request.response = errorResponse(405, 'METHOD_NOT_ALLOWED', error.message, requestId, {
          headers: { allow: error.allow ?? '' },
        });
      } else {
        logger.error('request failed', { error: request.error ?? undefined });
        request.response = errorResponse(500, 'INTERNAL', `internal error; quote request id ${requestId}`, requestId);
      }
  },
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(errorReplies)
  .handler(httpRouterHandler({ routes, notFoundResponse: routeNotFound }));
