import { errorBodySchema } from '../../contract/api.js';
import { operation, type OpenApiOptions } from './openapi-operation.js';
import { embed, type JsonSchema } from './openapi-schema.js';
import type { ApiRouteSpec } from './route.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the same route list and zod schemas that the
 * router serves and validates with: one source of truth. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, which is what zod emits.
 */

export type { OpenApiOptions } from './openapi-operation.js';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

export function openApiDocument(routes: readonly ApiRouteSpec[], options: OpenApiOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  schemas.Error = embed(errorBodySchema, 'output', 'Error', schemas);
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, options, schemas) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'ecs-conductor',
      version: options.version ?? '1',
      description: [
        'Builds, deploys, scales and reports on container applications on AWS ECS.',
        'Every error is `{"error":{"code","message","details"}}`; every response carries `x-request-id`.',
        'A method a path does not serve answers 405 with `Allow`; an unknown path answers 404.',
      ].join('\n\n'),
    },
    // Either scheme authenticates: SigV4 in AWS (API Gateway IAM authorization), a bearer token locally.
    security: [{ sigv4: [] }, { bearerToken: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4 for service execute-api, from the caller’s IAM credentials',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'Local mode: CONDUCTOR_API_TOKEN (or one of CONDUCTOR_API_TOKENS)',
        },
      },
    },
  };
}
