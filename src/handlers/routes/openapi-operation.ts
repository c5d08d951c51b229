import { ACTIONS, errorResponse, errorStatuses, pathParameterNames, REQUEST_ID_HEADER } from './openapi-errors.js';
import { embed, type JsonSchema } from './openapi-schema.js';
import type { ApiRouteSpec } from './route.js';

export interface OpenApiOptions {
  title?: string;
  version?: string;
  /** Example values of path parameters by name (`env` → a configured environment), for readers and fuzzers. */
  pathParameterExamples?: Record<string, string>;
}

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

export function operation(
  route: ApiRouteSpec,
  options: OpenApiOptions,
  components: Record<string, JsonSchema>,
): JsonSchema {
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
