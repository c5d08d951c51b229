import middy, { type MiddlewareObj } from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { isThrottling } from '../../aws/errors.js';
import { loadLocalCallers } from '../../config/runtime.js';
import { authenticate, localTokensFrom } from './authentication.js';
import { HttpError } from './http-error.js';
import type { ApiContext } from './request-context.js';
import { errorResponse } from './responses.js';
import { logger } from '../observability.js';
import type { ApiRouteSpec } from '../routes/route.js';

type ApiMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

type HttpRoute = Route<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

const localTokens = localTokensFrom(loadLocalCallers());

type RouteKey = { method: string; path: string };

/**
 * 405 with the allowed methods when the path is the API's with another method, here or in the other
 * function (a POST /health reaches the signed function: API Gateway sends only GET /health to publicApi);
 * else 404.
 */
function routeNotFound(known: readonly RouteKey[], { method, path }: RouteKey): never {
  const pattern = (route: { path: string }) => new RegExp(`^${route.path.replace(/\{[^/]+\}/g, '[^/]+')}/?$`);
  const allowed = known.filter((route) => pattern(route).test(path)).map((route) => route.method);
  if (allowed.length > 0 && !allowed.includes(method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${method} is not allowed on ${path}`, undefined, {
      allow: allowed.join(', '),
    });
  }
  throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
}

/** Every route but the public ones needs a caller: IAM (SigV4) in AWS, a bearer token locally. */
function authentication(publicPaths: ReadonlySet<string>): ApiMiddleware {
  return {
    before: (request) => {
      if (publicPaths.has(request.event.rawPath)) return;
      (request.context as ApiContext).caller = authenticate(request.event, localTokens);
    },
  };
}

/** Maps every failure to the API's one error shape; internals never reach the caller. */
const errorReplies: ApiMiddleware = {
  onError: (request) => {
    const { error } = request;
    const requestId = request.context.awsRequestId;
    if (error instanceof HttpError) {
      request.response = errorResponse(error.statusCode, error.code, error.message, requestId, {
        ...(error.details ? { details: error.details } : {}),
        ...(error.headers ? { headers: error.headers } : {}),
      });
    } else if (isThrottling(error)) {
      logger.warn('AWS throttled the request', { error: error ?? undefined });
      request.response = errorResponse(503, 'THROTTLED', 'AWS is throttling the conductor; retry shortly', requestId, {
        headers: { 'retry-after': '5' },
      });
    } else {
      logger.error('request failed', { error: error ?? undefined });
      request.response = errorResponse(500, 'INTERNAL', `internal error; quote request id ${requestId}`, requestId);
    }
  },
};

/** One log line per request with what led to its status. */
function requestLog(): ApiMiddleware {
  const log = (request: Parameters<NonNullable<ApiMiddleware['after']>>[0]) => {
    const context = request.context as ApiContext;
    const response = request.response as { statusCode?: number } | undefined;
    logger.info('request', {
      method: request.event.requestContext.http.method,
      path: request.event.rawPath,
      environment: context.environment,
      principal: context.caller?.principal,
      status: response?.statusCode,
      latencyMs: Date.now() - (context.startedAt ?? Date.now()),
    });
  };
  return {
    before: (request) => {
      (request.context as ApiContext).startedAt = Date.now();
    },
    after: log,
    onError: (request) => {
      // Runs after errorReplies has shaped the response (middy calls onError in reverse order).
      if (request.response) log(request);
    },
  };
}

/**
 * An HTTP API function serving `routes`: one log line per request, the API's one error shape, and a
 * caller authenticated on every route that is not public. The signed routes and the public ones are
 * two functions (api.ts, public-api.ts), so that a flood of public calls never takes the signed
 * routes' concurrency and the signed function has no path that skips authentication; `servedElsewhere`
 * names the other function's routes, so that their path with another method is a 405 here too.
 */
export function httpApiHandler(specs: readonly ApiRouteSpec[], servedElsewhere: readonly RouteKey[] = []) {
  const publicPaths = new Set(specs.filter((route) => route.access === 'public').map((route) => route.path));
  const routes: HttpRoute[] = specs.map(({ method, path, handler }) => ({ method, path, handler }));
  const known = [...routes, ...servedElsewhere];
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog())
    .use(errorReplies)
    .use(authentication(publicPaths))
    .handler(httpRouterHandler({ routes, notFoundResponse: (request) => routeNotFound(known, request) }));
}
