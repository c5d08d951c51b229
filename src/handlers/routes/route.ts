import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { AccessAction } from '../../domain/environment.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * One API route, declared once: the router serves it, authentication and validation use it, and
 * GET /openapi.json describes it from the same zod schemas.
 */
export interface ApiRouteSpec {
  method: HttpMethod;
  /** API Gateway style, e.g. `/environments/{env}/builds`. */
  path: string;
  summary: string;
  /** The allow-list action a caller needs on the route's environment; `public` needs no credentials. */
  access: AccessAction | 'public' | 'authenticated';
  body?: z.ZodType;
  query?: z.ZodType;
  /** Response schemas by status code (errors are added for every route). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
}
