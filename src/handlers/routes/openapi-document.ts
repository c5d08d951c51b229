import * as z from 'zod';
import { errorBodySchema } from '../../contract/api.js';
import type { ApiRouteSpec } from './route.js';

/**
 * The OpenAPI 3.1 document of the API, generated from the same route list and zod schemas that the
 * router serves and validates with: one source of truth. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, which is what zod emits.
 */

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  title?: string;
  version?: string;
  /** Example values of path parameters by name (`env` → a configured environment), for readers and fuzzers. */
  pathParameterExamples?: Record<string, string>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, or a body that is not UTF-8',
  401: 'No credentials, or invalid ones',
  403: "The caller is not on the environment's allow-list for this action",
  404: 'Unknown environment, service, release or route',
  409: 'Conflicts with the state of the environment or release',
  413: 'Body over 64 KiB',
  415: 'Body that is not application/json',
  422: 'Schema violations, one detail per path',
  500: 'Unexpected failure; the message quotes the request id',
  503: 'AWS is throttling the conductor; retry after Retry-After seconds',
};

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const REQUEST_ID_HEADER = { description: 'Identifies the request in the logs', schema: { type: 'string' } };
const ACTIONS = new Set(['read', 'build', 'deploy', 'scale']);

/** `/environments/{env}` → `getEnvironmentsByEnv`. */
function operationId(route: ApiRouteSpec): string {
  const words = route.path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/^\{(.+)\}$/, 'by-$1'))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter((word) => word !== '');
  return [route.method.toLowerCase(), ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))].join('');
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

/**
 * A zod schema as JSON Schema placed inside the document. Definitions zod hoists (`$defs`, for
 * recursive schemas) move to `components.schemas` under `<name>.<def>`, their refs rewritten to match.
 */
function embed(
  schema: z.ZodType,
  io: 'input' | 'output',
  name: string,
  components: Record<string, JsonSchema>,
): JsonSchema {
  const { $defs, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  // The document's dialect is already JSON Schema 2020-12.
  delete rest.$schema;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
          ? [key, `#/components/schemas/${name}.${inner.slice('#/$defs/'.length)}`]
          : [key, rewrite(inner)],
      ),
    );
  };
  for (const [defName, def] of Object.entries(defs)) components[`${name}.${defName}`] = rewrite(def) as JsonSchema;
  return rewrite(rest) as JsonSchema;
}

/** The error statuses a route can answer with, from what it declares and what the API does to every route. */
function errorStatuses(route: ApiRouteSpec): number[] {
  const statuses = new Set<number>([500]);
  if (route.access !== 'public') [401, 503].forEach((status) => statuses.add(status));
  if (ACTIONS.has(route.access)) statuses.add(403);
  if (pathParameterNames(route.path).length > 0) statuses.add(404);
  if (route.body) [400, 413, 415, 422].forEach((status) => statuses.add(status));
  if (route.query) statuses.add(422);
  for (const status of Object.keys(route.responses).map(Number)) if (status >= 400) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

function errorResponse(route: ApiRouteSpec, status: number): JsonSchema {
  const headers: Record<string, unknown> = { 'x-request-id': REQUEST_ID_HEADER };
  if (status === 401)
    headers['www-authenticate'] = { description: 'The scheme to authenticate with', schema: { type: 'string' } };
  if (status === 503)
    headers['retry-after'] = { description: 'Seconds to wait before retrying', schema: { type: 'string' } };
  return {
    description: route.responses[status]?.description ?? ERROR_DESCRIPTIONS[status] ?? 'Error',
    headers,
    content: { 'application/json': { schema: ERROR_REF } },
  };
}

function queryParameters(route: ApiRouteSpec, name: string, components: Record<string, JsonSchema>): JsonSchema[] {
  if (!route.query) return [];
  const schema = embed(route.query, 'input', `${name}.query`, components);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([parameter, parameterSchema]) => ({
    name: parameter,
    in: 'query',
    required: required.has(parameter),
    ...(typeof parameterSchema.description === 'string' ? { description: parameterSchema.description } : {}),
    schema: parameterSchema,
  }));
}

function operation(route: ApiRouteSpec, options: OpenApiOptions, components: Record<string, JsonSchema>): JsonSchema {
  const id = operationId(route);
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    if (Number(status) >= 400) continue;
    responses[status] = {
      description: response.description,
      headers: { 'x-request-id': REQUEST_ID_HEADER },
      ...(response.schema
        ? {
            content: {
              'application/json': { schema: embed(response.schema, 'output', `${id}.${status}`, components) },
            },
          }
        : {}),
    };
  }
  for (const status of errorStatuses(route)) responses[String(status)] = errorResponse(route, status);
  const pathParameters = pathParameterNames(route.path).map((parameter) => ({
    name: parameter,
    in: 'path',
    required: true,
    schema: { type: 'string', minLength: 1 },
    ...(options.pathParameterExamples?.[parameter] === undefined
      ? {}
      : { example: options.pathParameterExamples[parameter] }),
  }));
  const parameters = [...pathParameters, ...queryParameters(route, id, components)];
  return {
    operationId: id,
    summary: route.summary,
    ...(ACTIONS.has(route.access)
      ? { description: `Needs the "${route.access}" action on the environment's allow-list.` }
      : {}),
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: embed(route.body, 'input', `${id}.body`, components) } },
          },
        }
      : {}),
    responses,
  };
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
